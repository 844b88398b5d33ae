/**
 * Appointments at the one-stop desk (lịch hẹn tại Trung tâm Phục vụ hành chính công xã). A slot is
 * one desk time (e.g. 07:30-08:30 on a day) that takes up to `capacity` people; the store keeps
 * the count, so that of any number of concurrent bookings for the last place exactly one wins.
 */

/**
 * `booked` holds a place; `cancelled` gave it back; `attended` / `no_show` are marked by an
 * official after the time (they keep the place: the slot is over anyway).
 */
export const APPOINTMENT_STATUSES = ['booked', 'cancelled', 'attended', 'no_show'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/** A desk slot. The key names it for the counter: equal keys are one slot, whoever computed them. */
export interface AppointmentSlot {
  /** e.g. "2026-03-09T07:30" (Vietnam time); the civic layer builds it */
  key: string;
  /** yyyy-mm-dd, in Vietnam */
  day: string;
  /** ms since the epoch */
  start: number;
  end: number;
}

export interface Appointment {
  id: string;
  /** what the citizen quotes, e.g. "LH-0309-4K7P"; unique */
  code: string;
  /** the procedure (thủ tục) id of the catalogue, when the citizen came from one */
  procedureId?: string;
  /** the booking flow's service value (civil_status, certification…) when no procedure was named */
  service?: string;
  slot: AppointmentSlot;
  status: AppointmentStatus;
  /** the person who will come */
  name: string;
  /** E.164, for reminders by ZNS and for the desk to call */
  phone?: string;
  /** the chat account that booked: reminders go there */
  channel: string;
  userId: string;
  locale: string;
  createdAt: number;
  updatedAt: number;
  /** how many times it moved; 0 when never rescheduled */
  reschedules: number;
  /** who marked attended / no-show (an official id or "admin") */
  markedBy?: string;
}

export type NewAppointment = Omit<Appointment, 'slot' | 'status' | 'updatedAt' | 'reschedules' | 'markedBy'>;

export type BookResult =
  | { ok: true; appointment: Appointment }
  /** `slot_full`: no place left; `code_taken`: another appointment has this code (draw another) */
  | { ok: false; reason: 'slot_full' | 'code_taken' };

export type ChangeResult =
  | { ok: true; appointment: Appointment }
  /** `not_found`: no such id; `not_booked`: cancelled, or already marked; `slot_full`: no place at the new time */
  | { ok: false; reason: 'not_found' | 'not_booked' | 'slot_full' };

export interface AppointmentStore {
  /**
   * Books `appointment` into `slot` when fewer than `capacity` appointments hold it, atomically:
   * of concurrent calls for the last place exactly one succeeds. Resolves `slot_full` otherwise,
   * storing nothing.
   */
  book(slot: AppointmentSlot, capacity: number, appointment: NewAppointment): Promise<BookResult>;
  /** Gives the place back. Only a `booked` appointment can be cancelled; `at` becomes updatedAt. */
  cancel(id: string, at: number): Promise<ChangeResult>;
  /**
   * Moves a `booked` appointment to `slot`: the new place is taken first (refused `slot_full`,
   * changing nothing), then the old one freed. Moving to the same slot changes only updatedAt.
   */
  reschedule(id: string, slot: AppointmentSlot, capacity: number, at: number): Promise<ChangeResult>;
  /** Marks a `booked` (or already marked) appointment attended or not; a cancelled one is `not_booked`. */
  markAttendance(id: string, outcome: 'attended' | 'no_show', by: string, at: number): Promise<ChangeResult>;
  get(id: string): Promise<Appointment | null>;
  findByCode(code: string): Promise<Appointment | null>;
  /** Every appointment of a Vietnamese day (yyyy-mm-dd), cancelled ones too, by start then creation. */
  listByDay(day: string): Promise<Appointment[]>;
  /** One chat account's appointments starting at or after `from`, by start. */
  listByPerson(channel: string, userId: string, from: number): Promise<Appointment[]>;
  /** Places taken in each slot of a day, by slot key (slots with none are left out). */
  countsByDay(day: string): Promise<Record<string, number>>;
}

/** The statuses that hold a place in their slot. */
export function holdsPlace(status: AppointmentStatus): boolean {
  return status !== 'cancelled';
}
