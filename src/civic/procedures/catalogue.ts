/**
 * The procedure catalogue (thủ tục hành chính): data admins edit in flows/data/procedures.yaml,
 * validated here so a bad edit is refused with the file and the problem instead of reaching citizens.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AppError } from '../../shared/app-error';
import type { DataIssue } from '../calendar/data-file';
import type { Locale } from '../../shared/locale';

/** Text in Vietnamese, optionally in English; a plain string in the file is the Vietnamese text. */
const localizedText = z.union([
  z.string().min(1).transform((vi): { vi: string; en?: string } => ({ vi })),
  z.strictObject({ vi: z.string().min(1), en: z.string().min(1).optional() }),
]);

const kebabId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9, dashes)');

/** What a commune setting changes in an entry: where it is filed, the note, online filing. */
const settingOverrides = z.strictObject({
  where: localizedText.optional(),
  note: localizedText.optional(),
  online: z.union([z.url(), z.null()]).optional(),
});

/** The commune settings of commune.yaml an entry may depend on, with their values. */
export const COMMUNE_SETTINGS = { buildingPermits: ['commune', 'province', 'unknown'] } as const;
export type CommuneSettings = { [K in keyof typeof COMMUNE_SETTINGS]: (typeof COMMUNE_SETTINGS)[K][number] };

const procedureSchema = z.strictObject({
  id: kebabId,
  name: localizedText,
  /** a label short enough for a button (Messenger quick replies: 20 characters); the name when absent */
  short: localizedText.optional(),
  /** phrases citizens use for it, with or without diacritics (matching folds them) */
  aliases: z.array(z.string().min(1)).min(1),
  /** single distinctive words that point to it */
  keywords: z.array(z.string().min(1)).default([]),
  documents: z.array(localizedText).min(1),
  processingTime: localizedText,
  fee: localizedText,
  /** where to submit; defaults to the office's desk */
  where: localizedText.optional(),
  /** when the desk receives it; defaults to the office's hours */
  hours: localizedText.optional(),
  /** online filing; defaults to the office's portal; null when it cannot be filed online */
  online: z.union([z.url(), z.null()]).optional(),
  legalBasis: localizedText,
  /** who may act on the person's behalf, and with what papers */
  representation: localizedText.optional(),
  /** anything else the citizen should know first (e.g. handled by another agency) */
  note: localizedText.optional(),
  /**
   * An entry that depends on a commune setting of commune.yaml (e.g. who issues building permits):
   * the setting's value picks the where/note/online said; the entry's own fields stand for the rest.
   */
  bySetting: z
    .strictObject({
      setting: z.enum(Object.keys(COMMUNE_SETTINGS) as [keyof typeof COMMUNE_SETTINGS]),
      commune: settingOverrides.optional(),
      province: settingOverrides.optional(),
      unknown: settingOverrides.optional(),
    })
    .optional(),
});

/** Messenger cuts quick-reply titles at 20 characters; Zalo's button titles are no longer. */
export const LABEL_MAX_CHARS = 20;

/** Characters as a person sees them: code points of the NFC form (a "ộ" typed in two parts counts once). */
export function labelLength(text: string): number {
  return [...text.normalize('NFC')].length;
}

type LabelSource = { name: z.output<typeof localizedText>; short?: z.output<typeof localizedText> | undefined };

/**
 * Every procedure's button label, per language the name is written in, fits LABEL_MAX_CHARS: its
 * `short` when given, else its name. Two procedures never share a label (they would look alike).
 */
function checkLabels(procedures: readonly LabelSource[], issue: (path: PropertyKey[], message: string) => void): void {
  const taken = { vi: new Map<string, number>(), en: new Map<string, number>() };
  procedures.forEach((p, i) => {
    for (const locale of ['vi', 'en'] as const) {
      const name = p.name[locale];
      const short = p.short?.[locale];
      const label = short ?? name;
      if (label === undefined) continue;
      if (short !== undefined && labelLength(short) > LABEL_MAX_CHARS) {
        issue([i, 'short'], `short (${locale}) "${short}" has ${labelLength(short)} characters; a button shows at most ${LABEL_MAX_CHARS}`);
      } else if (short === undefined && labelLength(label) > LABEL_MAX_CHARS) {
        issue([i, 'name'], `name (${locale}) has ${labelLength(label)} characters, more than a button shows (${LABEL_MAX_CHARS}): add a short (${locale}) of at most ${LABEL_MAX_CHARS}`);
      }
      const key = label.normalize('NFC').toLowerCase();
      const other = taken[locale].get(key);
      if (other !== undefined) issue([i, short !== undefined ? 'short' : 'name'], `label (${locale}) "${label}" is also the label of procedures.${other}; buttons must tell them apart`);
      else taken[locale].set(key, i);
    }
  });
}

const officeSchema = z.strictObject({
  name: localizedText,
  /** the commune profile's (commune.yaml) when it is in use; written here only without one */
  address: localizedText.optional(),
  /** the commune profile's centre phone when it is in use */
  phone: z.string().min(1).optional(),
  /** derived from office-hours.yaml when it is in use; written here only without one */
  hours: localizedText.optional(),
  portal: z.url(),
});

const catalogueSchema = z
  .strictObject({
    version: z.number().int().positive(),
    office: officeSchema,
    /**
     * Words citizens use for the catalogue's words, e.g. "sao y" -> "chứng thực bản sao".
     * The matcher adds the right-hand phrase to a query that contains the left-hand one.
     */
    synonyms: z.record(z.string().min(1), z.string().min(1)).default({}),
    procedures: z.array(procedureSchema).min(1),
  })
  .superRefine((catalogue, ctx) => {
    const seen = new Set<string>();
    catalogue.procedures.forEach((p, i) => {
      if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: ['procedures', i, 'id'], message: `duplicate id "${p.id}"` });
      seen.add(p.id);
    });
    checkLabels(catalogue.procedures, (path, message) => ctx.addIssue({ code: 'custom', path: ['procedures', ...path], message }));
  })
  // Each procedure carries its own where/when/online, filled from the office where it is silent,
  // so explaining one needs nothing else.
  .transform(({ office, ...rest }) => ({
    ...rest,
    office,
    procedures: rest.procedures.map((p) => ({
      ...p,
      where: p.where ?? officeWhere(office),
      hours: p.hours ?? office.hours,
      online: p.online === undefined ? office.portal : p.online,
      /** which of where/hours are the office's, to follow the commune profile and the desk's hours */
      fromOffice: { where: p.where === undefined, hours: p.hours === undefined },
    })),
  }));

export type LocalizedText = z.output<typeof localizedText>;
export type Office = z.output<typeof officeSchema>;
export type Catalogue = z.output<typeof catalogueSchema>;
/** A procedure with where/hours/online resolved (`online` null: in person only). */
export type Procedure = Catalogue['procedures'][number];

function officeWhere(office: Office): LocalizedText {
  const join = (name: string, address: string | undefined, phone: string) => `${address ? `${name}, ${address}` : name}${phone}`;
  const phone = (word: string) => (office.phone ? ` (${word} ${office.phone})` : '');
  const en = office.name.en === undefined ? undefined : join(office.name.en, office.address?.en ?? office.address?.vi, phone('phone'));
  return { vi: join(office.name.vi, office.address?.vi, phone('điện thoại')), ...(en ? { en } : {}) };
}

/** The commune's facts the catalogue shows: from the commune profile and office-hours.yaml. */
export interface OfficeFacts {
  address?: LocalizedText;
  phone?: string;
  hours?: LocalizedText;
  /** commune.yaml's settings; an entry with `bySetting` says what its value picks */
  settings?: Partial<CommuneSettings>;
}

/**
 * The catalogue with the office's address, phone and hours taken from the commune's own files, and
 * every procedure that says nothing of its own place or hours following them. The procedure list
 * keeps its order and ids (the matcher's index is keyed by the list).
 */
export function withOfficeFacts(catalogue: Catalogue, facts: OfficeFacts): Catalogue {
  const { address: _a, phone: _p, hours: _h, ...rest } = catalogue.office;
  const office: Office = { ...rest, ...(facts.address ? { address: facts.address } : {}), ...(facts.phone ? { phone: facts.phone } : {}), ...(facts.hours ? { hours: facts.hours } : {}) };
  const where = officeWhere(office);
  return {
    ...catalogue,
    office,
    procedures: catalogue.procedures.map((p) => {
      const picked = p.bySetting ? p.bySetting[facts.settings?.[p.bySetting.setting] ?? 'unknown'] : undefined;
      return {
        ...p,
        where: picked?.where ?? (p.fromOffice.where ? where : p.where),
        hours: p.fromOffice.hours ? office.hours : p.hours,
        ...(picked?.note ? { note: picked.note } : {}),
        ...(picked?.online !== undefined ? { online: picked.online } : {}),
      };
    }),
  };
}

/** The text in `locale`, falling back to Vietnamese when the English is missing. */
export function pick(text: LocalizedText, locale: Locale): string {
  return (locale === 'en' ? text.en : undefined) ?? text.vi;
}

/**
 * The procedure's button label in `locale`: its `short`, else its name (the loader made sure both
 * fit LABEL_MAX_CHARS); English falls back to the Vietnamese label.
 */
export function procedureLabel(p: Pick<Procedure, 'name' | 'short'>, locale: Locale): string {
  if (locale === 'en') return p.short?.en ?? p.name.en ?? p.short?.vi ?? p.name.vi;
  return p.short?.vi ?? p.name.vi;
}

export function findProcedure(catalogue: Catalogue, id: string): Procedure | undefined {
  return catalogue.procedures.find((p) => p.id === id);
}

function refuse(file: string, problem: string, issues?: DataIssue[]): never {
  throw new AppError('VALIDATION_FAILED', `${file}: ${problem}`, { file, problem, ...(issues ? { issues } : {}) });
}

/** Validates catalogue YAML text; `file` names the source in the error. Throws AppError VALIDATION_FAILED. */
export function parseCatalogue(yamlText: string, file: string): Catalogue {
  let raw: unknown;
  try {
    raw = parseYaml(yamlText);
  } catch (e) {
    refuse(file, `not valid YAML: ${(e as Error).message}`);
  }
  const result = catalogueSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    refuse(file, problems.join('; '), result.error.issues.map((issue, i) => ({ path: issue.path, message: problems[i] })));
  }
  return result.data;
}

/** Reads and validates the catalogue file. Throws AppError VALIDATION_FAILED naming the file and the problem. */
export function loadCatalogue(file: string): Catalogue {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    refuse(file, `cannot be read: ${(e as Error).message}`);
  }
  return parseCatalogue(text, file);
}
