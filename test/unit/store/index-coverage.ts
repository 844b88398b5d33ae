import type { Connection } from 'mongoose';
import type { RecordedCall } from '../../helpers/fake-mongo';

type Doc = Record<string, unknown>;

/** The fields of one query as an index sees them. */
interface QueryShape {
  /** equality, $in and $elemMatch fields: an index must lead with them */
  equality: string[];
  /** $lt/$gt/… fields: served from the index when it holds them, else filtered after */
  range: string[];
  /** negations ($ne, $nin, $exists: false): never what an index selects by */
  residual: string[];
  sort: string[];
  filter: Doc;
}

const isOperators = (v: unknown): v is Doc =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof RegExp) && Object.keys(v).length > 0 && Object.keys(v).every((k) => k.startsWith('$'));

/** A read that scans on purpose, with the reason it may. */
export interface AllowedScan {
  collection: string;
  filter: Doc;
  why: string;
}

/** One shape per branch of the query's $or (the planner uses an index per branch). */
export function shapesOf(filter: Doc, sort: Doc | undefined): QueryShape[] {
  const base: QueryShape = { equality: [], range: [], residual: [], sort: Object.keys(sort ?? {}), filter };
  let branches: Doc[] = [{}];
  for (const [key, cond] of Object.entries(filter)) {
    if (key === '$or') {
      branches = branches.flatMap((b) => (cond as Doc[]).map((alt) => ({ ...b, ...alt })));
      continue;
    }
    if (key === '$and') {
      for (const part of cond as Doc[]) branches = branches.map((b) => ({ ...b, ...part }));
      continue;
    }
    branches = branches.map((b) => ({ ...b, [key]: cond }));
  }
  return branches.map((branch) => {
    const shape: QueryShape = { ...base, equality: [], range: [], residual: [] };
    for (const [key, cond] of Object.entries(branch)) {
      if (!isOperators(cond)) shape.equality.push(key);
      else if ('$eq' in cond || '$in' in cond) shape.equality.push(key);
      else if ('$elemMatch' in cond) shape.equality.push(...Object.keys(cond.$elemMatch as Doc).map((k) => `${key}.${k}`));
      else if ('$lt' in cond || '$lte' in cond || '$gt' in cond || '$gte' in cond || ('$exists' in cond && cond.$exists === true)) shape.range.push(key);
      else shape.residual.push(key);
    }
    return shape;
  });
}

/**
 * Whether an index serves the query: a unique index all of whose keys the query fixes finds the one
 * document; otherwise the index must bound the scan (its leading keys hold at least one filtered
 * field, equality fields first) and give the sort (after the fixed keys, the sort's fields in order,
 * all in the sort's directions or all reversed). Equality fields the index lacks are filtered on
 * the documents the index already narrowed.
 */
export function serves(index: { keys: [string, number][]; unique: boolean }, shape: QueryShape, sort: Doc | undefined): boolean {
  const keys = index.keys.map(([k]) => k);
  if (index.unique && keys.every((k) => shape.equality.includes(k))) return true;
  const used = new Set([...shape.equality, ...shape.range, ...shape.sort]);
  const prefix: string[] = [];
  for (const k of keys) {
    if (!used.has(k)) break;
    prefix.push(k);
  }
  // With no condition at all, an index that gives the order is walked in order up to the limit.
  const unfiltered = shape.equality.length === 0 && shape.range.length === 0 && shape.residual.length === 0;
  const bounded = prefix.some((k) => shape.equality.includes(k) || shape.range.includes(k));
  if (!bounded && !(unfiltered && prefix.length > 0)) return false;
  const wanted = shape.sort.filter((k) => !shape.equality.includes(k));
  if (wanted.length === 0) return true;
  const rest = prefix.filter((k) => !shape.equality.includes(k));
  if (!wanted.every((k, i) => rest[i] === k)) return false;
  const direction = (k: string) => Number(index.keys.find(([key]) => key === k)?.[1] ?? 1) * (sort?.[k] === -1 || sort?.[k] === 'desc' ? -1 : 1);
  const signs = new Set(wanted.map(direction));
  return signs.size === 1;
}

/** A partial index serves only queries that ask for no more than its filter holds. */
function partialAllows(partial: Doc | undefined, filter: Doc): boolean {
  if (!partial) return true;
  return Object.entries(partial).every(([k, v]) => {
    const asked = filter[k];
    // A field compared with a value implies that it exists; an $elemMatch over its array does not
    // (the planner cannot use such a partial index for it).
    if (isOperators(v) && v.$exists === true) return asked !== undefined && asked !== null && !(isOperators(asked) && ('$exists' in asked || '$ne' in asked || '$nin' in asked));
    return JSON.stringify(asked) === JSON.stringify(v);
  });
}

/**
 * The recorded reads no index serves, as `collection method filter sort` lines. A query by `_id`
 * is served by the index every collection has. An aggregation is read from its first $match and
 * the $sort after it.
 */
export function uncoveredQueries(connection: Connection, calls: RecordedCall[], allowed: AllowedScan[] = []): string[] {
  const out = new Set<string>();
  for (const call of calls) {
    const model = Object.values(connection.models).find((m) => m.collection.collectionName === call.collection);
    if (!model) throw new Error(`no model for collection ${call.collection}`);
    const indexes = [
      { keys: [['_id', 1]] as [string, number][], unique: true, partial: undefined as Doc | undefined },
      ...model.schema.indexes().map(([keys, opts]) => ({
        keys: Object.entries(keys).map(([k, v]) => [k, Number(v)] as [string, number]),
        unique: opts.unique === true,
        partial: opts.partialFilterExpression as Doc | undefined,
      })),
    ];
    let filter = call.filter ?? {};
    let sort = call.sort;
    if (call.pipeline) {
      const stages = [...call.pipeline];
      filter = stages[0]?.$match ? (stages.shift()?.$match as Doc) : {};
      sort = stages[0]?.$sort as Doc | undefined;
    }
    const line = `${call.collection} ${call.method} ${JSON.stringify(filter)}${sort ? ` sort ${JSON.stringify(sort)}` : ''}`;
    if (allowed.some((a) => a.collection === call.collection && JSON.stringify(a.filter) === JSON.stringify(filter))) continue;
    for (const shape of shapesOf(filter, sort)) {
      if (!indexes.some((ix) => partialAllows(ix.partial, shape.filter) && serves(ix, shape, sort))) {
        out.add(line);
      }
    }
  }
  return [...out];
}
