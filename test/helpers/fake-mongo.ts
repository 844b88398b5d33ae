// A stand-in for the MongoDB driver under a real mongoose Connection, for the checks that can run
// without a server: what the adapters write (after mongoose's own casting), what they read back,
// and every query object they build. It keeps documents in memory and understands the operators
// the adapters use in filters and updates; what it does not understand (aggregation stages other
// than the first $match, unknown operators) it records and refuses loudly, so a check can never
// pass on a query it silently misread. It is not MongoDB: the contract suites run on a real
// server only (MONGODB_URI).
import mongoose, { type Connection } from 'mongoose';

type Doc = Record<string, unknown>;
export interface RecordedCall {
  collection: string;
  method: string;
  filter?: Doc;
  sort?: Doc;
  update?: unknown;
  pipeline?: Doc[];
}

/** A deep copy as the driver would serialise it: mongoose arrays become plain arrays; ids, dates and patterns stay. */
function clone<T>(v: T): T {
  // The driver's BSON serialiser calls toBSON first: mongoose documents and arrays become plain data.
  if (v !== null && typeof v === 'object' && !('_bsontype' in v) && typeof (v as { toBSON?: unknown }).toBSON === 'function') return clone((v as unknown as { toBSON(): T }).toBSON());
  if (Array.isArray(v)) return Array.from(v, (x) => clone(x)) as T;
  if (v === null || typeof v !== 'object' || v instanceof Date || v instanceof RegExp || '_bsontype' in v) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)])) as T;
}

interface UniqueIndex {
  keys: string[];
  /** a partial index's filter: only documents matching it take part */
  partial?: Doc;
}

function getPath(doc: unknown, path: string): unknown[] {
  // Every value the path reaches, through arrays (MongoDB's implicit array traversal).
  let values: unknown[] = [doc];
  for (const part of path.split('.')) {
    const next: unknown[] = [];
    for (const v of values) {
      if (Array.isArray(v)) {
        if (/^\d+$/.test(part)) next.push(v[Number(part)]);
        else for (const item of v) if (item && typeof item === 'object') next.push((item as Doc)[part]);
      } else if (v && typeof v === 'object') next.push((v as Doc)[part]);
    }
    values = next;
  }
  return values.flatMap((v) => (Array.isArray(v) ? [v, ...v] : [v]));
}

const isOperatorObject = (v: unknown): v is Doc =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof RegExp) && Object.keys(v).length > 0 && Object.keys(v).every((k) => k.startsWith('$'));

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function matchesCondition(values: unknown[], cond: unknown): boolean {
  const present = values.filter((v) => v !== undefined);
  if (cond instanceof RegExp) return present.some((v) => typeof v === 'string' && cond.test(v));
  if (!isOperatorObject(cond)) return cond === null ? present.length === 0 || present.some((v) => v === null) : present.some((v) => same(v, cond));
  return Object.entries(cond).every(([op, arg]) => {
    switch (op) {
      case '$eq':
        return matchesCondition(values, arg);
      case '$ne':
        return !matchesCondition(values, arg);
      case '$in':
        return (arg as unknown[]).some((a) => matchesCondition(values, a));
      case '$nin':
        return !(arg as unknown[]).some((a) => matchesCondition(values, a));
      case '$lt':
        return present.some((v) => typeof v === typeof arg && compare(v, arg) < 0);
      case '$lte':
        return present.some((v) => typeof v === typeof arg && compare(v, arg) <= 0);
      case '$gt':
        return present.some((v) => typeof v === typeof arg && compare(v, arg) > 0);
      case '$gte':
        return present.some((v) => typeof v === typeof arg && compare(v, arg) >= 0);
      case '$exists':
        return (present.length > 0) === Boolean(arg);
      case '$size':
        return present.some((v) => Array.isArray(v) && v.length === arg);
      case '$elemMatch':
        return present.some((v) => Array.isArray(v) && v.some((item) => matches(item as Doc, arg as Doc)));
      default:
        throw new Error(`fake-mongo: filter operator ${op} is not understood`);
    }
  });
}

export function matches(doc: Doc, filter: Doc): boolean {
  return Object.entries(filter).every(([key, cond]) => {
    if (key === '$or') return (cond as Doc[]).some((f) => matches(doc, f));
    if (key === '$and') return (cond as Doc[]).every((f) => matches(doc, f));
    if (key.startsWith('$')) throw new Error(`fake-mongo: top-level operator ${key} is not understood`);
    return matchesCondition(getPath(doc, key), cond);
  });
}

function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let at: Doc = doc;
  for (const part of parts.slice(0, -1)) {
    if (!at[part] || typeof at[part] !== 'object') at[part] = {};
    at = at[part] as Doc;
  }
  at[parts[parts.length - 1]!] = value;
}
function unsetPath(doc: Doc, path: string): void {
  const parts = path.split('.');
  let at: unknown = doc;
  for (const part of parts.slice(0, -1)) at = at && typeof at === 'object' ? (at as Doc)[part] : undefined;
  if (at && typeof at === 'object') delete (at as Doc)[parts[parts.length - 1]!];
}
function readPath(doc: Doc, path: string): unknown {
  return path.split('.').reduce<unknown>((at, part) => (at && typeof at === 'object' ? (at as Doc)[part] : undefined), doc);
}

/** An aggregation expression as the pipeline updates use them: field paths, $literal, $max. */
function evaluate(doc: Doc, expr: unknown): unknown {
  if (typeof expr === 'string' && expr.startsWith('$')) return readPath(doc, expr.slice(1));
  if (expr === null || typeof expr !== 'object' || Array.isArray(expr)) return expr;
  const entries = Object.entries(expr as Doc);
  if (entries.length === 1 && entries[0]![0] === '$literal') return entries[0]![1];
  if (entries.length === 1 && entries[0]![0] === '$max') {
    const vals = (entries[0]![1] as unknown[]).map((e) => evaluate(doc, e)).filter((v) => v !== undefined && v !== null);
    return vals.reduce((a, b) => (compare(a, b) >= 0 ? a : b), vals[0]);
  }
  if (entries.some(([k]) => k.startsWith('$'))) throw new Error(`fake-mongo: expression ${entries[0]![0]} is not understood`);
  return Object.fromEntries(entries.map(([k, v]) => [k, evaluate(doc, v)]));
}

function applyUpdate(doc: Doc, update: unknown, inserting: boolean): void {
  if (Array.isArray(update)) {
    for (const stage of update as Doc[]) {
      const [name, arg] = Object.entries(stage)[0]!;
      if (name !== '$set') throw new Error(`fake-mongo: pipeline stage ${name} is not understood`);
      const before = clone(doc);
      for (const [path, expr] of Object.entries(arg as Doc)) setPath(doc, path, evaluate(before, expr));
    }
    return;
  }
  for (const [op, fields] of Object.entries(update as Doc)) {
    for (const [path, value] of Object.entries(fields as Doc)) {
      const current = readPath(doc, path);
      switch (op) {
        case '$set':
          setPath(doc, path, clone(value));
          break;
        case '$setOnInsert':
          if (inserting) setPath(doc, path, clone(value));
          break;
        case '$unset':
          unsetPath(doc, path);
          break;
        case '$inc':
          setPath(doc, path, (typeof current === 'number' ? current : 0) + (value as number));
          break;
        case '$max':
          if (current === undefined || compare(value, current) > 0) setPath(doc, path, value);
          break;
        case '$push': {
          const list = Array.isArray(current) ? current : [];
          const v = value as Doc;
          const items = v && typeof v === 'object' && '$each' in v ? (v.$each as unknown[]) : [value];
          let next = [...list, ...clone(items)];
          if (v && typeof v === 'object' && typeof v.$slice === 'number') next = v.$slice < 0 ? next.slice(v.$slice) : next.slice(0, v.$slice);
          setPath(doc, path, next);
          break;
        }
        case '$addToSet': {
          const list = Array.isArray(current) ? current : [];
          const v = value as Doc;
          const items = v && typeof v === 'object' && '$each' in v ? (v.$each as unknown[]) : [value];
          setPath(doc, path, [...list, ...items.filter((i) => !list.some((l) => same(l, i)))]);
          break;
        }
        case '$pull': {
          const list = Array.isArray(current) ? current : [];
          setPath(doc, path, list.filter((item) => !(isOperatorObject(value) || (value && typeof value === 'object' && !Array.isArray(value)) ? matches(item as Doc, value as Doc) : same(item, value))));
          break;
        }
        default:
          throw new Error(`fake-mongo: update operator ${op} is not understood`);
      }
    }
  }
}

/** The equality fields of a filter, the document an upsert starts from. */
function seedFrom(filter: Doc): Doc {
  const seed: Doc = {};
  for (const [k, v] of Object.entries(filter)) if (!k.startsWith('$') && !isOperatorObject(v) && !(v instanceof RegExp)) setPath(seed, k, clone(v));
  return seed;
}

function sortDocs(docs: Doc[], sort: Doc | undefined): Doc[] {
  if (!sort) return docs;
  const keys = Object.entries(sort);
  return [...docs].sort((a, b) => {
    for (const [k, dir] of keys) {
      const c = compare(readPath(a, k), readPath(b, k));
      if (c !== 0) return (dir === -1 || dir === 'desc' ? -1 : 1) * c;
    }
    return 0;
  });
}

class FakeCollection {
  readonly docs: Doc[] = [];
  constructor(
    readonly name: string,
    private readonly calls: RecordedCall[],
    private readonly unique: () => UniqueIndex[],
  ) {}

  private record(call: Omit<RecordedCall, 'collection'>): void {
    this.calls.push({ collection: this.name, ...clone(call) });
  }
  private checkUnique(doc: Doc, except?: Doc): void {
    for (const { keys, partial } of [{ keys: ['_id'] }, ...this.unique()]) {
      if (partial && !matches(doc, partial)) continue;
      const clash = this.docs.find(
        (d) => d !== except && (!partial || matches(d, partial)) && keys.every((k) => readPath(d, k) !== undefined && same(readPath(d, k), readPath(doc, k))),
      );
      if (clash) throw Object.assign(new Error(`E11000 duplicate key error collection: ${this.name} index: ${keys.join('_')}`), { code: 11000, name: 'MongoServerError' });
    }
  }
  private insert(doc: Doc): Doc {
    const stored = clone(doc);
    if (stored._id === undefined) stored._id = new mongoose.Types.ObjectId();
    this.checkUnique(stored);
    this.docs.push(stored);
    return stored;
  }
  private select(filter: Doc, sort?: Doc): Doc[] {
    return sortDocs(this.docs.filter((d) => matches(d, filter)), sort);
  }

  async insertOne(doc: Doc) {
    this.record({ method: 'insertOne' });
    return { acknowledged: true, insertedId: this.insert(doc)._id };
  }
  async insertMany(docs: Doc[]) {
    this.record({ method: 'insertMany' });
    return { acknowledged: true, insertedCount: docs.length, insertedIds: Object.fromEntries(docs.map((d, i) => [i, this.insert(d)._id])) };
  }
  async findOne(filter: Doc, options: { sort?: Doc } = {}) {
    this.record({ method: 'findOne', filter, ...(options.sort ? { sort: options.sort } : {}) });
    const found = this.select(filter, options.sort)[0];
    return found ? clone(found) : null;
  }
  find(filter: Doc, options: { sort?: Doc; limit?: number; skip?: number } = {}) {
    this.record({ method: 'find', filter, ...(options.sort ? { sort: options.sort } : {}) });
    let out = this.select(filter, options.sort).slice(options.skip ?? 0);
    if (options.limit) out = out.slice(0, options.limit);
    const docs = clone(out);
    return { toArray: async () => docs, close: async () => undefined, [Symbol.asyncIterator]: async function* () { yield* docs; } };
  }
  async countDocuments(filter: Doc) {
    this.record({ method: 'countDocuments', filter });
    return this.select(filter).length;
  }
  private upsertOne(filter: Doc, update: unknown, options: { upsert?: boolean; sort?: Doc }): { before: Doc | null; after: Doc | null; upserted: boolean } {
    const found = this.select(filter, options.sort)[0];
    if (found) {
      const before = clone(found);
      const next = clone(found);
      applyUpdate(next, update, false);
      this.checkUnique(next, found);
      Object.keys(found).forEach((k) => delete found[k]);
      Object.assign(found, next);
      return { before, after: clone(found), upserted: false };
    }
    if (!options.upsert) return { before: null, after: null, upserted: false };
    const doc = seedFrom(filter);
    applyUpdate(doc, update, true);
    return { before: null, after: clone(this.insert(doc)), upserted: true };
  }
  async findOneAndUpdate(filter: Doc, update: unknown, options: { upsert?: boolean; sort?: Doc; returnDocument?: 'before' | 'after' } = {}) {
    this.record({ method: 'findOneAndUpdate', filter, update, ...(options.sort ? { sort: options.sort } : {}) });
    const r = this.upsertOne(filter, update, options);
    return options.returnDocument === 'after' ? r.after : r.before;
  }
  async updateOne(filter: Doc, update: unknown, options: { upsert?: boolean } = {}) {
    this.record({ method: 'updateOne', filter, update });
    const r = this.upsertOne(filter, update, options);
    return { acknowledged: true, matchedCount: r.before ? 1 : 0, modifiedCount: r.before ? 1 : 0, upsertedCount: r.upserted ? 1 : 0, upsertedId: r.upserted ? r.after?._id : null };
  }
  async updateMany(filter: Doc, update: unknown) {
    this.record({ method: 'updateMany', filter, update });
    const found = this.select(filter);
    for (const d of found) applyUpdate(d, update, false);
    return { acknowledged: true, matchedCount: found.length, modifiedCount: found.length, upsertedCount: 0, upsertedId: null };
  }
  async findOneAndDelete(filter: Doc, options: { sort?: Doc } = {}) {
    this.record({ method: 'findOneAndDelete', filter });
    const found = this.select(filter, options.sort)[0];
    if (!found) return null;
    this.docs.splice(this.docs.indexOf(found), 1);
    return clone(found);
  }
  async deleteMany(filter: Doc) {
    this.record({ method: 'deleteMany', filter });
    const found = this.select(filter);
    for (const d of found) this.docs.splice(this.docs.indexOf(d), 1);
    return { acknowledged: true, deletedCount: found.length };
  }
  async bulkWrite(ops: Doc[]) {
    for (const op of ops) {
      const [kind, arg] = Object.entries(op)[0] as [string, Doc];
      if (kind === 'insertOne') await this.insertOne(arg.document as Doc);
      else if (kind === 'updateOne') await this.updateOne(arg.filter as Doc, arg.update, { upsert: Boolean(arg.upsert) });
      else throw new Error(`fake-mongo: bulkWrite ${kind} is not understood`);
    }
    return { ok: 1, insertedCount: 0, matchedCount: 0, modifiedCount: 0, upsertedCount: 0 };
  }
  aggregate(pipeline: Doc[]) {
    // Only the pipeline's query is read (its first $match and $sort, for the index checks): its
    // grouping is left to a real server, and the answer is empty.
    this.record({ method: 'aggregate', pipeline });
    return { toArray: async () => [], close: async () => undefined };
  }
}

export interface FakeMongo {
  connection: Connection;
  calls: RecordedCall[];
  collection(name: string): FakeCollection;
}

/** A real mongoose Connection whose driver is the fake: models compile and cast as on a server. */
export function fakeMongoConnection(): FakeMongo {
  const calls: RecordedCall[] = [];
  const collections = new Map<string, FakeCollection>();
  const connection = mongoose.createConnection();
  connection.config.autoIndex = false;
  connection.config.autoCreate = false;
  const uniqueIndexes = (name: string): UniqueIndex[] => {
    const model = Object.values(connection.models).find((m) => m.collection.collectionName === name);
    if (!model) return [];
    return model.schema
      .indexes()
      .filter(([, opts]) => opts.unique === true && opts.sparse !== true)
      .map(([keys, opts]) => ({ keys: Object.keys(keys), ...(opts.partialFilterExpression ? { partial: opts.partialFilterExpression as Doc } : {}) }));
  };
  const collection = (name: string) => {
    let c = collections.get(name);
    if (!c) collections.set(name, (c = new FakeCollection(name, calls, () => uniqueIndexes(name))));
    return c;
  };
  const db = { databaseName: 'offline', collection };
  // What mongoose's driver layer does once a client has connected (connection.js _setClient):
  // these members are internal, hence the cast.
  const internal = connection as unknown as { db: unknown; readyState: number; onOpen(): void };
  internal.db = db;
  internal.readyState = mongoose.ConnectionStates.connected;
  internal.onOpen();
  return { connection, calls, collection };
}
