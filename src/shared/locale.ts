/** The languages citizens and officials are answered in; Vietnamese is the fallback everywhere. */
export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'vi';

export function isLocale(v: unknown): v is Locale {
  return v === 'vi' || v === 'en';
}

/** What wording needs from i18n; src/i18n.ts builds one over locales/. */
export interface Translator {
  /** the text in `locale`, else in Vietnamese; never the key itself */
  t(key: string, locale: string, vars?: Record<string, unknown>): string;
  hasKey(key: string, locale: string): boolean;
}
