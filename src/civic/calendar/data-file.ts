/**
 * Reading an admin-edited YAML data file of the calendar (flows/data/holidays.yaml,
 * flows/data/office-hours.yaml): a bad edit is refused with the file and the entry at fault,
 * never half-applied.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { AppError } from '../../shared/app-error';

/** One problem of a data file: where in the YAML tree (for its line number) and what, as the message says it. */
export interface DataIssue {
  path: PropertyKey[];
  message: string;
}

export function refuseDataFile(file: string, problem: string, issues?: DataIssue[]): never {
  throw new AppError('VALIDATION_FAILED', `${file}: ${problem}`, { file, problem, ...(issues ? { issues } : {}) });
}

/** Reads a file's text; an unreadable file is refused with its name. */
export function readDataFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    return refuseDataFile(file, `cannot be read: ${(e as Error).message}`);
  }
}

/**
 * Parses YAML text and validates it with `schema`. Each problem is reported with its path;
 * `describeEntry(path)` may name the entry a path points into (e.g. its date), so an admin can find it.
 */
export function parseDataFile<S extends z.ZodType>(
  yamlText: string,
  file: string,
  schema: S,
  describeEntry: (raw: unknown, path: PropertyKey[]) => string | undefined = () => undefined,
): z.output<S> {
  let raw: unknown;
  try {
    raw = parseYaml(yamlText);
  } catch (e) {
    refuseDataFile(file, `not valid YAML: ${(e as Error).message}`);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const where = issue.path.map(String).join('.') || '(root)';
      const entry = describeEntry(raw, issue.path);
      return `${where}${entry ? ` ${entry}` : ''}: ${issue.message}`;
    });
    refuseDataFile(file, problems.join('; '), result.error.issues.map((issue, i) => ({ path: issue.path, message: problems[i] })));
  }
  return result.data;
}
