/**
 * The typed dialogues of bench/dialogues/*.yaml: what a citizen writes at each turn, how the same
 * step is done by tapping, and the goal the conversation should reach. Read by `npm run bench:dialogues`
 * and checked by test/unit/bench-dialogues.test.ts. See bench/dialogues/README.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

export const DIALOGUES_DIR = resolve(__dirname, 'dialogues');

export const PLATFORMS = ['messenger', 'zalo'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** One tapped action: a payload among the offered choices, the offered choice whose title has a text, the n-th offered choice (from 1), or words typed. */
const tapAction = z.union([
  z.string().min(1),
  z.object({ title_contains: z.string().min(1) }).strict(),
  z.object({ index: z.number().int().min(1) }).strict(),
  z.object({ text: z.string().min(1) }).strict(),
]);
export type TapAction = z.infer<typeof tapAction>;

const turn = z
  .object({
    /** what the citizen types */
    type: z.string().min(1),
    /** the same step done by tapping; absent: the tapped replay types the same words (free text) */
    tap: z.union([tapAction, z.array(tapAction).min(1)]).optional(),
  })
  .strict();
export type Turn = z.infer<typeof turn>;

const hhmm = z.string().regex(/^\d{2}:\d{2}$/);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const goal = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('case_filed'),
      category: z.string().min(1),
      type: z.enum(['feedback', 'proposal']).optional(),
      /** E.164; null: the case keeps no phone */
      phone: z.string().regex(/^\+84\d{9}$/).nullable().optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('appointment_booked'),
      day,
      time: hhmm.optional(),
      time_any: z.array(hhmm).min(1).optional(),
      phone: z.string().regex(/^\+84\d{9}$/).optional(),
    })
    .strict()
    .refine((g) => (g.time === undefined) !== (g.time_any === undefined), 'give time or time_any'),
  z.object({ kind: z.literal('status_shown'), contains: z.array(z.string().min(1)).min(1) }).strict(),
  z.object({ kind: z.literal('rating_recorded'), score: z.number().int().min(1).max(5), trips: z.number().int().min(0).max(2).optional() }).strict(),
  z.object({ kind: z.literal('handoff_opened') }).strict(),
  z.object({ kind: z.literal('data_rights_recorded') }).strict(),
  z.object({ kind: z.literal('appointment_cancelled') }).strict(),
  z.object({ kind: z.literal('appointment_moved'), day, time: hhmm }).strict(),
  z.object({ kind: z.literal('declined') }).strict(),
]);
export type Goal = z.infer<typeof goal>;
export type GoalKind = Goal['kind'];
export const GOAL_KINDS: readonly GoalKind[] = [
  'case_filed',
  'appointment_booked',
  'status_shown',
  'rating_recorded',
  'handoff_opened',
  'data_rights_recorded',
  'appointment_cancelled',
  'appointment_moved',
  'declined',
];

const CASE_STATUSES = ['received', 'assigned', 'in_progress', 'resolved', 'rejected', 'transferred'] as const;

const setup = z
  .object({
    /** a petition this citizen filed before, with this status */
    case: z.object({ status: z.enum(CASE_STATUSES), category: z.string().min(1), village: z.string().optional() }).strict().optional(),
    /** an appointment this citizen booked before */
    appointment: z.object({ day, time: hhmm }).strict().optional(),
  })
  .strict();
export type Setup = z.infer<typeof setup>;

export const dialogue = z
  .object({
    id: z.string().regex(/^[a-z]+-\d{2}$/),
    platform: z.enum(PLATFORMS),
    holdout: z.boolean().optional(),
    setup: setup.optional(),
    goal,
    turns: z.array(turn).min(1),
    note: z.string().optional(),
    goal_note: z.string().optional(),
  })
  .strict();
export type Dialogue = z.infer<typeof dialogue> & { file: string };

/** Every dialogue of `dir`, checked; throws with the file and the dialogue on a bad entry or a repeated id. */
export function loadDialogues(dir: string = DIALOGUES_DIR): Dialogue[] {
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  const out: Dialogue[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const raw: unknown = parse(readFileSync(join(dir, file), 'utf8'));
    const list = z.array(z.unknown()).parse(raw);
    list.forEach((entry, i) => {
      const parsed = dialogue.safeParse(entry);
      if (!parsed.success) throw new Error(`${file} #${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
      if (seen.has(parsed.data.id)) throw new Error(`${file}: id ${parsed.data.id} is used twice`);
      seen.add(parsed.data.id);
      out.push({ ...parsed.data, file });
    });
  }
  return out;
}
