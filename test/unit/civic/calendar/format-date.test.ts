import { formatVietnameseDate, formatVietnameseTime } from '../../../../src/civic/calendar/format-date';
import { vn } from './shipped-calendar';

describe('Vietnamese dates', () => {
  test('when a date is formatted, then it reads "Thứ Hai, 16/02/2026" with the Vietnamese weekday', () => {
    expect(formatVietnameseDate(vn('2026-02-16T10:00'))).toBe('Thứ Hai, 16/02/2026');
    expect(formatVietnameseDate(vn('2026-02-22T10:00'))).toBe('Chủ nhật, 22/02/2026');
    expect(formatVietnameseDate(vn('2026-01-10T10:00'))).toBe('Thứ Bảy, 10/01/2026');
  });

  test('when a time is formatted, then it is 24-hour "14h30", "7h05", "17h00"', () => {
    expect(formatVietnameseTime(vn('2026-02-16T14:30'))).toBe('14h30');
    expect(formatVietnameseTime(vn('2026-02-16T07:05'))).toBe('7h05');
    expect(formatVietnameseTime(vn('2026-02-16T17:00'))).toBe('17h00');
    expect(formatVietnameseTime(vn('2026-02-16T00:00'))).toBe('0h00');
  });

  test('when the time is asked for, then it comes first: "17h00, Thứ Sáu, 06/03/2026"', () => {
    expect(formatVietnameseDate(vn('2026-03-06T17:00'), { withTime: true })).toBe('17h00, Thứ Sáu, 06/03/2026');
  });

  test('when it is just after midnight in Vietnam (still the day before in UTC), then the Vietnamese date is shown', () => {
    expect(formatVietnameseDate(vn('2026-02-17T00:30'), { withTime: true })).toBe('0h30, Thứ Ba, 17/02/2026');
  });
});
