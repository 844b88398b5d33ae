/**
 * Placeholders a citizen must never see: texts in the flows and the commune data that were left
 * to be filled in ("(cập nhật địa chỉ cụ thể)", "Ví dụ: Nguyễn Văn A", "ví dụ 8.000đ ở An Giang",
 * "(set the exact address)", an empty value), and a year whose holidays are still provisional when
 * it is less than 60 days away. Read line by line on the YAML text, comments left out, so each
 * finding names its file and line.
 *
 * The commune profile (data/commune.yaml) says `demo: true` while the shipped demo data is in use:
 * then the findings are warnings (the demo runs and says it is demo data); otherwise they are errors.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PlaceholderFinding {
  file: string;
  line: number;
  severity: 'error' | 'warning';
  message: string;
}

/** A marker, and what it says about the text. Case and diacritics as people write them. */
const MARKERS: readonly { re: RegExp; what: string }[] = [
  { re: /\(\s*cập nhật/iu, what: 'a "(cập nhật …)" note left to fill in' },
  { re: /\(\s*(set|update|fill in) the\b/iu, what: 'a "(set the …)" note left to fill in' },
  { re: /:\s*["']?(ví dụ|example)\s*:/iu, what: 'a value that is only an example ("Ví dụ: …")' },
  { re: /\(\s*(ví dụ|e\.g\.|example:?)\s*[0-9]/iu, what: 'an amount or number taken from an example' },
  { re: /ví dụ[^"\n]*\sở [A-ZĐ]/u, what: 'an example from another province' },
  { re: /\b(TODO|FIXME|XXX|TBD)\b/u, what: 'a "TODO" note' },
];

/** `key: ""` or `key: ''` (an empty value shown as nothing). */
const EMPTY_VALUE = /^\s*-?\s*[A-Za-z_][\w-]*:\s*(""|'')\s*(#.*)?$/;

function withoutComment(line: string): string {
  if (/^\s*#/.test(line)) return '';
  // a " #" outside quotes starts a comment; good enough for the data files' style
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) {
      return line.slice(0, i);
    }
  }
  return line;
}

/** Whether the commune profile says it is the shipped demo data. */
export function isDemoProfile(communeYaml: string | undefined): boolean {
  return communeYaml !== undefined && /^demo:\s*true\s*(#.*)?$/m.test(communeYaml);
}

/** Every placeholder in `source` (a flow or a data file), one finding per line and marker. */
export function findPlaceholders(file: string, source: string, severity: 'error' | 'warning'): PlaceholderFinding[] {
  const out: PlaceholderFinding[] = [];
  source.split('\n').forEach((raw, i) => {
    const line = withoutComment(raw);
    if (line.trim() === '') return;
    for (const m of MARKERS) {
      if (m.re.test(line)) {
        out.push({ file, line: i + 1, severity, message: `placeholder: ${m.what}: ${line.trim().slice(0, 80)}` });
        return;
      }
    }
    if (EMPTY_VALUE.test(line)) out.push({ file, line: i + 1, severity, message: `placeholder: an empty value: ${line.trim()}` });
  });
  return out;
}

const DAY_MS = 24 * 60 * 60 * 1000;
export const PROVISIONAL_WARNING_DAYS = 60;

/**
 * The holidays file: a year whose entries are still `provisional: true` and that starts within 60
 * days of `today` (or has started) gets a warning on its first provisional line.
 */
export function provisionalYears(file: string, source: string, today: Date): PlaceholderFinding[] {
  const seen = new Set<string>();
  const out: PlaceholderFinding[] = [];
  const lines = source.split('\n');
  lines.forEach((raw, i) => {
    const line = withoutComment(raw);
    const inline = /date:\s*(\d{4})-\d{2}-\d{2}.*provisional:\s*true/.exec(line);
    // block style: `- date: …` then `provisional: true` a few lines below
    let year = inline?.[1];
    if (!year && /^\s*provisional:\s*true/.test(line)) {
      for (let j = i - 1; j >= Math.max(0, i - 6); j--) {
        const d = /date:\s*(\d{4})-\d{2}-\d{2}/.exec(lines[j] ?? '');
        if (d) {
          year = d[1];
          break;
        }
      }
    }
    if (!year || seen.has(year)) return;
    seen.add(year);
    const start = Date.UTC(Number(year), 0, 1);
    const daysAway = Math.ceil((start - today.getTime()) / DAY_MS);
    if (daysAway <= PROVISIONAL_WARNING_DAYS) {
      const when = daysAway > 0 ? `starts in ${daysAway} day(s)` : 'has started';
      out.push({ file, line: i + 1, severity: 'warning', message: `the ${year} holidays are still provisional and the year ${when}: put in the schedule the Government decided and drop \`provisional\`` });
    }
  });
  return out;
}

/**
 * The placeholders a citizen could be shown, in the flows and the data files (data/commune.yaml with
 * `demo: true` makes them warnings), and a provisional holiday year less than 60 days away.
 */
export function placeholderFindings(dir: string, today: Date = new Date()): PlaceholderFinding[] {
  const dataDir = join(dir, 'data');
  const profileFile = join(dataDir, 'commune.yaml');
  const profile = existsSync(profileFile) ? readFileSync(profileFile, 'utf8') : undefined;
  const severity = isDemoProfile(profile) ? 'warning' : 'error';
  const yamlIn = (d: string) => (existsSync(d) ? readdirSync(d, { withFileTypes: true }).filter((e) => e.isFile() && /\.ya?ml$/.test(e.name)).map((e) => join(d, e.name)).sort() : []);
  const found: PlaceholderFinding[] = [];
  for (const file of [...yamlIn(dir), ...yamlIn(dataDir)]) found.push(...findPlaceholders(file, readFileSync(file, 'utf8'), severity));
  const holidays = join(dataDir, 'holidays.yaml');
  if (existsSync(holidays)) found.push(...provisionalYears(holidays, readFileSync(holidays, 'utf8'), today));
  return found;
}


/** The placeholders (not the calendar warnings) that keep a production start from going ahead. */
export function productionBlockers(dir: string): PlaceholderFinding[] {
  return placeholderFindings(dir).filter((f) => f.message.startsWith('placeholder:'));
}

/** Refuses to start in production while a placeholder is left, naming each file and line. */
export class PlaceholderError extends Error {
  override readonly name = 'PlaceholderError';
  constructor(readonly findings: PlaceholderFinding[]) {
    super(`placeholders left in the commune data (fill them in, then set demo: false in data/commune.yaml): ${findings.map((f) => `${f.file}:${f.line} ${f.message}`).join('; ')}`);
  }
}
