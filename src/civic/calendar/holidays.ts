/**
 * The commune's days off and swapped working days (flows/data/holidays.yaml): statutory holidays
 * (Bộ luật Lao động 2019 Art. 112), the civil-service schedule decided each year, and explicit
 * overrides. Nothing is derived here: a compensatory day or a swapped Saturday is an entry.
 */
import { z } from 'zod';
import { parseDataFile, readDataFile } from './data-file';
import { parseIsoDay, weekdayOf, type LocalDay } from './vietnam-time';

/**
 * holiday: a statutory public holiday; day_off: an extra day off (compensatory, bridge day);
 * working_day: a Saturday or Sunday worked in exchange for a day off.
 */
export const DAY_KINDS = ['holiday', 'day_off', 'working_day'] as const;
export type DayKind = (typeof DAY_KINDS)[number];

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be an ISO date yyyy-mm-dd')
  .refine((text) => parseIsoDay(text) !== undefined, 'is not a date on the calendar');

const entrySchema = z.strictObject({
  date: isoDay,
  name: z.strictObject({ vi: z.string().min(1), en: z.string().min(1) }),
  kind: z.enum(DAY_KINDS),
  /** false keeps an entry written down without effect (e.g. a holiday not yet in law) */
  enabled: z.boolean().default(true),
  /** true while the year's schedule is not decided; the entry counts all the same */
  provisional: z.boolean().default(false),
  note: z.string().min(1).optional(),
});

const scheduleSchema = z
  .strictObject({
    version: z.number().int().positive(),
    days: z.array(entrySchema),
  })
  .superRefine((schedule, ctx) => {
    const seen = new Map<string, number>();
    schedule.days.forEach((entry, i) => {
      if (!entry.enabled) return;
      const first = seen.get(entry.date);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['days', i, 'date'], message: `${entry.date} is also days.${first}; keep one entry a day` });
      }
      seen.set(entry.date, i);
      const weekday = weekdayOf(parseIsoDay(entry.date) as LocalDay);
      if (entry.kind === 'working_day' && weekday !== 0 && weekday !== 6) {
        ctx.addIssue({ code: 'custom', path: ['days', i, 'kind'], message: `working_day must be a Saturday or Sunday; ${entry.date} is a weekday` });
      }
    });
  })
  .transform((schedule) => {
    const days = schedule.days.map((entry) => ({ ...entry, day: parseIsoDay(entry.date) as LocalDay }));
    const byDay = new Map<LocalDay, DayEntry>();
    for (const entry of days) if (entry.enabled) byDay.set(entry.day, entry);
    return { version: schedule.version, days, byDay };
  });

/** One entry of the file, with its `day` resolved. */
export type DayEntry = z.output<typeof entrySchema> & { day: LocalDay };
/** All entries, and the enabled ones by day. */
export type HolidaySchedule = z.output<typeof scheduleSchema>;

function describeEntry(raw: unknown, path: PropertyKey[]): string | undefined {
  if (path[0] !== 'days' || typeof path[1] !== 'number') return undefined;
  const entry = (raw as { days?: unknown[] } | null)?.days?.[path[1]] as { date?: unknown; name?: { vi?: unknown } } | undefined;
  if (typeof entry !== 'object' || entry === null) return undefined;
  const label = [entry.date, entry.name?.vi].filter((part) => typeof part === 'string').join(' ');
  return label ? `(${label})` : undefined;
}

/** Validates holidays YAML text; `file` names the source in the error. Throws AppError VALIDATION_FAILED. */
export function parseHolidays(yamlText: string, file: string): HolidaySchedule {
  return parseDataFile(yamlText, file, scheduleSchema, describeEntry);
}

export function loadHolidays(file: string): HolidaySchedule {
  return parseHolidays(readDataFile(file), file);
}

/** The enabled entry for `day`, if any. */
export function entryOn(schedule: HolidaySchedule, day: LocalDay): DayEntry | undefined {
  return schedule.byDay.get(day);
}
