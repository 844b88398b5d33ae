import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import i18next from 'i18next';
import type { Translator } from './shared/locale';

export type { Translator };

/** Shown when a key has no text in any language: a plain apology, never the key itself. */
const LAST_RESORT = 'Xin lỗi, đã có lỗi khi hiển thị tin nhắn này.';

/** locales/<lng>/<name>.json becomes keys `<name>.…`: locales/vi/errors.json holds `errors.SIGNATURE_INVALID`. */
export function readLocaleDir(localesDir: string, lng: string): Record<string, unknown> {
  const dir = join(localesDir, lng);
  const out: Record<string, unknown> = {};
  if (!existsSync(dir)) return out;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    out[basename(file, '.json')] = JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown;
  }
  return out;
}

/**
 * Every key with a text in locales/<lng>, dotted as flows name them (`errors.SIGNATURE_INVALID`);
 * a plural's base key (`x` for `x_one`, `x_other`) too, as i18next finds it.
 */
export function localeKeys(localesDir: string, lng: string): string[] {
  const keys = new Set<string>();
  const walk = (node: unknown, path: string) => {
    if (typeof node === 'string') {
      keys.add(path);
      const plural = /^(.*)_(zero|one|two|few|many|other)$/.exec(path);
      if (plural?.[1]) keys.add(plural[1]);
    } else if (node !== null && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) walk(v, path ? `${path}.${k}` : k);
    }
  };
  walk(readLocaleDir(localesDir, lng), '');
  return [...keys];
}

/**
 * An i18next instance over locales/vi and locales/en with Vietnamese as the fallback. A missing
 * translation shows the Vietnamese text; a key missing everywhere shows a plain apology.
 */
export async function createTranslator(localesDir: string): Promise<Translator> {
  return Promise.resolve(createTranslatorSync(localesDir));
}

/** The same translator, built at once (the files are read synchronously; i18next initialises without waiting). */
export function createTranslatorSync(localesDir: string): Translator {
  const instance = i18next.createInstance();
  void instance.init({
    resources: { vi: { translation: readLocaleDir(localesDir, 'vi') }, en: { translation: readLocaleDir(localesDir, 'en') } },
    lng: 'vi',
    fallbackLng: 'vi',
    supportedLngs: ['vi', 'en'],
    interpolation: { escapeValue: false },
    returnNull: false,
    returnEmptyString: false,
    initAsync: false,
    showSupportNotice: false,
  });
  const hasKey = (key: string, locale: string) => instance.exists(key, { lng: locale, fallbackLng: false });
  return {
    hasKey,
    t(key, locale, vars) {
      const lng = locale === 'en' ? 'en' : 'vi';
      if (!hasKey(key, lng) && !hasKey(key, 'vi')) return LAST_RESORT;
      return instance.t(key, { ...vars, lng });
    },
  };
}
