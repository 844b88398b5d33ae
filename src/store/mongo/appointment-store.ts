import { Schema, type Connection, type Model } from 'mongoose';
import {
  APPOINTMENT_STATUSES,
  nextResultDate,
  RESULT_STATUSES,
  type Appointment,
  type AppointmentSlot,
  type AppointmentStore,
  type BookResult,
  type ChangeResult,
  type NewAppointment,
  type ResultDate,
  type ResultDateChange,
  type ResultDateResult,
  type ResultDateUpdate,
} from '../ports/appointments';
import { isDuplicateKeyError } from './mongo-errors';

/** Places taken in one slot: the single document every booking for it goes through. */
interface SlotCounterDoc {
  slotKey: string;
  count: number;
}

const slotSchema = new Schema<AppointmentSlot>(
  { key: { type: String, required: true }, day: { type: String, required: true }, start: { type: Number, required: true }, end: { type: Number, required: true } },
  { _id: false },
);

const resultChangeSchema = new Schema<ResultDateChange>(
  {
    at: { type: Number, required: true },
    by: { type: String, required: true },
    what: { type: String, enum: ['set', 'moved', 'confirmed', 'ready'], required: true },
    from: { type: String },
    to: { type: String },
    reason: { type: String },
  },
  { _id: false },
);

const resultSchema = new Schema<ResultDate>(
  {
    day: { type: String, required: true },
    status: { type: String, enum: RESULT_STATUSES, required: true },
    officialId: { type: String, required: true },
    moves: { type: Number, required: true },
    readyAt: { type: Number },
    history: { type: [resultChangeSchema], default: [] },
  },
  { _id: false },
);

const appointmentSchema = new Schema<Appointment>(
  {
    id: { type: String, required: true },
    code: { type: String, required: true },
    procedureId: { type: String },
    service: { type: String },
    slot: { type: slotSchema, required: true },
    status: { type: String, enum: APPOINTMENT_STATUSES, required: true },
    name: { type: String, required: true },
    phone: { type: String },
    channel: { type: String, required: true },
    userId: { type: String, required: true },
    locale: { type: String, required: true },
    createdAt: { type: Number, required: true },
    updatedAt: { type: Number, required: true },
    reschedules: { type: Number, required: true },
    markedBy: { type: String },
    result: { type: resultSchema },
  },
  { collection: 'appointments', versionKey: false },
);
appointmentSchema.index({ id: 1 }, { unique: true, name: 'id_unique' });
appointmentSchema.index({ code: 1 }, { unique: true, name: 'code_unique' });
// Each list index ends in the list's whole order, so no list sorts in memory.
appointmentSchema.index({ 'slot.day': 1, 'slot.start': 1, createdAt: 1, id: 1 }, { name: 'day' });
appointmentSchema.index({ channel: 1, userId: 1, 'slot.start': 1, createdAt: 1, id: 1 }, { name: 'person' });
appointmentSchema.index({ 'result.status': 1, 'result.day': 1, code: 1 }, { name: 'result_due', partialFilterExpression: { 'result.status': 'promised' } });

const counterSchema = new Schema<SlotCounterDoc>(
  { slotKey: { type: String, required: true }, count: { type: Number, required: true } },
  { collection: 'appointment_slots', versionKey: false },
);
counterSchema.index({ slotKey: 1 }, { unique: true, name: 'slot_unique' });

/**
 * Appointments in `appointments`, places per slot in `appointment_slots`. A place is taken with one
 * conditional `$inc` on the slot's counter (`count < capacity`), so MongoDB's single-document
 * atomicity decides the race for the last place. Then the appointment is written; if that fails
 * the place is given back. A crash between the two leaves a place counted but unused: the slot
 * may lose a place, it is never overbooked.
 */
export class MongoAppointmentStore implements AppointmentStore {
  private readonly appointments: Model<Appointment>;
  private readonly counters: Model<SlotCounterDoc>;

  constructor(connection: Connection) {
    this.appointments = connection.model<Appointment>('Appointment', appointmentSchema);
    this.counters = connection.model<SlotCounterDoc>('AppointmentSlot', counterSchema);
  }

  /** Creates the collections and brings their indexes in line with the schemas. */
  async prepare(): Promise<void> {
    for (const model of [this.appointments, this.counters] as Model<unknown>[]) {
      await model.init();
      await model.syncIndexes();
    }
  }

  async book(slot: AppointmentSlot, capacity: number, input: NewAppointment): Promise<BookResult> {
    if (await this.appointments.exists({ $or: [{ code: input.code }, { id: input.id }] })) return { ok: false, reason: 'code_taken' };
    if (!(await this.takePlace(slot.key, capacity))) return { ok: false, reason: 'slot_full' };
    const doc: Appointment = { ...input, slot: { ...slot }, status: 'booked', updatedAt: input.createdAt, reschedules: 0 };
    try {
      await this.appointments.create(doc);
    } catch (e) {
      await this.freePlace(slot.key);
      if (isDuplicateKeyError(e)) return { ok: false, reason: 'code_taken' };
      throw e;
    }
    return { ok: true, appointment: toAppointment(doc) };
  }

  async cancel(id: string, at: number): Promise<ChangeResult> {
    const doc = await this.appointments.findOneAndUpdate({ id, status: 'booked' }, { $set: { status: 'cancelled', updatedAt: at } }, { new: true }).lean();
    if (!doc) return this.whyNot(id);
    await this.freePlace(doc.slot.key);
    return { ok: true, appointment: toAppointment(doc) };
  }

  async reschedule(id: string, slot: AppointmentSlot, capacity: number, at: number): Promise<ChangeResult> {
    const before = await this.appointments.findOne({ id }).lean();
    if (!before) return { ok: false, reason: 'not_found' };
    if (before.status !== 'booked') return { ok: false, reason: 'not_booked' };
    if (before.slot.key === slot.key) {
      const same = await this.appointments.findOneAndUpdate({ id, status: 'booked' }, { $set: { updatedAt: at } }, { new: true }).lean();
      return same ? { ok: true, appointment: toAppointment(same) } : this.whyNot(id);
    }
    if (!(await this.takePlace(slot.key, capacity))) return { ok: false, reason: 'slot_full' };
    // Conditional on the old slot: a concurrent cancel or move wins, and this one gives its new place back.
    const moved = await this.appointments
      .findOneAndUpdate({ id, status: 'booked', 'slot.key': before.slot.key }, { $set: { slot: { ...slot }, updatedAt: at }, $inc: { reschedules: 1 } }, { new: true })
      .lean();
    if (!moved) {
      await this.freePlace(slot.key);
      return this.whyNot(id);
    }
    await this.freePlace(before.slot.key);
    return { ok: true, appointment: toAppointment(moved) };
  }

  async markAttendance(id: string, outcome: 'attended' | 'no_show', by: string, at: number): Promise<ChangeResult> {
    const doc = await this.appointments
      .findOneAndUpdate({ id, status: { $ne: 'cancelled' } }, { $set: { status: outcome, markedBy: by, updatedAt: at } }, { new: true })
      .lean();
    return doc ? { ok: true, appointment: toAppointment(doc) } : this.whyNot(id);
  }

  async get(id: string): Promise<Appointment | null> {
    const doc = await this.appointments.findOne({ id }).lean();
    return doc ? toAppointment(doc) : null;
  }

  async findByCode(code: string): Promise<Appointment | null> {
    const doc = await this.appointments.findOne({ code }).lean();
    return doc ? toAppointment(doc) : null;
  }

  async listByDay(day: string): Promise<Appointment[]> {
    const docs = await this.appointments.find({ 'slot.day': day }).sort({ 'slot.start': 1, createdAt: 1, id: 1 }).lean();
    return docs.map(toAppointment);
  }

  async listByPerson(channel: string, userId: string, from: number): Promise<Appointment[]> {
    const docs = await this.appointments.find({ channel, userId, 'slot.start': { $gte: from } }).sort({ 'slot.start': 1, createdAt: 1, id: 1 }).lean();
    return docs.map(toAppointment);
  }

  async countsByDay(day: string): Promise<Record<string, number>> {
    const rows = await this.appointments.aggregate<{ _id: string; n: number }>([
      { $match: { 'slot.day': day, status: { $ne: 'cancelled' } } },
      { $group: { _id: '$slot.key', n: { $sum: 1 } } },
    ]);
    return Object.fromEntries(rows.map((r) => [r._id, r.n]));
  }

  /**
   * Read, apply the shared rule, then write conditionally on what was read (no result yet, or the
   * same number of history entries): a concurrent change makes the write miss, and it is refused.
   */
  async changeResultDate(id: string, update: ResultDateUpdate): Promise<ResultDateResult> {
    const before = await this.appointments.findOne({ id }).lean();
    if (!before) return { ok: false, reason: 'not_found' };
    const a = toAppointment(before);
    const next = nextResultDate(a, update);
    if (typeof next === 'string') return { ok: false, reason: next };
    const unchanged = a.result ? { 'result.history': { $size: a.result.history.length } } : { result: { $exists: false } };
    const doc = await this.appointments
      .findOneAndUpdate({ id, status: { $ne: 'cancelled' }, ...unchanged }, { $set: { result: next, updatedAt: update.at } }, { new: true })
      .lean();
    if (doc) return { ok: true, appointment: toAppointment(doc) };
    const now = await this.appointments.findOne({ id }).lean();
    if (!now) return { ok: false, reason: 'not_found' };
    return { ok: false, reason: now.status === 'cancelled' ? 'not_booked' : update.what === 'set' ? 'result_exists' : 'result_changed' };
  }

  async listPromisedResults(): Promise<Appointment[]> {
    const docs = await this.appointments.find({ 'result.status': 'promised' }).sort({ 'result.day': 1, code: 1 }).lean();
    return docs.map(toAppointment);
  }

  /**
   * One conditional increment. When no counter document matches, the upsert tries to insert one:
   * if the slot's document exists (full), or a concurrent first booking inserted it, the unique
   * index refuses with a duplicate key; the increment is then tried once more without upsert.
   */
  private async takePlace(slotKey: string, capacity: number): Promise<boolean> {
    if (capacity < 1) return false;
    const filter = { slotKey, count: { $lt: capacity } };
    try {
      return (await this.counters.findOneAndUpdate(filter, { $inc: { count: 1 } }, { upsert: true, new: true }).lean()) !== null;
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
    }
    return (await this.counters.findOneAndUpdate(filter, { $inc: { count: 1 } }, { new: true }).lean()) !== null;
  }

  private async freePlace(slotKey: string): Promise<void> {
    await this.counters.updateOne({ slotKey, count: { $gt: 0 } }, { $inc: { count: -1 } });
  }

  private async whyNot(id: string): Promise<ChangeResult> {
    return (await this.appointments.exists({ id })) ? { ok: false, reason: 'not_booked' } : { ok: false, reason: 'not_found' };
  }
}

// Field by field, so _id never crosses the port.
function toAppointment(doc: Appointment): Appointment {
  const a: Appointment = {
    id: doc.id,
    code: doc.code,
    slot: { key: doc.slot.key, day: doc.slot.day, start: doc.slot.start, end: doc.slot.end },
    status: doc.status,
    name: doc.name,
    channel: doc.channel,
    userId: doc.userId,
    locale: doc.locale,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    reschedules: doc.reschedules ?? 0,
  };
  if (doc.procedureId != null) a.procedureId = doc.procedureId;
  if (doc.service != null) a.service = doc.service;
  if (doc.phone != null) a.phone = doc.phone;
  if (doc.markedBy != null) a.markedBy = doc.markedBy;
  if (doc.result != null) a.result = toResultDate(doc.result);
  return a;
}

function toResultDate(r: ResultDate): ResultDate {
  const out: ResultDate = {
    day: r.day,
    status: r.status,
    officialId: r.officialId,
    moves: r.moves ?? 0,
    history: (r.history ?? []).map((h) => {
      const c: ResultDateChange = { at: h.at, by: h.by, what: h.what };
      if (h.from != null) c.from = h.from;
      if (h.to != null) c.to = h.to;
      if (h.reason != null) c.reason = h.reason;
      return c;
    }),
  };
  if (r.readyAt != null) out.readyAt = r.readyAt;
  return out;
}
