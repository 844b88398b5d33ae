// Tests never reach the platforms: every platform base URL points at a local fake, and the nock
// tests disable the network except loopback. The server's time zone is set for the whole run in
// jest.config.js (business rules must hold whatever TZ is; setting it here would be too late).
import { useWords } from '../../src/civic/words';
import { createTranslatorSync } from '../../src/i18n';
import { LOCALES_DIR } from '../../src/paths';

// The civic texts speak through the translator the composition root gives them at start (civic/words.ts);
// tests that call civic code directly get the same one.
useWords(createTranslatorSync(LOCALES_DIR));
