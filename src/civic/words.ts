/**
 * The citizens' and officials' wording of the civic texts: locales/<lng>/citizen.json and
 * officials.json, read through the translator the engine uses (src/i18n.ts: Vietnamese fallback,
 * {{var}} interpolation without HTML escaping). civic reads no file itself: the composition root
 * hands it that translator once at start (`useWords`: main.ts, the terminal chat's session; the
 * tests' setup file), so a wording change is a JSON edit (checked by `npm run flows:check`) and a
 * restart. A key missing everywhere shows the plain apology, never the key.
 */
import type { Locale, Translator } from '../shared/locale';

let translator: Translator | undefined;

/** The translator over locales/ that the civic texts speak through; given once at start. */
export function useWords(t: Translator): void {
  translator = t;
}

/** The text of `key` (e.g. `citizen.case.status`) in `locale`, with `vars` put in its {{placeholders}}. */
export function words(key: string, locale: Locale, vars?: Record<string, unknown>): string {
  if (!translator) throw new Error(`civic text "${key}" asked for before useWords() was given the translator`);
  return translator.t(key, locale, vars);
}
