/**
 * The labelled sets of bench/understanding-sets.yaml: emergencies, ordinary sentences, problems,
 * other offices and small talk, and new procedure questions, each with its held-out part.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

const Entry = z.strictObject({
  text: z.string().min(1),
  /** an emergency id, a petition category, another office's or a small-talk reply's id, a procedure id */
  expect: z.string().min(1).optional(),
  /** other answers that are right too (a residence question answered with the catalogue's residence entry) */
  accept: z.array(z.string().min(1)).default([]),
  /** never used for tuning */
  holdout: z.boolean().default(false),
});

const Labelled = z.array(Entry.required({ expect: true })).min(1);

export const SetsSchema = z.strictObject({
  version: z.literal(1),
  emergencies: Labelled,
  ordinary: z.array(Entry).min(1),
  problems: Labelled,
  others: Labelled,
  procedures: Labelled,
});

export type Sets = z.infer<typeof SetsSchema>;
export type SetEntry = z.infer<typeof Entry>;
export type SetName = Exclude<keyof Sets, 'version'>;

export const SET_NAMES: readonly SetName[] = ['emergencies', 'ordinary', 'problems', 'others', 'procedures'];

export function loadSets(file: string): Sets {
  return SetsSchema.parse(parse(readFileSync(file, 'utf8')));
}
