/**
 * The commune's working-day calendar: the holiday schedule and the office hours, both admin-edited
 * data, loaded together. Every calendar function takes the Calendar and explicit epoch times, and
 * reckons in Vietnam time (UTC+7) whatever the server's TZ.
 */
import { loadHolidays, type HolidaySchedule } from './holidays';
import { loadOfficeHours, type OfficeHours } from './office-hours';

export interface Calendar {
  holidays: HolidaySchedule;
  hours: OfficeHours;
}

/**
 * Reads and validates flows/data/holidays.yaml and flows/data/office-hours.yaml (or the files given).
 * Throws AppError VALIDATION_FAILED naming the file and the entry at fault.
 */
export function loadCalendar(holidaysFile: string, officeHoursFile: string): Calendar {
  return { holidays: loadHolidays(holidaysFile), hours: loadOfficeHours(officeHoursFile) };
}
