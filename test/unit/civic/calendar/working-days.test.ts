import { addWorkingDays, isWorkingDay } from '../../../../src/civic/calendar/working-days';
import { shippedCalendar, vn } from './shipped-calendar';

const cal = shippedCalendar();

describe('working days', () => {
  test.each([
    ['2026-02-13', true, 'Friday before Tết'],
    ['2026-02-16', false, '29 Chạp, Tết'],
    ['2026-02-20', false, 'mùng 4 Tết'],
    ['2026-02-23', true, 'first day back after Tết'],
    ['2026-01-02', false, 'Friday swapped for Saturday 10/1'],
    ['2026-01-10', true, 'Saturday worked in exchange'],
    ['2026-01-17', false, 'an ordinary Saturday'],
    ['2026-04-27', false, 'Monday in lieu of Giỗ Tổ on Sunday 26/4'],
    ['2026-08-22', true, 'Saturday worked in exchange for 31/8'],
    ['2026-08-31', false, 'Monday swapped for Saturday 22/8'],
    ['2026-09-03', true, 'Thursday after Quốc khánh'],
    ['2025-04-26', true, 'Saturday worked in 2025 instead of Friday 2/5'],
    ['2025-05-02', false, 'Friday off in 2025'],
    ['2026-11-24', true, 'the pending Ngày Văn hóa Việt Nam, disabled'],
    ['2027-02-10', false, 'provisional compensation for Tết 2027'],
  ])('when the day is %s (%s expected working: %s), then isWorkingDay says so', (date, working) => {
    expect(isWorkingDay(cal, date)).toBe(working);
  });

  test('when given an instant, then its Vietnamese day is meant, not its UTC day', () => {
    // 06:00 Mon 23/2/2026 in Vietnam is 23:00 Sun 22/2 UTC, still Tết in UTC.
    expect(isWorkingDay(cal, vn('2026-02-23T06:00'))).toBe(true);
    // 06:00 Sat 14/2 in Vietnam is 23:00 Fri 13/2 UTC, a working day in UTC.
    expect(isWorkingDay(cal, vn('2026-02-14T06:00'))).toBe(false);
  });

  test('when one working day is added on the Friday before Tết, then it lands on Mon 23/2 at the same time', () => {
    expect(addWorkingDays(cal, vn('2026-02-13T10:15'), 1)).toBe(vn('2026-02-23T10:15'));
  });

  test('when counting back, then it skips the same days off', () => {
    expect(addWorkingDays(cal, vn('2026-02-23T10:15'), -1)).toBe(vn('2026-02-13T10:15'));
    expect(addWorkingDays(cal, vn('2026-01-12T08:00'), -1)).toBe(vn('2026-01-10T08:00'));
  });

  test('when zero days are added, then the instant is unchanged, even on a day off', () => {
    const sunday = vn('2026-03-08T11:11');
    expect(addWorkingDays(cal, sunday, 0)).toBe(sunday);
  });

  test('when starting on a day off, then the first working day after it is day one', () => {
    expect(addWorkingDays(cal, vn('2026-02-15T20:00'), 1)).toBe(vn('2026-02-23T20:00'));
  });

  test('when the number of days is not whole, or the date is not yyyy-mm-dd, then it is refused', () => {
    expect(() => addWorkingDays(cal, vn('2026-03-09T09:00'), 1.5)).toThrow(/whole/);
    expect(() => isWorkingDay(cal, '23/02/2026')).toThrow(/yyyy-mm-dd/);
    expect(() => isWorkingDay(cal, '2026-02-30')).toThrow(/yyyy-mm-dd/);
  });
});
