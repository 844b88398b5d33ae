import {
  holdsPlace,
  nextResultDate,
  type Appointment,
  type AppointmentSlot,
  type AppointmentStore,
  type BookResult,
  type ChangeResult,
  type NewAppointment,
  type ResultDateResult,
  type ResultDateUpdate,
} from '../ports/appointments';

/**
 * Appointments in Maps; copies in and out. No method awaits between checking a slot's count and
 * writing, so each booking is atomic against every other call in this process.
 */
export class MemoryAppointmentStore implements AppointmentStore {
  private readonly byId = new Map<string, Appointment>();
  private readonly idByCode = new Map<string, string>();
  private readonly taken = new Map<string, number>();

  async book(slot: AppointmentSlot, capacity: number, input: NewAppointment): Promise<BookResult> {
    if (this.idByCode.has(input.code) || this.byId.has(input.id)) return { ok: false, reason: 'code_taken' };
    if (!this.takePlace(slot.key, capacity)) return { ok: false, reason: 'slot_full' };
    const stored: Appointment = { ...structuredClone(input), slot: { ...slot }, status: 'booked', updatedAt: input.createdAt, reschedules: 0 };
    this.byId.set(stored.id, stored);
    this.idByCode.set(stored.code, stored.id);
    return { ok: true, appointment: structuredClone(stored) };
  }

  async cancel(id: string, at: number): Promise<ChangeResult> {
    const a = this.byId.get(id);
    if (!a) return { ok: false, reason: 'not_found' };
    if (a.status !== 'booked') return { ok: false, reason: 'not_booked' };
    a.status = 'cancelled';
    a.updatedAt = at;
    this.freePlace(a.slot.key);
    return { ok: true, appointment: structuredClone(a) };
  }

  async reschedule(id: string, slot: AppointmentSlot, capacity: number, at: number): Promise<ChangeResult> {
    const a = this.byId.get(id);
    if (!a) return { ok: false, reason: 'not_found' };
    if (a.status !== 'booked') return { ok: false, reason: 'not_booked' };
    if (a.slot.key !== slot.key) {
      if (!this.takePlace(slot.key, capacity)) return { ok: false, reason: 'slot_full' };
      this.freePlace(a.slot.key);
      a.slot = { ...slot };
      a.reschedules += 1;
    }
    a.updatedAt = at;
    return { ok: true, appointment: structuredClone(a) };
  }

  async markAttendance(id: string, outcome: 'attended' | 'no_show', by: string, at: number): Promise<ChangeResult> {
    const a = this.byId.get(id);
    if (!a) return { ok: false, reason: 'not_found' };
    if (a.status === 'cancelled') return { ok: false, reason: 'not_booked' };
    a.status = outcome;
    a.markedBy = by;
    a.updatedAt = at;
    return { ok: true, appointment: structuredClone(a) };
  }

  async get(id: string): Promise<Appointment | null> {
    const a = this.byId.get(id);
    return a ? structuredClone(a) : null;
  }

  async findByCode(code: string): Promise<Appointment | null> {
    const id = this.idByCode.get(code);
    return id === undefined ? null : this.get(id);
  }

  async listByDay(day: string): Promise<Appointment[]> {
    return this.select((a) => a.slot.day === day);
  }

  async listByPerson(channel: string, userId: string, from: number): Promise<Appointment[]> {
    return this.select((a) => a.channel === channel && a.userId === userId && a.slot.start >= from);
  }

  async countsByDay(day: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const a of this.byId.values()) {
      if (a.slot.day === day && holdsPlace(a.status)) counts[a.slot.key] = (counts[a.slot.key] ?? 0) + 1;
    }
    return counts;
  }

  async changeResultDate(id: string, update: ResultDateUpdate): Promise<ResultDateResult> {
    const a = this.byId.get(id);
    if (!a) return { ok: false, reason: 'not_found' };
    const next = nextResultDate(a, update);
    if (typeof next === 'string') return { ok: false, reason: next };
    a.result = structuredClone(next);
    a.updatedAt = update.at;
    return { ok: true, appointment: structuredClone(a) };
  }

  async listPromisedResults(): Promise<Appointment[]> {
    return [...this.byId.values()]
      .filter((a) => a.result?.status === 'promised')
      .sort((x, y) => (x.result?.day ?? '').localeCompare(y.result?.day ?? '') || (x.code < y.code ? -1 : 1))
      .map((a) => structuredClone(a));
  }

  private select(keep: (a: Appointment) => boolean): Appointment[] {
    return [...this.byId.values()]
      .filter(keep)
      .sort((x, y) => x.slot.start - y.slot.start || x.createdAt - y.createdAt || (x.id < y.id ? -1 : 1))
      .map((a) => structuredClone(a));
  }

  private takePlace(key: string, capacity: number): boolean {
    const count = this.taken.get(key) ?? 0;
    if (count >= capacity) return false;
    this.taken.set(key, count + 1);
    return true;
  }

  private freePlace(key: string): void {
    this.taken.set(key, Math.max(0, (this.taken.get(key) ?? 0) - 1));
  }
}
