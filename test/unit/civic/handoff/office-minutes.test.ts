import { officeMinutesAfter, nextOfficeOpening } from '../../../../src/civic/handoff/office-minutes';
import { CITIZEN_TEXT } from '../../../../src/civic/handoff/handoff-text';
import { shippedCalendar, vn } from '../calendar/shipped-calendar';

const cal = shippedCalendar();

describe('office-hours minutes for taking a hand-off (shipped office hours, Vietnam time whatever the TZ)', () => {
  test('when asked in the middle of a session, then the minutes run straight on', () => {
    expect(officeMinutesAfter(cal, vn('2026-03-09T09:00'), 15)).toBe(vn('2026-03-09T09:15'));
  });

  test('when the session ends first, then the rest runs from the afternoon session', () => {
    // Friday 11:25: 5 minutes to 11:30, the other 10 from 13:30.
    expect(officeMinutesAfter(cal, vn('2026-03-13T11:25'), 15)).toBe(vn('2026-03-13T13:40'));
  });

  test('when asked on a weekend or in the evening, then the minutes start when the office opens', () => {
    expect(officeMinutesAfter(cal, vn('2026-03-14T10:00'), 15)).toBe(vn('2026-03-16T07:45'));
    expect(officeMinutesAfter(cal, vn('2026-03-09T20:00'), 15)).toBe(vn('2026-03-10T07:45'));
    expect(nextOfficeOpening(cal, vn('2026-03-09T20:00'))).toBe(vn('2026-03-10T07:30'));
    expect(nextOfficeOpening(cal, vn('2026-03-09T09:10'))).toBe(vn('2026-03-09T09:10'));
  });

  test('when the office is closed, then the citizen is told the day and hour it opens; when open, that an answer comes shortly', () => {
    const at = vn('2026-03-14T10:00');
    expect(CITIZEN_TEXT.expect(nextOfficeOpening(cal, at), at, 'vi')).toContain('7h30, Thứ Hai, 16/03/2026');
    const open = vn('2026-03-09T09:10');
    expect(CITIZEN_TEXT.expect(nextOfficeOpening(cal, open), open, 'vi')).toContain('trong ít phút');
  });
});
