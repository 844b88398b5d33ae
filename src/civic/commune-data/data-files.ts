/**
 * The commune's six admin-edited data files (FLOWS_DIR/data) checked together: each on its own
 * (the loaders of civic/), then across files (the desk books procedures of the catalogue, flows name
 * procedures of the catalogue, the commune's facts are written only in the commune profile). Every problem carries its file and, where the YAML shows it, its line:
 * the same answer for start-up, `npm run flows:check`, the console's editor and publishing.
 */
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { isAppError } from '../../shared/app-error';
import { parseDeskSettings, type DeskSettings } from '../appointments/desk-settings';
import type { Calendar } from '../calendar/calendar';
import type { DataIssue } from '../calendar/data-file';
import { parseHolidays, type HolidaySchedule } from '../calendar/holidays';
import { parseOfficeHours, type OfficeHours } from '../calendar/office-hours';
import { CASE_CATEGORY_IDS } from '../cases';
import { parseRoutingRules, type RoutingRules } from '../officials/routing-rules';
import { parseCatalogue, type Catalogue } from '../procedures/catalogue';
import { parseCommuneProfile, type CommuneProfile } from './commune-profile';
import { findPlaceholders, isDemoProfile } from './placeholders';

export const DATA_FILES = ['commune.yaml', 'procedures.yaml', 'routing.yaml', 'holidays.yaml', 'office-hours.yaml', 'desk.yaml'] as const;
export type DataFileName = (typeof DATA_FILES)[number];

export function isDataFileName(name: string): name is DataFileName {
  return (DATA_FILES as readonly string[]).includes(name);
}

/** The text of each file; a file that is absent is missing (its service is not open). */
export type DataSources = Partial<Record<DataFileName, string>>;

export interface DataProblem {
  severity: 'error';
  /** the file's name, or the label the caller gave it (e.g. "holidays.yaml (draft)") */
  file: string;
  line?: number;
  message: string;
}

/** What the files hold once they pass; a missing file leaves its part undefined. */
export interface DataSet {
  /** the commune profile: name, controller, address, phones, reception days, commune settings */
  profile?: CommuneProfile;
  catalogue?: Catalogue;
  routing?: RoutingRules;
  holidays?: HolidaySchedule;
  hours?: OfficeHours;
  desk?: DeskSettings;
}

export type DataCheck = { ok: true; data: DataSet; problems: [] } | { ok: false; problems: DataProblem[] };

export interface DataCheckOptions {
  /** the flows in use, whose literal procedure ids must stay in the catalogue */
  flows?: readonly { file: string; source: string }[];
  /** how a file is named in problems; default its name */
  label?: (name: DataFileName) => string;
}

const parsers: { [K in DataFileName]: (text: string, file: string) => unknown } = {
  'commune.yaml': parseCommuneProfile,
  'procedures.yaml': parseCatalogue,
  'routing.yaml': (text, file) => parseRoutingRules(text, file, { categories: CASE_CATEGORY_IDS }),
  'holidays.yaml': parseHolidays,
  'office-hours.yaml': parseOfficeHours,
  'desk.yaml': parseDeskSettings,
};

const partOf: Record<DataFileName, keyof DataSet> = {
  'commune.yaml': 'profile',
  'procedures.yaml': 'catalogue',
  'routing.yaml': 'routing',
  'holidays.yaml': 'holidays',
  'office-hours.yaml': 'hours',
  'desk.yaml': 'desk',
};

/** Checks every file present in `sources`, then what only shows across them. */
export function checkDataFiles(sources: DataSources, opts: DataCheckOptions = {}): DataCheck {
  const { label = (name: DataFileName) => name } = opts;
  const problems: DataProblem[] = [];
  const data: Record<string, unknown> = {};
  for (const name of DATA_FILES) {
    const text = sources[name];
    if (text === undefined) continue;
    const file = label(name);
    const syntax = yamlSyntaxProblems(text, file);
    if (syntax.length > 0) {
      problems.push(...syntax);
      continue;
    }
    try {
      data[partOf[name]] = parsers[name](text, file);
    } catch (err) {
      problems.push(...problemsOf(err, text, file));
    }
  }
  const set = data as DataSet;
  if (set.catalogue) problems.push(...procedureReferences(set.catalogue, sources, label, opts.flows ?? []));
  if (set.catalogue) problems.push(...factsOutsideProfile(set.catalogue, sources, label));
  problems.push(...placeholdersInRealData(sources, label));
  return problems.length === 0 ? { ok: true, data: set, problems: [] } : { ok: false, problems };
}

/** The calendar, when both of its files are there. */
export function calendarOf(data: DataSet): Calendar | undefined {
  return data.holidays && data.hours ? { holidays: data.holidays, hours: data.hours } : undefined;
}

function yamlSyntaxProblems(text: string, file: string): DataProblem[] {
  const doc = parseDocument(text, { prettyErrors: false });
  return doc.errors.map((e) => {
    const line = e.linePos?.[0]?.line ?? lineAt(text, e.pos[0]);
    return { severity: 'error' as const, file, line, message: `not valid YAML: ${e.message}` };
  });
}

function lineAt(text: string, offset: number): number {
  const counter = new LineCounter();
  parseDocument(text, { lineCounter: counter });
  return counter.linePos(offset).line;
}

/** The line of the deepest node of `path` the YAML has (a missing key points at its parent). */
export function lineOfPath(text: string, path: readonly PropertyKey[]): number | undefined {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  const keys = path.filter((k): k is string | number => typeof k === 'string' || typeof k === 'number');
  for (let n = keys.length; n >= 0; n--) {
    const node: unknown = n === 0 ? doc.contents : doc.getIn(keys.slice(0, n), true);
    if (isNode(node) && (node as Node).range) return counter.linePos((node as Node).range![0]).line;
  }
  return undefined;
}

function problemsOf(err: unknown, text: string, file: string): DataProblem[] {
  if (!isAppError(err)) return [{ severity: 'error', file, message: (err as Error).message }];
  const issues = err.details?.issues as DataIssue[] | undefined;
  if (!issues || issues.length === 0) return [{ severity: 'error', file, message: String(err.details?.problem ?? err.message) }];
  return issues.map((i) => {
    const line = lineOfPath(text, i.path);
    return { severity: 'error', file, ...(line ? { line } : {}), message: i.message };
  });
}

/** Procedure ids named outside the catalogue (desk.yaml, the flows) that it no longer has. */
function procedureReferences(catalogue: Catalogue, sources: DataSources, label: (name: DataFileName) => string, flows: readonly { file: string; source: string }[]): DataProblem[] {
  const known = new Set(catalogue.procedures.map((p) => p.id));
  const problems: DataProblem[] = [];
  const desk = sources['desk.yaml'];
  if (desk !== undefined) {
    const doc = parseDocument(desk);
    const listed = doc.get('procedures');
    if (isSeq(listed)) {
      listed.items.forEach((item, i) => {
        const id = isScalar(item) ? String(item.value) : '';
        if (!known.has(id)) {
          const line = lineOfPath(desk, ['procedures', i]);
          problems.push({ severity: 'error', file: label('desk.yaml'), ...(line ? { line } : {}), message: `procedures.${i}: "${id}" is not a procedure of procedures.yaml (removed or renamed?)` });
        }
      });
    }
  }
  for (const flow of flows) {
    for (const ref of literalProcedureIds(flow.source)) {
      if (!known.has(ref.id)) problems.push({ severity: 'error', file: flow.file, ...(ref.line ? { line: ref.line } : {}), message: `the flow names procedure "${ref.id}", which procedures.yaml does not have (removed or renamed?)` });
    }
  }
  return problems;
}

/**
 * The office's address is the commune's (commune.yaml) and its hours the desk's (office-hours.yaml):
 * written in procedures.yaml too, two texts would drift apart.
 */
function factsOutsideProfile(catalogue: Catalogue, sources: DataSources, label: (name: DataFileName) => string): DataProblem[] {
  const text = sources['procedures.yaml'] ?? '';
  const problems: DataProblem[] = [];
  const at = (path: string[]) => {
    const line = lineOfPath(text, path);
    return line ? { line } : {};
  };
  if (catalogue.office.address && sources['commune.yaml'] !== undefined) {
    problems.push({ severity: 'error', file: label('procedures.yaml'), ...at(['office', 'address']), message: 'office.address: the address is written once, in commune.yaml (address); remove it here' });
  }
  if (catalogue.office.hours && sources['office-hours.yaml'] !== undefined) {
    problems.push({ severity: 'error', file: label('procedures.yaml'), ...at(['office', 'hours']), message: 'office.hours: the hours come from office-hours.yaml (desk); remove them here' });
  }
  return problems;
}

/**
 * Once the commune profile says the data are real (`demo: false`), a placeholder left in any file
 * ("Ví dụ: …", "(cập nhật …)", an empty value) is refused: at start, at publishing and in flows:check.
 */
function placeholdersInRealData(sources: DataSources, label: (name: DataFileName) => string): DataProblem[] {
  const profile = sources['commune.yaml'];
  if (profile === undefined || isDemoProfile(profile)) return [];
  const problems: DataProblem[] = [];
  for (const name of DATA_FILES) {
    const text = sources[name];
    if (text === undefined) continue;
    for (const f of findPlaceholders(label(name), text, 'error')) problems.push({ severity: 'error', file: f.file, line: f.line, message: `${f.message} (commune.yaml says demo: false)` });
  }
  return problems;
}

/** `procedure_id: <id>` and `call: procedure.explain` with `args.id: <id>`, written as plain ids (no {{template}}). */
export function literalProcedureIds(flowSource: string): { id: string; line?: number }[] {
  const counter = new LineCounter();
  const doc = parseDocument(flowSource, { lineCounter: counter });
  if (doc.errors.length > 0) return [];
  const found: { id: string; line?: number }[] = [];
  const literal = (node: unknown) => {
    if (!isScalar(node) || typeof node.value !== 'string' || node.value.includes('{{')) return;
    found.push({ id: node.value, ...(node.range ? { line: counter.linePos(node.range[0]).line } : {}) });
  };
  const visit = (node: unknown): void => {
    if (isSeq(node)) node.items.forEach(visit);
    if (!isMap(node)) return;
    const call = node.get('call');
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (key === 'procedure_id') literal(pair.value);
      if (key === 'args' && call === 'procedure.explain' && isMap(pair.value)) literal(pair.value.get('id', true));
      visit(pair.value);
    }
  };
  visit(doc.contents);
  return found;
}

/**
 * Published versions of the data files live in the flow store under reserved ids ("data:desk"):
 * a colon never passes as a flow id, so they never mix with flows, and they get the flow store's
 * versioning, history and atomic numbering, on memory and MongoDB alike.
 */
export const DATA_VERSION_PREFIX = 'data:';

export function dataVersionId(name: DataFileName): string {
  return `${DATA_VERSION_PREFIX}${name.replace(/\.yaml$/, '')}`;
}

/** The data file a stored id stands for; undefined for a flow's id. */
export function dataFileOfVersionId(id: string): DataFileName | undefined {
  if (!id.startsWith(DATA_VERSION_PREFIX)) return undefined;
  const name = `${id.slice(DATA_VERSION_PREFIX.length)}.yaml`;
  return isDataFileName(name) ? name : undefined;
}
