/**
 * The office's hours and time limits (flows/data/office-hours.yaml): which weekdays are working days,
 * the one-stop desk's sessions each weekday, the same-day cut-off, and the time limit of each
 * kind of petition. Each commune posts its own hours, so all of it is data.
 */
import { z } from 'zod';
import { parseDataFile, readDataFile } from './data-file';
import { parseClock, WEEKDAY_KEYS } from './vietnam-time';

const clock = z
  .string()
  .refine((text) => parseClock(text) !== undefined, 'must be a 24-hour time HH:MM, e.g. "07:30"')
  .transform((text) => parseClock(text) as number);

/** A desk session, in minutes since local midnight: [from, to). */
const sessionSchema = z
  .strictObject({ from: clock, to: clock })
  .refine((s) => s.from < s.to, 'from must be before to');

const sessionsSchema = z.array(sessionSchema).superRefine((sessions, ctx) => {
  sessions.forEach((s, i) => {
    const before = sessions[i - 1];
    if (before && s.from < before.to) ctx.addIssue({ code: 'custom', path: [i, 'from'], message: 'sessions must be in order and must not overlap' });
  });
});

const weekSchema = z.strictObject(
  Object.fromEntries(WEEKDAY_KEYS.map((key) => [key, sessionsSchema.default([])])) as Record<
    (typeof WEEKDAY_KEYS)[number],
    z.ZodDefault<typeof sessionsSchema>
  >,
);

const days = z.number().int().min(0).max(366);

/** Days for a case: the base, and where set, complex / remote-area / remote and complex cases. */
const daysSchema = z.strictObject({
  days,
  complexDays: days.optional(),
  remoteDays: days.optional(),
  remoteComplexDays: days.optional(),
});

const snakeKey = z.string().regex(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/, 'must be snake_case (a-z, 0-9, underscores)');

const timeLimitSchema = daysSchema.extend({
  name: z.strictObject({ vi: z.string().min(1), en: z.string().min(1) }),
  /** working_days (default) or calendar_days; a calendar-day limit ending on a day off moves to the next working day */
  unit: z.enum(['working_days', 'calendar_days']).default('working_days'),
  legalBasis: z.string().min(1).optional(),
  /** per category (the petition flow's category values), replacing the days they set */
  categories: z.record(snakeKey, daysSchema.partial()).default({}),
});

const officeHoursSchema = z
  .strictObject({
    version: z.number().int().positive(),
    /** weekdays that count as working days for deadlines (the 40-hour week: Monday to Friday) */
    workingDays: z.array(z.enum(WEEKDAY_KEYS)).min(1),
    /** desk sessions per weekday; an open Saturday morning does not make Saturday a working day */
    desk: weekSchema,
    /** sessions on a Saturday or Sunday the holiday schedule makes a working day */
    swappedWorkingDay: sessionsSchema.min(1),
    /** the end of a working day: when a deadline falls due */
    workdayEnds: clock,
    /** received after this, a file counts as received on the next working day */
    sameDayCutoff: clock,
    timeLimits: z.record(snakeKey, timeLimitSchema),
  })
  .superRefine((hours, ctx) => {
    if (hours.sameDayCutoff > hours.workdayEnds) {
      ctx.addIssue({ code: 'custom', path: ['sameDayCutoff'], message: 'must not be later than workdayEnds' });
    }
  });

export type Session = z.output<typeof sessionSchema>;
export type TimeLimit = z.output<typeof timeLimitSchema>;
export type OfficeHours = z.output<typeof officeHoursSchema>;

function describeEntry(_raw: unknown, path: PropertyKey[]): string | undefined {
  // The path already names the weekday or the kind (desk.saturday.0.to, timeLimits.complaint.days).
  return path[0] === 'timeLimits' && typeof path[1] === 'string' ? `(time limit "${path[1]}")` : undefined;
}

/** Validates office-hours YAML text; `file` names the source in the error. Throws AppError VALIDATION_FAILED. */
export function parseOfficeHours(yamlText: string, file: string): OfficeHours {
  return parseDataFile(yamlText, file, officeHoursSchema, describeEntry);
}

export function loadOfficeHours(file: string): OfficeHours {
  return parseOfficeHours(readDataFile(file), file);
}
