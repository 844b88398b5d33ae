/**
 * The desk's booking settings (flows/data/desk.yaml): slot length, places per slot, lead time,
 * reminders, and which procedures need a visit. The hours themselves are the calendar's.
 */
import { z } from 'zod';
import { parseDataFile, readDataFile } from '../calendar/data-file';
import { WEEKDAY_KEYS, type WeekdayKey } from '../calendar/vietnam-time';

const localizedText = z.strictObject({ vi: z.string().min(1), en: z.string().min(1).optional() });
// A slot takes at least one person: a day without the desk is closed in office-hours.yaml instead.
const capacity = z.number().int().min(1, 'must be at least 1 (close a day in office-hours.yaml instead)').max(1000);

const reminderSchema = z.strictObject({
  /** names the reminder in job ids and texts, e.g. day_before */
  kind: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case'),
  minutesBefore: z.number().int().min(1).max(14 * 24 * 60),
});

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour, Vietnam time)');

/** Result dates (hẹn trả kết quả): when the citizen is reminded and the official asked to confirm. */
const resultDateSettingsSchema = z.strictObject({
  /** reminders to the citizen: `daysBefore` calendar days before the result day, at `at` */
  citizenReminders: z
    .array(z.strictObject({ kind: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case'), daysBefore: z.number().int().min(0).max(7), at: clock }))
    .max(4),
  /** the working day before the result day, at this time, the official is asked to confirm it */
  officialCheckAt: clock,
  /** the latest result day an official may set, in calendar days from today */
  maxDaysAhead: z.number().int().min(1).max(366),
});

/** The day before at 16:00 and the morning itself at 07:00; the official's check at 09:00 the working day before. */
export const DEFAULT_RESULT_DATE_SETTINGS: z.output<typeof resultDateSettingsSchema> = {
  citizenReminders: [
    { kind: 'day_before', daysBefore: 1, at: '16:00' },
    { kind: 'morning', daysBefore: 0, at: '07:00' },
  ],
  officialCheckAt: '09:00',
  maxDaysAhead: 180,
};

const deskSettingsSchema = z
  .strictObject({
    version: z.number().int().positive(),
    slotMinutes: z.number().int().min(5).max(240),
    capacityPerSlot: capacity,
    capacityByWeekday: z.partialRecord(z.enum(WEEKDAY_KEYS), capacity).default({}),
    leadMinutes: z.number().int().min(0).max(7 * 24 * 60).default(60),
    daysOffered: z.number().int().min(1).max(13).default(6),
    place: localizedText.optional(),
    reminders: z.array(reminderSchema).max(5).default([]),
    procedures: z.array(z.string().min(1)).default([]),
    resultDates: resultDateSettingsSchema.default(DEFAULT_RESULT_DATE_SETTINGS),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.reminders.forEach((r, i) => {
      if (seen.has(r.kind)) ctx.addIssue({ code: 'custom', path: ['reminders', i, 'kind'], message: `reminder kind "${r.kind}" is listed twice` });
      seen.add(r.kind);
    });
  });

export type DeskSettings = z.output<typeof deskSettingsSchema>;
export type ReminderSetting = z.output<typeof reminderSchema>;
export type ResultDateSettings = z.output<typeof resultDateSettingsSchema>;

/** The defaults when no file is given: one-hour slots, 4 places, reminders the day before and 2 h before. */
export const DEFAULT_DESK_SETTINGS: DeskSettings = {
  version: 1,
  slotMinutes: 60,
  capacityPerSlot: 4,
  capacityByWeekday: {},
  leadMinutes: 60,
  daysOffered: 6,
  reminders: [
    { kind: 'day_before', minutesBefore: 24 * 60 },
    { kind: 'two_hours', minutesBefore: 120 },
  ],
  procedures: [],
  resultDates: DEFAULT_RESULT_DATE_SETTINGS,
};

/** Validates desk YAML text; `file` names the source in the error. Throws AppError VALIDATION_FAILED. */
export function parseDeskSettings(yamlText: string, file: string): DeskSettings {
  return parseDataFile(yamlText, file, deskSettingsSchema);
}

export function loadDeskSettings(file: string): DeskSettings {
  return parseDeskSettings(readDataFile(file), file);
}

/** Places per slot on a weekday. */
export function capacityOn(settings: DeskSettings, weekday: WeekdayKey): number {
  return settings.capacityByWeekday[weekday] ?? settings.capacityPerSlot;
}
