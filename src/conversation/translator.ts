/** What the engine needs from i18n (the one Translator and Locale, in shared/locale.ts); src/i18n.ts builds one over locales/. */
export { DEFAULT_LOCALE, isLocale, LOCALES, type Locale, type Translator } from '../shared/locale';
