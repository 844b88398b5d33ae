/**
 * The citizens' and officials' wording of the civic texts: locales/<lng>/citizen.json and
 * officials.json, read through the same translator as the engine's keys (src/i18n.ts: Vietnamese
 * fallback, {{var}} interpolation without HTML escaping). Read once, at first use, from the
 * project's locales/ folder, so a wording change is a JSON edit (checked by `npm run flows:check`)
 * and a restart. A key missing everywhere shows the plain apology, never the key.
 */
import { createTranslatorSync } from '../i18n';
import { LOCALES_DIR } from '../paths';
import type { Locale, Translator } from '../shared/locale';

let loaded: Translator | undefined;

function translator(): Translator {
  loaded ??= createTranslatorSync(LOCALES_DIR);
  return loaded;
}

/** The text of `key` (e.g. `citizen.case.status`) in `locale`, with `vars` put in its {{placeholders}}. */
export function words(key: string, locale: Locale, vars?: Record<string, unknown>): string {
  return translator().t(key, locale, vars);
}
