import { readFileSync } from 'node:fs';
import { nextOpenSlots, officeOpenAt } from '../../../../src/civic/calendar/desk-hours';
import { parseOfficeHours } from '../../../../src/civic/calendar/office-hours';
import { OFFICE_HOURS_FILE, shippedCalendar, vn } from './shipped-calendar';

const cal = shippedCalendar();

function withSaturdayMorning() {
  const text = readFileSync(OFFICE_HOURS_FILE, 'utf8').replace('saturday:  []', 'saturday:  [{ from: "07:30", to: "11:30" }]');
  return { ...cal, hours: parseOfficeHours(text, 'office-hours.yaml') };
}

describe('desk hours', () => {
  test('when it is within a session on a working day, then the desk is open; at lunch or after 17:00, closed', () => {
    expect(officeOpenAt(cal, vn('2026-03-09T07:30'))).toBe(true);
    expect(officeOpenAt(cal, vn('2026-03-09T07:29'))).toBe(false);
    expect(officeOpenAt(cal, vn('2026-03-09T12:00'))).toBe(false);
    expect(officeOpenAt(cal, vn('2026-03-09T16:59'))).toBe(true);
    expect(officeOpenAt(cal, vn('2026-03-09T17:00'))).toBe(false);
  });

  test('when it is a holiday, an ordinary Saturday or the worked Saturday 10/1/2026, then the desk follows the calendar', () => {
    expect(officeOpenAt(cal, vn('2026-02-17T09:00'))).toBe(false);
    expect(officeOpenAt(cal, vn('2026-03-07T09:00'))).toBe(false);
    expect(officeOpenAt(cal, vn('2026-01-10T09:00'))).toBe(true);
    expect(officeOpenAt(cal, vn('2026-01-10T14:00'))).toBe(true);
  });

  test('when booking on the Friday afternoon before Tết, then the next open days are that afternoon, then after Tết', () => {
    const days = nextOpenSlots(cal, vn('2026-02-13T14:00'), 3);
    expect(days.map((d) => d.date)).toEqual(['2026-02-13', '2026-02-23', '2026-02-24']);
    expect(days[0].sessions).toEqual([{ from: vn('2026-02-13T14:00'), to: vn('2026-02-13T17:00') }]);
    expect(days[1]).toEqual({
      date: '2026-02-23',
      weekday: 'monday',
      workingDay: true,
      sessions: [
        { from: vn('2026-02-23T07:30'), to: vn('2026-02-23T11:30') },
        { from: vn('2026-02-23T13:30'), to: vn('2026-02-23T17:00') },
      ],
    });
  });

  test('when a lead time pushes past the day\'s last session, then that day is left out', () => {
    const days = nextOpenSlots(cal, vn('2026-03-09T16:00'), 1, { leadMinutes: 120 });
    expect(days.map((d) => d.date)).toEqual(['2026-03-10']);
  });

  test('when the week around the worked Saturday 10/1/2026 is listed, then the Saturday is an open working day', () => {
    const days = nextOpenSlots(cal, vn('2026-01-09T18:00'), 2);
    expect(days.map((d) => [d.date, d.weekday, d.workingDay])).toEqual([
      ['2026-01-10', 'saturday', true],
      ['2026-01-12', 'monday', true],
    ]);
  });

  test('when Saturday mornings are opened in the office-hours file, then Saturdays are open mornings but not working days', () => {
    const saturdays = withSaturdayMorning();
    expect(officeOpenAt(saturdays, vn('2026-03-07T09:00'))).toBe(true);
    expect(officeOpenAt(saturdays, vn('2026-03-07T14:00'))).toBe(false);
    const days = nextOpenSlots(saturdays, vn('2026-03-06T18:00'), 2);
    expect(days[0]).toEqual({
      date: '2026-03-07',
      weekday: 'saturday',
      workingDay: false,
      sessions: [{ from: vn('2026-03-07T07:30'), to: vn('2026-03-07T11:30') }],
    });
    // The Saturdays inside the Tết break (14/2-22/2/2026) stay closed.
    expect(officeOpenAt(saturdays, vn('2026-02-14T09:00'))).toBe(false);
    expect(officeOpenAt(saturdays, vn('2026-02-21T09:00'))).toBe(false);
  });
});
