import type { Json, JsonObject } from '../shared/json';
import type { Text } from './schema';
import type { Locale, Translator } from './translator';

/** Reads `a.b.c` out of the variables; undefined when any part is missing. */
export function readPath(vars: JsonObject, path: string): Json | undefined {
  let cur: Json | undefined = vars;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? cur[Number(part)] : cur[part];
  }
  return cur;
}

function show(v: Json | undefined, nullText = ''): string {
  if (v === null) return nullText;
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;

/**
 * Fills {{a.b}} from the variables; a missing variable shows as nothing, never as its name. A null
 * (an optional answer the person skipped) shows as `nullText`.
 */
export function fillTemplate(template: string, vars: JsonObject, nullText = ''): string {
  return template.replace(PLACEHOLDER, (_m, path: string) => show(readPath(vars, path), nullText));
}

/** The template names a text uses, for flows:check. */
export function templateVars(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** The raw template of a text in a language: the flow's own words, else Vietnamese, else the locale file. */
export function rawText(text: Text, locale: Locale, t: Translator): string {
  if (typeof text === 'string') return text;
  if ('key' in text) return t.t(text.key, locale);
  return (locale === 'en' ? text.en : undefined) ?? text.vi;
}

export function renderText(text: Text, locale: Locale, t: Translator, vars: JsonObject): string {
  // What the person chose not to give reads "(không nêu)" in a summary, not an empty line.
  return fillTemplate(rawText(text, locale, t), vars, t.t('engine.not_given', locale));
}

/** Fills templates inside a JSON value (action args, set values): a lone "{{x}}" keeps x's type. */
export function fillJson(value: Json, vars: JsonObject): Json {
  if (typeof value === 'string') {
    const lone = /^\{\{\s*([\w.]+)\s*\}\}$/.exec(value);
    if (lone) return readPath(vars, lone[1]) ?? null;
    return fillTemplate(value, vars);
  }
  if (Array.isArray(value)) return value.map((v) => fillJson(v, vars));
  if (value !== null && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = fillJson(v, vars);
    return out;
  }
  return value;
}
