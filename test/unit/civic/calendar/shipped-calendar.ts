// The calendar as shipped in flows/data, and the deadline scenarios several suites check
// (in-process, under other server time zones, and in a child process).
import { join } from 'node:path';
import { loadCalendar, type Calendar } from '../../../../src/civic/calendar/calendar';
import type { DueDateRequest } from '../../../../src/civic/calendar/due-date';

export const ROOT = join(__dirname, '../../../..');
export const HOLIDAYS_FILE = join(ROOT, 'flows/data/holidays.yaml');
export const OFFICE_HOURS_FILE = join(ROOT, 'flows/data/office-hours.yaml');

export function shippedCalendar(): Calendar {
  return loadCalendar(HOLIDAYS_FILE, OFFICE_HOURS_FILE);
}

/** An instant written in Vietnam time, parsed without the process's time zone. */
export function vn(localIso: string): number {
  return Date.parse(`${localIso}+07:00`);
}

export interface DueDateScenario {
  name: string;
  request: DueDateRequest;
  /** UTC; 17:00 in Vietnam is 10:00Z */
  due: string;
}

export const DUE_DATE_SCENARIOS: DueDateScenario[] = [
  {
    name: 'feedback received Wed 11/2/2026 runs over Tết (14/2-22/2) to Wed 4/3',
    request: { kind: 'feedback', receivedAt: vn('2026-02-11T09:00') },
    due: '2026-03-04T10:00:00.000Z',
  },
  {
    name: 'complaint acceptance received Fri 13/2/2026, the last day before Tết, is due Fri 6/3',
    request: { kind: 'complaint_acceptance', receivedAt: vn('2026-02-13T09:00') },
    due: '2026-03-06T10:00:00.000Z',
  },
  {
    name: 'a same-day procedure received Fri 13/2/2026 after 15:00 is returned after Tết, Mon 23/2',
    request: { kind: 'same_day_procedure', receivedAt: vn('2026-02-13T16:00') },
    due: '2026-02-23T10:00:00.000Z',
  },
  {
    name: 'feedback received Fri 6/3/2026 skips two weekends to Fri 20/3',
    request: { kind: 'feedback', receivedAt: vn('2026-03-06T09:00') },
    due: '2026-03-20T10:00:00.000Z',
  },
  {
    name: 'feedback received Sat 7/3/2026 counts from Mon 9/3 and is due Mon 23/3',
    request: { kind: 'feedback', receivedAt: vn('2026-03-07T10:00') },
    due: '2026-03-23T10:00:00.000Z',
  },
  {
    name: 'feedback received Fri 9/1/2026 counts the worked Saturday 10/1 and is due Thu 22/1',
    request: { kind: 'feedback', receivedAt: vn('2026-01-09T10:00') },
    due: '2026-01-22T10:00:00.000Z',
  },
  {
    name: 'feedback received Wed 31/12/2025 skips 1-4/1 and is due Thu 15/1/2026',
    request: { kind: 'feedback', receivedAt: vn('2025-12-31T10:00') },
    due: '2026-01-15T10:00:00.000Z',
  },
  {
    name: 'feedback received Thu 20/8/2026 counts Sat 22/8, skips 29/8-2/9 and is due Mon 7/9',
    request: { kind: 'feedback', receivedAt: vn('2026-08-20T09:00') },
    due: '2026-09-07T10:00:00.000Z',
  },
  {
    name: 'feedback received Thu 23/4/2026 skips Giỗ Tổ compensated on Mon 27/4 and 30/4-1/5, due Tue 12/5',
    request: { kind: 'feedback', receivedAt: vn('2026-04-23T09:00') },
    due: '2026-05-12T10:00:00.000Z',
  },
  {
    name: 'a complaint received Mon 2/3/2026 is decided within 30 working days, by Mon 13/4',
    request: { kind: 'complaint', receivedAt: vn('2026-03-02T09:00') },
    due: '2026-04-13T10:00:00.000Z',
  },
  {
    name: 'a complex complaint gets 45 working days, past 30/4-1/5, to Thu 7/5',
    request: { kind: 'complaint', receivedAt: vn('2026-03-02T09:00'), complex: true },
    due: '2026-05-07T10:00:00.000Z',
  },
  {
    name: 'a complex complaint from a remote area gets 60 working days, to Thu 28/5',
    request: { kind: 'complaint', receivedAt: vn('2026-03-02T09:00'), complex: true, remote: true },
    due: '2026-05-28T10:00:00.000Z',
  },
];

/**
 * Every calendar function run on the shipped calendar, as JSON-able values: compared across
 * server time zones and with a child process.
 */
export function computeEverything(cal: Calendar): Record<string, unknown> {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded lazily so a child process can call this after setting its TZ */
  const { dueDate } = require('../../../../src/civic/calendar/due-date') as typeof import('../../../../src/civic/calendar/due-date');
  const { addWorkingDays, isWorkingDay } = require('../../../../src/civic/calendar/working-days') as typeof import('../../../../src/civic/calendar/working-days');
  const { nextOpenSlots, officeOpenAt } = require('../../../../src/civic/calendar/desk-hours') as typeof import('../../../../src/civic/calendar/desk-hours');
  const { formatVietnameseDate } = require('../../../../src/civic/calendar/format-date') as typeof import('../../../../src/civic/calendar/format-date');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const instants = ['2026-02-13T14:00', '2026-02-14T06:00', '2026-02-23T06:00', '2026-03-05T23:30', '2026-03-06T00:30', '2026-01-10T09:00'].map(vn);
  return {
    due: DUE_DATE_SCENARIOS.map((s) => new Date(dueDate(cal, s.request)).toISOString()),
    working: instants.map((t) => isWorkingDay(cal, t)),
    open: instants.map((t) => officeOpenAt(cal, t)),
    plusOne: instants.map((t) => new Date(addWorkingDays(cal, t, 1)).toISOString()),
    minusThree: instants.map((t) => new Date(addWorkingDays(cal, t, -3)).toISOString()),
    formatted: instants.map((t) => formatVietnameseDate(t, { withTime: true })),
    slots: nextOpenSlots(cal, vn('2026-08-20T16:00'), 4),
  };
}
