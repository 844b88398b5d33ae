/** What the engine needs from i18n; src/i18n.ts builds one over locales/. */
export interface Translator {
  /** the text in `locale`, else in Vietnamese; never the key itself */
  t(key: string, locale: string, vars?: Record<string, unknown>): string;
  hasKey(key: string, locale: string): boolean;
}

export { DEFAULT_LOCALE, isLocale, LOCALES, type Locale } from '../shared/locale';
