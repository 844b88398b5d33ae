import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCalendar } from '../../../../src/civic/calendar/calendar';
import { parseHolidays } from '../../../../src/civic/calendar/holidays';
import { parseOfficeHours } from '../../../../src/civic/calendar/office-hours';
import { isWorkingLocalDay } from '../../../../src/civic/calendar/working-days';
import { parseIsoDay } from '../../../../src/civic/calendar/vietnam-time';
import { isAppError } from '../../../../src/shared/app-error';
import { HOLIDAYS_FILE, OFFICE_HOURS_FILE, shippedCalendar } from './shipped-calendar';

const HOLIDAYS = readFileSync(HOLIDAYS_FILE, 'utf8');
const OFFICE_HOURS = readFileSync(OFFICE_HOURS_FILE, 'utf8');

function refusal(run: () => unknown): { file: unknown; problem: string; message: string } {
  try {
    run();
  } catch (e) {
    if (isAppError(e) && e.code === 'VALIDATION_FAILED') return { ...(e.details as { file: unknown; problem: string }), message: e.message };
    throw e;
  }
  throw new Error('expected a refusal');
}

const ENTRY_24_11 = `
version: 1
days:
  - date: 2026-11-24
    kind: holiday
    enabled: ENABLED
    name: { vi: Ngày Văn hóa Việt Nam, en: Vietnam Culture Day }
`;

describe('calendar data files', () => {
  test('when the shipped files are loaded, then every year 2025-2027 has its 11 statutory days and 2027 is provisional', () => {
    const cal = shippedCalendar();
    for (const year of ['2025', '2026', '2027']) {
      const statutory = cal.holidays.days.filter((d) => d.enabled && d.kind === 'holiday' && d.date.startsWith(year));
      expect(statutory).toHaveLength(11);
    }
    const in2027 = cal.holidays.days.filter((d) => d.date.startsWith('2027'));
    expect(in2027.every((d) => d.provisional)).toBe(true);
    expect(cal.holidays.days.filter((d) => d.date.startsWith('2026')).some((d) => d.provisional)).toBe(false);
  });

  test('when the shipped office hours are loaded, then the desk keeps 07:30-11:30 and 13:30-17:00 on weekdays, closed on Saturday', () => {
    const { hours } = shippedCalendar();
    expect(hours.desk.monday).toEqual([{ from: 450, to: 690 }, { from: 810, to: 1020 }]);
    expect(hours.desk.saturday).toEqual([]);
    expect(hours.sameDayCutoff).toBe(15 * 60);
    expect(hours.workdayEnds).toBe(17 * 60);
    expect(hours.timeLimits.complaint).toMatchObject({ days: 30, complexDays: 45, remoteDays: 45, remoteComplexDays: 60 });
  });

  test('when an entry is disabled, then its day is an ordinary working day; enabled, it is a day off', () => {
    const cal = shippedCalendar();
    const day = parseIsoDay('2026-11-24')!;
    const disabled = parseHolidays(ENTRY_24_11.replace('ENABLED', 'false'), 'h.yaml');
    const enabled = parseHolidays(ENTRY_24_11.replace('ENABLED', 'true'), 'h.yaml');
    expect(isWorkingLocalDay({ ...cal, holidays: disabled }, day)).toBe(true);
    expect(isWorkingLocalDay({ ...cal, holidays: enabled }, day)).toBe(false);
    expect(cal.holidays.days.find((d) => d.date === '2026-11-24')?.enabled).toBe(false);
  });

  test('when a date is not on the calendar, then the file is refused naming the file and the entry', () => {
    const r = refusal(() => parseHolidays(HOLIDAYS.replace('date: 2026-02-17,', 'date: 2026-02-30,'), 'flows/data/holidays.yaml'));
    expect(r.file).toBe('flows/data/holidays.yaml');
    expect(r.message).toContain('flows/data/holidays.yaml');
    expect(r.problem).toMatch(/days\.\d+\.date \(2026-02-30 Tết Nguyên đán \(mùng 1\)\): is not a date on the calendar/);
  });

  test('when a date is written dd/mm/yyyy, then it is refused asking for yyyy-mm-dd', () => {
    const r = refusal(() => parseHolidays(HOLIDAYS.replace('date: 2026-01-10,', 'date: 10/01/2026,'), 'holidays.yaml'));
    expect(r.problem).toMatch(/\(10\/01\/2026 Làm bù cho ngày nghỉ 02\/01\): must be an ISO date yyyy-mm-dd/);
  });

  test('when an entry has an unknown kind or lacks its English name, then it is refused naming the entry', () => {
    expect(refusal(() => parseHolidays(HOLIDAYS.replace('date: 2026-01-10, kind: working_day', 'date: 2026-01-10, kind: workday'), 'h.yaml')).problem).toMatch(
      /days\.\d+\.kind \(2026-01-10 Làm bù/,
    );
    expect(refusal(() => parseHolidays(HOLIDAYS.replace(', en: National Day } }', ' } }'), 'h.yaml')).problem).toMatch(/days\.\d+\.name\.en \(2025-09-02 Quốc khánh\)/);
  });

  test('when two enabled entries share a day, or a working_day falls on a weekday, then the file is refused', () => {
    const twice = HOLIDAYS.replace('date: 2026-01-10, kind: working_day', 'date: 2026-01-02, kind: working_day');
    const problem = refusal(() => parseHolidays(twice, 'h.yaml')).problem;
    expect(problem).toMatch(/2026-01-02 is also days\.\d+; keep one entry a day/);
    expect(problem).toMatch(/working_day must be a Saturday or Sunday; 2026-01-02 is a weekday/);
  });

  test('when office hours are malformed, then the file is refused naming the weekday or the time limit', () => {
    expect(refusal(() => parseOfficeHours(OFFICE_HOURS.replace('friday:    [{ from: "07:30"', 'friday:    [{ from: "7h30"'), 'o.yaml')).problem).toMatch(
      /desk\.friday\.0\.from: must be a 24-hour time HH:MM/,
    );
    expect(refusal(() => parseOfficeHours(OFFICE_HOURS.replace('monday:    [{ from: "07:30", to: "11:30" }', 'monday:    [{ from: "11:30", to: "07:30" }'), 'o.yaml')).problem).toMatch(
      /desk\.monday\.0: from must be before to/,
    );
    expect(refusal(() => parseOfficeHours(OFFICE_HOURS.replace('    days: 30\n    complexDays: 45', '    days: -3\n    complexDays: 45'), 'o.yaml')).problem).toMatch(
      /timeLimits\.complaint\.days \(time limit "complaint"\)/,
    );
    expect(refusal(() => parseOfficeHours(OFFICE_HOURS.replace('sameDayCutoff: "15:00"', 'sameDayCutoff: "18:00"'), 'o.yaml')).problem).toMatch(
      /sameDayCutoff: must not be later than workdayEnds/,
    );
  });

  test('when a file is missing or not YAML, then loadCalendar refuses naming that file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'calendar-'));
    const broken = join(dir, 'office-hours.yaml');
    writeFileSync(broken, 'desk: [unclosed');
    expect(refusal(() => loadCalendar(HOLIDAYS_FILE, broken)).problem).toMatch(/not valid YAML/);
    expect(refusal(() => loadCalendar(join(dir, 'nope.yaml'), OFFICE_HOURS_FILE)).file).toBe(join(dir, 'nope.yaml'));
  });
});
