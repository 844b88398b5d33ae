/**
 * `npm run flows:check [dir]`: checks every flow in dir (default flows/) the way start-up would, plus
 * what only shows across files, then the commune data in dir/data (the same checks as the console's
 * data editor and publishing). Prints `file:line severity message`; exits 1 when any error is found.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkDataFiles, DATA_FILES } from '../civic/commune-data/data-files';
import { readDataSources } from '../commune-data';
import { checkFlows, parseUnderstanding, UNDERSTANDING_FILE } from '../conversation';
import { existsSync } from 'node:fs';
import { readLocaleDir } from '../i18n';
import { placeholderFindings } from '../civic/commune-data/placeholders';
import { parseCatalogue } from '../civic/procedures/catalogue';
import { foldText } from '../shared/text-fold';
import type { Understanding } from '../conversation';

export { placeholderFindings };

function hasKeyIn(resources: Record<string, unknown>): (key: string) => boolean {
  return (key) => {
    let cur: unknown = resources;
    for (const part of key.split('.')) {
      if (cur === null || typeof cur !== 'object') return false;
      cur = (cur as Record<string, unknown>)[part];
    }
    return typeof cur === 'string';
  };
}

function flatStrings(obj: unknown, prefix = ''): [string, string][] {
  if (typeof obj === 'string') return [[prefix, obj]];
  if (obj === null || typeof obj !== 'object') return [];
  return Object.entries(obj).flatMap(([k, v]) => flatStrings(v, prefix ? `${prefix}.${k}` : k));
}

const placeholdersOf = (text: string) => new Set([...text.matchAll(/\{\{\s*([^}\s]+)\s*\}\}/g)].map((m) => m[1]));

/**
 * The wording in locales/: every English key must have a Vietnamese text (the fallback a citizen
 * reads), and an English text may use only the {{placeholders}} its Vietnamese text uses.
 */
export function localeFindings(localesDir: string): { file: string; severity: 'error'; message: string }[] {
  const vi = new Map(flatStrings(readLocaleDir(localesDir, 'vi')));
  return flatStrings(readLocaleDir(localesDir, 'en')).flatMap(([key, en]) => {
    const file = join(localesDir, 'vi', `${key.split('.')[0]}.json`);
    const viText = vi.get(key);
    if (viText === undefined) return [{ file, severity: 'error' as const, message: `${key.split('.').slice(1).join('.')}: no Vietnamese text (locales/en has one)` }];
    const viVars = placeholdersOf(viText);
    const extra = [...placeholdersOf(en)].filter((v) => !viVars.has(v));
    return extra.length > 0 ? [{ file, severity: 'error' as const, message: `${key.split('.').slice(1).join('.')}: the English text uses ${extra.map((v) => `{{${v}}}`).join(', ')}, the Vietnamese does not` }] : [];
  });
}

export function runFlowsCheck(dir: string, localesDir: string, out: (line: string) => void, today: Date = new Date()): number {
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => e.name)
    .sort();
  const sources = files.map((file) => ({ file, source: readFileSync(join(dir, file), 'utf8') }));
  const findings = checkFlows(sources, hasKeyIn(readLocaleDir(localesDir, 'vi')));
  for (const f of findings) out(`${join(dir, f.file)}${f.line ? `:${f.line}` : ''} ${f.severity}: ${f.message}`);
  const flowErrors = findings.filter((f) => f.severity === 'error').length;
  out(`${files.length} flow file(s) checked: ${flowErrors} error(s), ${findings.length - flowErrors} warning(s)`);
  // The commune data in dir/data, each file alone and across files (and the flows' procedure ids).
  const data = readDataSources(dir);
  const dataFiles = Object.keys(data).length;
  const dataProblems = dataFiles > 0 ? checkDataFiles(data, { flows: sources }).problems : [];
  for (const p of dataProblems) out(`${join(dir, DATA_FILES.some((f) => f === p.file) ? join('data', p.file) : p.file)}${p.line ? `:${p.line}` : ''} ${p.severity}: ${p.message}`);
  if (dataFiles > 0) out(`${dataFiles} commune data file(s) checked: ${dataProblems.length} error(s)`);
  // The word lists that read messages before the flows (emergencies, problems, small talk, other offices).
  const understandingFile = join(dir, 'data', UNDERSTANDING_FILE);
  const understood = existsSync(understandingFile) ? parseUnderstanding(readFileSync(understandingFile, 'utf8')) : { ok: true as const };
  const understandingProblems = understood.ok ? [] : understood.problems;
  for (const p of understandingProblems) out(`${understandingFile}${p.line ? `:${p.line}` : ''} error: ${p.message}`);
  const cataloguedFile = join(dir, 'data', 'procedures.yaml');
  const shadowing = understood.ok && 'understanding' in understood && existsSync(cataloguedFile) ? otherOfficesShadowingCatalogue(understood.understanding, readFileSync(cataloguedFile, 'utf8')) : [];
  for (const m of shadowing) out(`${understandingFile} error: ${m}`);
  // What a citizen must never see: placeholders, and a year of provisional holidays close at hand.
  const placeholders = placeholderFindings(dir, today);
  for (const p of placeholders) out(`${p.file}:${p.line} ${p.severity}: ${p.message}`);
  const placeholderErrors = placeholders.filter((p) => p.severity === 'error').length;
  if (placeholders.length > 0) out(`placeholders: ${placeholderErrors} error(s), ${placeholders.length - placeholderErrors} warning(s)${placeholderErrors === 0 ? ' (data/commune.yaml says demo: true — this is demo data)' : ''}`);
  // The wording in locales/ (engine, errors, citizens' and officials' texts).
  const locales = localeFindings(localesDir);
  for (const p of locales) out(`${p.file} ${p.severity}: ${p.message}`);
  out(`locales: ${locales.length} error(s)`);
  return flowErrors + dataProblems.length + understandingProblems.length + shadowing.length + placeholderErrors + locales.length > 0 ? 1 : 0;
}

/**
 * Other offices' phrases that are also a catalogue procedure's alias or keyword: the short other-office
 * line is read before the catalogue, so it would hide the procedure's full explanation ("làm CCCD ở đâu"
 * answered in one line although the catalogue explains the ID card, at the commune police).
 */
export function otherOfficesShadowingCatalogue(u: Understanding, catalogueSource: string): string[] {
  const catalogue = parseCatalogue(catalogueSource, 'procedures.yaml');
  const owner = new Map<string, string>();
  for (const p of catalogue.procedures) for (const w of [...p.aliases, ...p.keywords]) owner.set(foldText(w), p.id);
  const found: string[] = [];
  for (const o of u.otherOffices)
    for (const phrase of o.phrases) {
      const id = owner.get(phrase.trim());
      if (id) found.push(`other_offices ${o.id}: "${phrase.trim()}" is also in the procedure catalogue (${id}); the catalogue's answer must not be hidden by this line`);
    }
  return found;
}

if (require.main === module) {
  const dir = resolve(process.argv[2] ?? 'flows');
  const localesDir = resolve(__dirname, '..', '..', 'locales');
  process.exitCode = runFlowsCheck(dir, localesDir, (line) => console.log(line));
}
