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
  /** the day the dossier's result will be ready (hẹn trả kết quả), once an official recorded it */
  result?: ResultDate;
}

/**
 * "Giấy tiếp nhận hồ sơ và hẹn trả kết quả": the dossier handed in at this appointment will be ready
 * on `day`. `promised` until the official marks it `ready`.
 */
export const RESULT_STATUSES = ['promised', 'ready'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

export interface ResultDate {
  /** yyyy-mm-dd, a Vietnamese working day */
  day: string;
  status: ResultStatus;
  /** the official answerable for it: asked the working day before whether it will be ready */
  officialId: string;
  /** how many times the day moved; 0 when never */
  moves: number;
  /** ms; when it was marked ready */
  readyAt?: number;
  /** every change, oldest first */
  history: ResultDateChange[];
}

export interface ResultDateChange {
  at: number;
  /** an official id, or the console username */
  by: string;
  /** `set`: first recorded; `moved`: a new day; `confirmed`: the official said it will be ready; `ready`: it is */
  what: 'set' | 'moved' | 'confirmed' | 'ready';
  /** the day before the change (moved) */
  from?: string;
  /** the day after the change (set, moved) */
  to?: string;
  reason?: string;
}

export type ResultDateUpdate =
  /** records the first day; refused `result_exists` when one is recorded */
  | { what: 'set'; day: string; officialId: string; by: string; at: number }
  /** moves a promised day; `from` must be the day stored now (else `result_changed`: read again) */
  | { what: 'moved'; from: string; day: string; by: string; at: number; reason?: string }
  | { what: 'confirmed'; by: string; at: number }
  | { what: 'ready'; by: string; at: number };

export type ResultDateResult =
  | { ok: true; appointment: Appointment }
  /**
   * `not_found`; `not_booked`: the appointment was cancelled; `no_result`: nothing recorded yet;
   * `result_exists`: `set` on one already recorded; `result_ready`: it is ready, nothing moves;
   * `result_changed`: another change came first
   */
  | { ok: false; reason: 'not_found' | 'not_booked' | 'no_result' | 'result_exists' | 'result_ready' | 'result_changed' };

export type NewAppointment = Omit<Appointment, 'slot' | 'status' | 'updatedAt' | 'reschedules' | 'markedBy' | 'result'>;

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
  /**
   * Records a change of the appointment's result date, atomically: the change and its history
   * entry are written together, and of two concurrent changes the second is refused
   * (`result_exists` / `result_changed`) rather than lost. A cancelled appointment is `not_booked`.
   */
  changeResultDate(id: string, update: ResultDateUpdate): Promise<ResultDateResult>;
  /** Appointments whose result is still `promised`, by result day then code (re-planning at start, the console). */
  listPromisedResults(): Promise<Appointment[]>;
}

/** The statuses that hold a place in their slot. */
export function holdsPlace(status: AppointmentStatus): boolean {
  return status !== 'cancelled';
}

/**
 * The result date after `update` (pure), or why it cannot change: the rule every adapter applies,
 * so they cannot disagree. `confirmed` and `ready` need a promised date; `moved` needs `from` to be
 * the day stored now.
 */
export function nextResultDate(a: Appointment, update: ResultDateUpdate): ResultDate | Exclude<ResultDateResult, { ok: true }>['reason'] {
  if (a.status === 'cancelled') return 'not_booked';
  const r = a.result;
  if (update.what === 'set') {
    if (r) return 'result_exists';
    return { day: update.day, status: 'promised', officialId: update.officialId, moves: 0, history: [{ at: update.at, by: update.by, what: 'set', to: update.day }] };
  }
  if (!r) return 'no_result';
  if (r.status === 'ready') return 'result_ready';
  const history = r.history.map((h) => ({ ...h }));
  switch (update.what) {
    case 'moved':
      if (update.from !== r.day) return 'result_changed';
      return { ...r, day: update.day, moves: r.moves + 1, history: [...history, { at: update.at, by: update.by, what: 'moved', from: r.day, to: update.day, ...(update.reason ? { reason: update.reason } : {}) }] };
    case 'confirmed':
      return { ...r, history: [...history, { at: update.at, by: update.by, what: 'confirmed' }] };
    case 'ready':
      return { ...r, status: 'ready', readyAt: update.at, history: [...history, { at: update.at, by: update.by, what: 'ready' }] };
  }
}
