/** The languages citizens and officials are answered in; Vietnamese is the fallback everywhere. */
export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'vi';

export function isLocale(v: unknown): v is Locale {
  return v === 'vi' || v === 'en';
}
