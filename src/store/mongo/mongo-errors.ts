/** MongoDB's duplicate-key error code (E11000). */
const DUPLICATE_KEY = 11000;

/**
 * True when a write failed only because a unique index already holds the key: for a single write
 * (MongoServerError) or an unordered bulk write whose every failed operation was a duplicate.
 * Matched by code, not by class, so it holds whichever driver copy threw it.
 */
export function isDuplicateKeyError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const { code, writeErrors } = e as { code?: unknown; writeErrors?: unknown };
  // The driver's MongoBulkWriteError holds one WriteError or an array of them.
  const failed = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  if (failed.length > 0) {
    return failed.every((w) => typeof w === 'object' && w !== null && (w as { code?: unknown }).code === DUPLICATE_KEY);
  }
  return code === DUPLICATE_KEY;
}
