/**
 * Who handles what: the routing rules admins edit in flows/data/routing.yaml, validated here so a
 * bad edit is refused, naming the entry at fault, instead of sending cases to nobody.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AppError } from '../../shared/app-error';
import type { DataIssue } from '../calendar/data-file';
import { foldText } from '../../shared/text-fold';
import { OFFICIAL_ROLES } from '../../store/ports';

const officialId = z.string().regex(/^[a-z0-9]+([-_][a-z0-9]+)*$/, 'must be an official id (a-z, 0-9, dashes)');
const categoryId = z.string().regex(/^[a-z0-9]+(_[a-z0-9]+)*$/, 'must be a category id (a-z, 0-9, underscores)');
const villageName = z.string().trim().min(1);

/** A named official and who stands in while they are inactive. */
const assignmentSchema = z
  .strictObject({ assignee: officialId, backup: officialId.optional() })
  .refine((a) => a.backup !== a.assignee, { message: 'the backup must be someone else than the assignee', path: ['backup'] });

const villageSchema = z.strictObject({
  /** the thôn's name as it is displayed, e.g. "Thôn 1" */
  name: villageName,
  /** other names citizens type for it (an old name, the former commune's name) */
  aliases: z.array(villageName).default([]),
});

const ruleSchema = z.strictObject({
  category: categoryId,
  villages: z.array(villageName).min(1),
  assignee: officialId,
  backup: officialId.optional(),
});

/** An official written to the store at start-up when the store has nobody under that id yet. */
const seedOfficialSchema = z.strictObject({
  id: officialId,
  name: z.string().trim().min(1),
  role: z.enum(OFFICIAL_ROLES),
  supervisorId: officialId.optional(),
  villages: z.array(villageName).default([]),
  categories: z.array(categoryId).default([]),
  onDuty: z.boolean().default(false),
  active: z.boolean().default(true),
});

const rulesSchema = z.strictObject({
  version: z.number().int().positive(),
  villages: z.array(villageSchema).min(1),
  /** categories a village head handles for their own thôn when no rule or official covers them */
  villageMatters: z.array(categoryId).default([]),
  rules: z.array(ruleSchema).default([]),
  /** the official on duty when nobody's onDuty flag is set */
  duty: assignmentSchema,
  /** the commune chair (Chủ tịch UBND xã): the last resort */
  chair: assignmentSchema,
  officials: z.array(seedOfficialSchema).default([]),
});

export type RoutingRules = z.output<typeof rulesSchema>;
export type RoutingRule = RoutingRules['rules'][number];
export type SeedOfficial = RoutingRules['officials'][number];

export interface RoutingRulesOptions {
  /** the category ids cases use (civic/cases/categories.ts); when given, any other id is refused */
  categories?: readonly string[];
}

/**
 * The form of a village name used to compare: folded (no diacritics, lowercase) and without the
 * word for "village" in front, so "Thôn Phú Lộc", "thon phu loc" and "Phú Lộc" are the same place.
 */
export function villageKey(name: string): string {
  return foldText(name).replace(/^(thon|xom|lang|ban)\s+/, '');
}

/** The village's name as routing.yaml writes it, for a name or alias typed any way; null if unknown. */
export function findVillage(rules: RoutingRules, typed: string): string | null {
  const key = villageKey(typed);
  const found = rules.villages.find((v) => villageKey(v.name) === key || v.aliases.some((a) => villageKey(a) === key));
  return found ? found.name : null;
}

/** Validates routing YAML text; `file` names the source in the error. Throws AppError VALIDATION_FAILED. */
export function parseRoutingRules(yamlText: string, file: string, opts: RoutingRulesOptions = {}): RoutingRules {
  let raw: unknown;
  try {
    raw = parseYaml(yamlText);
  } catch (e) {
    refuse(file, `not valid YAML: ${(e as Error).message}`);
  }
  const result = rulesSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({ path: issue.path, message: describeIssue(raw, issue.path, issue.message) }));
    refuse(file, issues.map((i) => i.message).join('; '), issues);
  }
  const problems = consistencyProblems(result.data, opts);
  if (problems.length > 0) {
    const issues = problems.map((p) => ({ path: p.path, message: describeIssue(raw, p.path, p.message) }));
    refuse(file, issues.map((i) => i.message).join('; '), issues);
  }
  return result.data;
}

/** Reads and validates the routing file. Throws AppError VALIDATION_FAILED naming the file and the entry. */
export function loadRoutingRules(file: string, opts: RoutingRulesOptions = {}): RoutingRules {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    refuse(file, `cannot be read: ${(e as Error).message}`);
  }
  return parseRoutingRules(text, file, opts);
}

interface Problem {
  path: PropertyKey[];
  message: string;
}

/** What the schema alone cannot see: unknown villages and categories, a category × village given twice. */
function consistencyProblems(rules: RoutingRules, opts: RoutingRulesOptions): Problem[] {
  const problems: Problem[] = [];
  const villageOwner = new Map<string, number>();
  rules.villages.forEach((v, i) => {
    for (const name of [v.name, ...v.aliases]) {
      const owner = villageOwner.get(villageKey(name));
      if (owner !== undefined && owner !== i) problems.push({ path: ['villages', i], message: `"${name}" is already village ${owner}` });
      villageOwner.set(villageKey(name), i);
    }
  });
  const knownVillage = (name: string) => villageOwner.has(villageKey(name));
  const knownCategory = (id: string) => opts.categories === undefined || opts.categories.includes(id);

  const taken = new Map<string, number>();
  rules.rules.forEach((rule, i) => {
    if (!knownCategory(rule.category)) problems.push({ path: ['rules', i, 'category'], message: `unknown category "${rule.category}"` });
    if (rule.backup === rule.assignee) problems.push({ path: ['rules', i, 'backup'], message: 'the backup must be someone else than the assignee' });
    rule.villages.forEach((name, j) => {
      if (!knownVillage(name)) problems.push({ path: ['rules', i, 'villages', j], message: `unknown village "${name}" (add it under villages)` });
      const cell = `${rule.category}|${villageOwner.get(villageKey(name)) ?? villageKey(name)}`;
      const first = taken.get(cell);
      if (first !== undefined && first !== i) problems.push({ path: ['rules', i], message: `${rule.category} × ${name} is already routed by rules.${first}` });
      else taken.set(cell, i);
    });
  });
  rules.villageMatters.forEach((id, i) => {
    if (!knownCategory(id)) problems.push({ path: ['villageMatters', i], message: `unknown category "${id}"` });
  });

  const seen = new Set<string>();
  rules.officials.forEach((o, i) => {
    if (seen.has(o.id)) problems.push({ path: ['officials', i, 'id'], message: `duplicate id "${o.id}"` });
    seen.add(o.id);
    o.villages.forEach((name, j) => {
      if (!knownVillage(name)) problems.push({ path: ['officials', i, 'villages', j], message: `unknown village "${name}"` });
    });
    o.categories.forEach((id, j) => {
      if (!knownCategory(id)) problems.push({ path: ['officials', i, 'categories', j], message: `unknown category "${id}"` });
    });
  });
  return problems;
}

/** "rules.2.assignee (land × Thôn 1): …": the path, and the entry named so an admin can find it. */
function describeIssue(raw: unknown, path: PropertyKey[], message: string): string {
  const where = path.map(String).join('.') || '(root)';
  const [section, index] = path;
  const entry = typeof index === 'number' ? describeEntry(raw, String(section), index) : undefined;
  return `${where}${entry ? ` ${entry}` : ''}: ${message}`;
}

function describeEntry(raw: unknown, section: string, index: number): string | undefined {
  const list = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[section] : undefined;
  const item: unknown = Array.isArray(list) ? list[index] : undefined;
  if (typeof item !== 'object' || item === null) return undefined;
  const fields = item as Record<string, unknown>;
  if (section === 'rules') {
    const villages = Array.isArray(fields.villages) ? fields.villages.join(', ') : '?';
    return `(${String(fields.category ?? '?')} × ${villages})`;
  }
  if (section === 'officials' && typeof fields.id === 'string') return `(${fields.id})`;
  if (section === 'villages' && typeof fields.name === 'string') return `(${fields.name})`;
  return undefined;
}

function refuse(file: string, problem: string, issues?: DataIssue[]): never {
  throw new AppError('VALIDATION_FAILED', `${file}: ${problem}`, { file, problem, ...(issues ? { issues } : {}) });
}
