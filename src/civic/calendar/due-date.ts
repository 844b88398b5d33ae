/**
 * When a case falls due: the time limit of its kind (and category) from the office-hours file,
 * counted in working days from the day it is taken as received, ending at the end of the working
 * day (17:00 by default) in Vietnam.
 */
import { AppError } from '../../shared/app-error';
import type { Calendar } from './calendar';
import type { TimeLimit } from './office-hours';
import { atLocalMinute, localDayOf, type LocalDay } from './vietnam-time';
import { isWorkingLocalDay, nthWorkingDay, stepWorkingDay } from './working-days';

export interface DueDateRequest {
  /** a key of timeLimits: feedback, proposal, complaint_acceptance, complaint, denunciation, same_day_procedure… */
  kind: string;
  /** the petition's category (land, environment…); a category with its own limit overrides the kind's */
  category?: string;
  /** epoch ms */
  receivedAt: number;
  /** a complex case (vụ việc phức tạp); default false */
  complex?: boolean;
  /** a remote or hard-to-reach area (vùng sâu, vùng xa); default false */
  remote?: boolean;
}

/**
 * The day a file counts as received: the day it arrived when that is a working day and it came
 * no later than the same-day cut-off (15:00); otherwise the next working day. A file taken for a
 * same-day procedure after 15:00 is therefore returned the next working day.
 */
export function receiptDay(cal: Calendar, receivedAt: number): LocalDay {
  const day = localDayOf(receivedAt);
  const afterCutoff = receivedAt > atLocalMinute(day, cal.hours.sameDayCutoff);
  return isWorkingLocalDay(cal, day) && !afterCutoff ? day : stepWorkingDay(cal, day, 1);
}

/** The number of days a case is given, and in which unit. Throws VALIDATION_FAILED for an unknown kind. */
export function timeLimitFor(cal: Calendar, request: Omit<DueDateRequest, 'receivedAt'>): { days: number; unit: TimeLimit['unit'] } {
  const { kind, category, complex = false, remote = false } = request;
  const limit = Object.hasOwn(cal.hours.timeLimits, kind) ? cal.hours.timeLimits[kind] : undefined;
  if (!limit) {
    const known = Object.keys(cal.hours.timeLimits).join(', ');
    throw new AppError('VALIDATION_FAILED', `no time limit for kind "${kind}" (known: ${known})`, { kind });
  }
  const own = category !== undefined && Object.hasOwn(limit.categories, category) ? limit.categories[category] : {};
  const base = { ...pickDays(limit), ...definedOnly(own) };
  const days =
    remote && complex
      ? (base.remoteComplexDays ?? base.remoteDays ?? base.complexDays ?? base.days)
      : remote
        ? (base.remoteDays ?? base.days)
        : complex
          ? (base.complexDays ?? base.days)
          : base.days;
  return { days, unit: limit.unit };
}

/**
 * The instant a case falls due: the end of the working day (workdayEnds, 17:00) of the last day of
 * its time limit, counted from the day after its receipt day (see receiptDay). A limit in
 * calendar days that ends on a day off runs to the next working day.
 */
export function dueDate(cal: Calendar, request: DueDateRequest): number {
  const { days, unit } = timeLimitFor(cal, request);
  const start = receiptDay(cal, request.receivedAt);
  let last = unit === 'working_days' ? nthWorkingDay(cal, start, days) : start + days;
  if (!isWorkingLocalDay(cal, last)) last = stepWorkingDay(cal, last, 1);
  return atLocalMinute(last, cal.hours.workdayEnds);
}

type Days = Pick<TimeLimit, 'days' | 'complexDays' | 'remoteDays' | 'remoteComplexDays'>;

function pickDays({ days, complexDays, remoteDays, remoteComplexDays }: Days): Days {
  return { days, complexDays, remoteDays, remoteComplexDays };
}

function definedOnly(days: Partial<Days>): Partial<Days> {
  return Object.fromEntries(Object.entries(days).filter(([, v]) => v !== undefined));
}
