import { randomUUID } from 'node:crypto';
import { Schema, type Connection, type FilterQuery, type Model } from 'mongoose';
import {
  CASE_EVENT_KINDS,
  CASE_STATUSES,
  type Case,
  type CaseAttachment,
  type CaseEvent,
  type CaseKind,
  type CaseListFilter,
  type CasePage,
  type CasePatch,
  type CaseStore,
  type NewCase,
  CaseVersionConflict,
  PETITION_TYPES,
  caseListLimit,
  caseListStatuses,
  decodeCaseCursor,
  encodeCaseCursor,
  legacyPetitionType,
  randomCaseCode,
} from '../ports/cases';
import { isDuplicateKeyError } from './mongo-errors';

/**
 * A case as stored: `_id` is the case id (a UUID string, so any id a caller passes is a valid query).
 * `petitionType` is absent only on a case written before it was a field, until `prepare` fills it in.
 */
type CaseDoc = Omit<Case, 'id' | 'petitionType'> & { _id: string; petitionType?: Case['petitionType'] };

const eventSchema = new Schema<CaseEvent>(
  {
    at: { type: Number, required: true },
    by: { type: String, required: true },
    what: { type: String, enum: CASE_EVENT_KINDS, required: true },
    officialId: { type: String },
    note: { type: String },
  },
  { _id: false },
);

// The union (image | location) in one flat shape; `toAttachment` keeps only the fields of its type.
const attachmentSchema = new Schema(
  {
    type: { type: String, enum: ['image', 'location'], required: true },
    url: String,
    platformId: String,
    lat: Number,
    lng: Number,
    label: String,
  },
  { _id: false },
);

const caseSchema = new Schema<CaseDoc>(
  {
    _id: { type: String, required: true },
    code: { type: String, required: true },
    kind: { type: String, enum: ['petition'], required: true },
    petitionType: { type: String, enum: PETITION_TYPES, required: true },
    category: { type: String, required: true },
    village: { type: String, required: true },
    content: { type: String, required: true },
    attachments: { type: [attachmentSchema], default: [] },
    contact: {
      type: new Schema(
        { name: String, phone: String, consentVersion: { type: String, required: true }, consentAt: { type: Number, required: true } },
        { _id: false },
      ),
    },
    channel: { type: String, required: true },
    userId: { type: String, required: true },
    status: { type: String, enum: CASE_STATUSES, required: true },
    assigneeId: { type: String },
    backupId: { type: String },
    dueAt: { type: Number, required: true },
    createdAt: { type: Number, required: true },
    updatedAt: { type: Number, required: true },
    resolution: {
      type: new Schema({ answer: { type: String, required: true }, by: { type: String, required: true }, at: { type: Number, required: true } }, { _id: false }),
    },
    rating: {
      type: new Schema({ score: { type: Number, required: true }, comment: String, trips: Number, at: { type: Number, required: true } }, { _id: false }),
    },
    history: { type: [eventSchema], default: [] },
    version: { type: Number, required: true },
  },
  { collection: 'cases', versionKey: false, minimize: false },
);
// Codes are read out on the phone and looked up: unique, and a concurrent create that drew a taken
// code fails on this index and draws again.
caseSchema.index({ code: 1 }, { unique: true, name: 'code_unique' });
// The list order, for lists without a narrower filter.
caseSchema.index({ createdAt: 1, _id: 1 }, { name: 'created' });
// Work lists by status, and by official (their open cases: the status is filtered on the few found).
// Every list index ends in the list order (createdAt, _id), so no list sorts in memory.
caseSchema.index({ status: 1, createdAt: 1, _id: 1 }, { name: 'status_created' });
caseSchema.index({ assigneeId: 1, createdAt: 1, _id: 1 }, { name: 'assignee_created' });
// Overdue sweep for reminders and escalation: open statuses ($in) and dueAt before a time.
caseSchema.index({ status: 1, dueAt: 1 }, { name: 'status_due' });
// The desk's list of one petition type (phản ánh or kiến nghị).
caseSchema.index({ petitionType: 1, createdAt: 1, _id: 1 }, { name: 'type_created' });
// A citizen's own cases.
caseSchema.index({ channel: 1, userId: 1, createdAt: 1, _id: 1 }, { name: 'filer_created' });
// The console's filters by village and by category.
caseSchema.index({ village: 1, createdAt: 1, _id: 1 }, { name: 'village_created' });
caseSchema.index({ category: 1, createdAt: 1, _id: 1 }, { name: 'category_created' });

export interface MongoCaseStoreOptions {
  /** draws a code for a new case; default `randomCaseCode` (tests pass a script to force collisions) */
  newCode?: (kind: CaseKind) => string;
  /** codes drawn for one case before giving up; default 20 */
  maxCodeAttempts?: number;
}

/**
 * Cases in `cases`, one document each, history embedded (it stays short: a few dozen lines at most).
 * `update` is one findOneAndUpdate whose filter carries the expected version, so the check, the
 * patch, the appended history line and the version bump happen together or not at all.
 */
export class MongoCaseStore implements CaseStore {
  private readonly cases: Model<CaseDoc>;
  private readonly newCode: (kind: CaseKind) => string;
  private readonly maxCodeAttempts: number;

  constructor(connection: Connection, opts: MongoCaseStoreOptions = {}) {
    const { newCode = randomCaseCode, maxCodeAttempts = 20 } = opts;
    this.cases = connection.model<CaseDoc>('Case', caseSchema);
    this.newCode = newCode;
    this.maxCodeAttempts = maxCodeAttempts;
  }

  /** Creates the collection and brings its indexes in line with the schema. */
  async prepare(): Promise<void> {
    await this.cases.init();
    await this.cases.syncIndexes();
    await this.fillPetitionTypes();
  }

  /**
   * Cases filed before the type was a field carry it as the lead of their content ("[Kiến nghị] …"):
   * the type is set from it once, so lists filter them like any other. The content stays as written.
   * Idempotent: only documents without the field are touched.
   */
  private async fillPetitionTypes(): Promise<void> {
    const lacking = { petitionType: { $exists: false } };
    await this.cases.updateMany({ ...lacking, content: /^\[Kiến nghị\]/ }, { $set: { petitionType: 'proposal' } });
    await this.cases.updateMany(lacking, { $set: { petitionType: 'feedback' } });
  }

  async create(c: NewCase): Promise<Case> {
    const id = randomUUID();
    for (let attempt = 1; ; attempt++) {
      const doc: CaseDoc = { ...toNewDoc(c), _id: id, code: this.newCode(c.kind), updatedAt: c.createdAt, version: 1 };
      try {
        await this.cases.create(doc);
        return toCase(doc);
      } catch (e) {
        // The id is a fresh UUID, so a duplicate key is the code: draw another.
        if (!isDuplicateKeyError(e)) throw e;
        if (attempt >= this.maxCodeAttempts) throw new Error(`no free case code after ${this.maxCodeAttempts} attempts`);
      }
    }
  }

  async findByCode(code: string): Promise<Case | null> {
    const doc = await this.cases.findOne({ code }).lean<CaseDoc>();
    return doc ? toCase(doc) : null;
  }

  async get(id: string): Promise<Case | null> {
    const doc = await this.cases.findOne({ _id: id }).lean<CaseDoc>();
    return doc ? toCase(doc) : null;
  }

  async update(id: string, patch: CasePatch, event: CaseEvent, expectedVersion?: number): Promise<Case | null> {
    const filter: FilterQuery<CaseDoc> = expectedVersion === undefined ? { _id: id } : { _id: id, version: expectedVersion };
    const set: Record<string, unknown> = { updatedAt: event.at };
    const unset: Record<string, ''> = {};
    for (const [field, value] of Object.entries(patch)) {
      if (value === null) unset[field] = '';
      else if (value !== undefined) set[field] = value;
    }
    const change = { $set: set, $push: { history: toEvent(event) }, $inc: { version: 1 }, ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}) };
    const doc = await this.cases.findOneAndUpdate(filter, change, { returnDocument: 'after' }).lean<CaseDoc>();
    if (doc) return toCase(doc);
    if (expectedVersion === undefined) return null;
    const current = await this.cases.findOne({ _id: id }, { version: 1 }).lean<Pick<CaseDoc, 'version'>>();
    if (!current) return null;
    throw new CaseVersionConflict(id, expectedVersion, current.version);
  }

  async list(filter: CaseListFilter): Promise<CasePage> {
    const limit = caseListLimit(filter);
    const statuses = caseListStatuses(filter);
    const query: FilterQuery<CaseDoc> = {};
    if (statuses) query.status = { $in: statuses };
    if (filter.assigneeId !== undefined) query.assigneeId = filter.assigneeId;
    if (filter.overdueAt !== undefined) query.dueAt = { $lt: filter.overdueAt };
    if (filter.village !== undefined) query.village = filter.village;
    if (filter.category !== undefined) query.category = filter.category;
    if (filter.petitionType !== undefined) query.petitionType = filter.petitionType;
    if (filter.filer) {
      query.channel = filter.filer.channel;
      query.userId = filter.filer.userId;
    }
    if (filter.after !== undefined) {
      const after = decodeCaseCursor(filter.after);
      query.$or = [{ createdAt: { $gt: after.createdAt } }, { createdAt: after.createdAt, _id: { $gt: after.id } }];
    }
    const docs = await this.cases.find(query).sort({ createdAt: 1, _id: 1 }).limit(limit + 1).lean<CaseDoc[]>();
    const page = docs.slice(0, limit).map(toCase);
    const result: CasePage = { cases: page };
    if (docs.length > limit) result.next = encodeCaseCursor(page[page.length - 1]);
    return result;
  }
}

// Field by field, both ways: neither a caller's extra properties nor _id cross the port, and an
// absent optional field stays absent instead of coming back as undefined or null.
function toNewDoc(c: NewCase): Omit<CaseDoc, '_id' | 'code' | 'updatedAt' | 'version'> {
  const doc: Omit<CaseDoc, '_id' | 'code' | 'updatedAt' | 'version'> = {
    kind: c.kind,
    petitionType: c.petitionType,
    category: c.category,
    village: c.village,
    content: c.content,
    attachments: c.attachments.map(toAttachment),
    channel: c.channel,
    userId: c.userId,
    status: c.status,
    dueAt: c.dueAt,
    createdAt: c.createdAt,
    history: c.history.map(toEvent),
  };
  if (c.contact) doc.contact = { ...c.contact };
  if (c.assigneeId !== undefined) doc.assigneeId = c.assigneeId;
  if (c.backupId !== undefined) doc.backupId = c.backupId;
  return doc;
}

function toCase(doc: CaseDoc): Case {
  const c: Case = {
    id: doc._id,
    code: doc.code,
    kind: doc.kind,
    // A case not yet filled in by `prepare` (written by an older process meanwhile) reads as its lead says.
    petitionType: doc.petitionType ?? legacyPetitionType(doc.content),
    category: doc.category,
    village: doc.village,
    content: doc.content,
    attachments: (doc.attachments ?? []).map(toAttachment),
    channel: doc.channel,
    userId: doc.userId,
    status: doc.status,
    dueAt: doc.dueAt,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    history: (doc.history ?? []).map(toEvent),
    version: doc.version,
  };
  if (doc.contact) {
    c.contact = { consentVersion: doc.contact.consentVersion, consentAt: doc.contact.consentAt };
    if (doc.contact.name != null) c.contact.name = doc.contact.name;
    if (doc.contact.phone != null) c.contact.phone = doc.contact.phone;
  }
  if (doc.assigneeId != null) c.assigneeId = doc.assigneeId;
  if (doc.backupId != null) c.backupId = doc.backupId;
  if (doc.resolution) c.resolution = { answer: doc.resolution.answer, by: doc.resolution.by, at: doc.resolution.at };
  if (doc.rating) {
    c.rating = { score: doc.rating.score, at: doc.rating.at };
    if (doc.rating.comment != null) c.rating.comment = doc.rating.comment;
    if (doc.rating.trips != null) c.rating.trips = doc.rating.trips;
  }
  return c;
}

function toEvent(e: CaseEvent): CaseEvent {
  const event: CaseEvent = { at: e.at, by: e.by, what: e.what };
  if (e.officialId != null) event.officialId = e.officialId;
  if (e.note != null) event.note = e.note;
  return event;
}

function toAttachment(a: CaseAttachment): CaseAttachment {
  if (a.type === 'location') {
    const location: CaseAttachment = { type: 'location', lat: a.lat, lng: a.lng };
    if (a.label != null) location.label = a.label;
    return location;
  }
  const image: CaseAttachment = { type: 'image' };
  if (a.url != null) image.url = a.url;
  if (a.platformId != null) image.platformId = a.platformId;
  return image;
}
