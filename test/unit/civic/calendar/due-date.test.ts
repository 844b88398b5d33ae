import { dueDate, receiptDay, timeLimitFor } from '../../../../src/civic/calendar/due-date';
import { parseOfficeHours } from '../../../../src/civic/calendar/office-hours';
import { isoOfDay } from '../../../../src/civic/calendar/vietnam-time';
import { isAppError } from '../../../../src/shared/app-error';
import { readFileSync } from 'node:fs';
import { DUE_DATE_SCENARIOS, OFFICE_HOURS_FILE, shippedCalendar, vn } from './shipped-calendar';

const cal = shippedCalendar();
const dueIso = (request: Parameters<typeof dueDate>[1]) => new Date(dueDate(cal, request)).toISOString();

describe('due dates', () => {
  test.each(DUE_DATE_SCENARIOS)('when $name, then it is due at 17:00 that day', ({ request, due }) => {
    expect(dueIso(request)).toBe(due);
  });

  test('when a file arrives at 15:00 sharp, then the day counts; a minute later, the next working day counts', () => {
    expect(isoOfDay(receiptDay(cal, vn('2026-03-09T15:00')))).toBe('2026-03-09');
    expect(isoOfDay(receiptDay(cal, vn('2026-03-09T15:01')))).toBe('2026-03-10');
    expect(dueIso({ kind: 'feedback', receivedAt: vn('2026-03-09T15:00') })).toBe('2026-03-23T10:00:00.000Z');
    expect(dueIso({ kind: 'feedback', receivedAt: vn('2026-03-09T15:01') })).toBe('2026-03-24T10:00:00.000Z');
  });

  test('when a same-day procedure is received before 15:00, then it is due at 17:00 the same day; after, the next working day', () => {
    expect(dueIso({ kind: 'same_day_procedure', receivedAt: vn('2026-03-09T14:59') })).toBe('2026-03-09T10:00:00.000Z');
    expect(dueIso({ kind: 'same_day_procedure', receivedAt: vn('2026-03-09T15:30') })).toBe('2026-03-10T10:00:00.000Z');
  });

  test('when a same-day procedure is received on Fri 24/4/2026 after 15:00, then Giỗ Tổ compensated on Mon 27/4 makes it Tue 28/4', () => {
    expect(dueIso({ kind: 'same_day_procedure', receivedAt: vn('2026-04-24T15:30') })).toBe('2026-04-28T10:00:00.000Z');
  });

  test('when a message arrives at 23:30 in Vietnam (16:30 UTC, still the same UTC day), then the Vietnamese day decides', () => {
    // 23:30 Thu 5/3 in Vietnam: after the cut-off, so counted from Fri 6/3.
    expect(isoOfDay(receiptDay(cal, vn('2026-03-05T23:30')))).toBe('2026-03-06');
    // 00:30 Fri 6/3 in Vietnam is still Thu 5/3 in UTC: counted from Fri 6/3 too.
    expect(isoOfDay(receiptDay(cal, vn('2026-03-06T00:30')))).toBe('2026-03-06');
  });

  test('when a denunciation is complex, then it gets 60 working days; remote alone keeps 30 when no remote limit is set', () => {
    expect(timeLimitFor(cal, { kind: 'denunciation' })).toEqual({ days: 30, unit: 'working_days' });
    expect(timeLimitFor(cal, { kind: 'denunciation', complex: true })).toEqual({ days: 60, unit: 'working_days' });
    expect(timeLimitFor(cal, { kind: 'denunciation', remote: true })).toEqual({ days: 30, unit: 'working_days' });
    expect(timeLimitFor(cal, { kind: 'complaint', remote: true })).toEqual({ days: 45, unit: 'working_days' });
  });

  test('when a category has its own limit, then it replaces the kind days it names and keeps the others', () => {
    const text = readFileSync(OFFICE_HOURS_FILE, 'utf8').replace(
      '    days: 30\n    complexDays: 45\n',
      '    days: 30\n    complexDays: 45\n    categories:\n      land_clearance: { days: 40 }\n',
    );
    const hours = parseOfficeHours(text, 'office-hours.yaml');
    const withCategories = { ...cal, hours };
    expect(timeLimitFor(withCategories, { kind: 'complaint', category: 'land_clearance' }).days).toBe(40);
    expect(timeLimitFor(withCategories, { kind: 'complaint', category: 'land_clearance', complex: true }).days).toBe(45);
    expect(timeLimitFor(withCategories, { kind: 'complaint', category: 'environment' }).days).toBe(30);
  });

  test('when a limit is in calendar days and ends on a day off, then it runs to the next working day', () => {
    const text = readFileSync(OFFICE_HOURS_FILE, 'utf8').replace(
      '  feedback:\n    name: { vi: Phản ánh, en: Feedback }\n    days: 10\n',
      '  feedback:\n    name: { vi: Phản ánh, en: Feedback }\n    days: 10\n    unit: calendar_days\n',
    );
    const calendarDays = { ...cal, hours: parseOfficeHours(text, 'office-hours.yaml') };
    // Mon 9/3/2026 + 10 days = Thu 19/3, a working day.
    expect(new Date(dueDate(calendarDays, { kind: 'feedback', receivedAt: vn('2026-03-09T09:00') })).toISOString()).toBe('2026-03-19T10:00:00.000Z');
    // Wed 4/2/2026 + 10 days = Sat 14/2, the start of Tết: due Mon 23/2.
    expect(new Date(dueDate(calendarDays, { kind: 'feedback', receivedAt: vn('2026-02-04T09:00') })).toISOString()).toBe('2026-02-23T10:00:00.000Z');
  });

  test('when the kind has no time limit, then it is refused naming the kind and the known ones', () => {
    let error: unknown;
    try {
      dueDate(cal, { kind: 'lawsuit', receivedAt: vn('2026-03-09T09:00') });
    } catch (e) {
      error = e;
    }
    expect(isAppError(error) && error.code).toBe('VALIDATION_FAILED');
    expect((error as Error).message).toMatch(/"lawsuit".*feedback/);
  });

  test('when the kind is an inherited object property, then it is not taken for a time limit', () => {
    expect(() => timeLimitFor(cal, { kind: 'toString' })).toThrow(/no time limit for kind "toString"/);
  });
});
