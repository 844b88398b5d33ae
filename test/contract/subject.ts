import { randomUUID } from 'node:crypto';

/** What a contract suite runs against: one adapter's store, and how to dispose of it afterwards. */
export interface StoreSubject<S> {
  store: S;
  cleanup(): Promise<void>;
}

/**
 * Runs `make` once for the suite and cleans up after it. Tests share the store, so each one works
 * on its own keys (see `uniqueId`): a mongo run then needs one database and one index sync, not one per test.
 */
export function useStoreSubject<S>(make: () => Promise<StoreSubject<S>>): () => S {
  let subject: StoreSubject<S> | undefined;
  beforeAll(async () => {
    subject = await make();
  });
  afterAll(async () => {
    await subject?.cleanup();
  });
  return () => {
    if (!subject) throw new Error('store subject not created: did beforeAll fail?');
    return subject.store;
  };
}

/** A fresh id for one test's records, readable in a failure message. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}
