import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { MemoryCaseStore } from '../../src/store/memory';
import { MongoCaseStore } from '../../src/store/mongo';
import { describeCaseStore, type CaseStoreOptions } from './case-store.contract';
import { openMongoTestStores } from './mongo-test-db';

describeCaseStore('memory', async (opts) => ({ store: new MemoryCaseStore(opts), cleanup: async () => undefined }));

/**
 * The store as createMongoStores builds it; with a scripted code source, a MongoCaseStore of the
 * test's own on a fresh database (createMongoStores takes no code source, by design).
 */
async function openMongoCaseStore(opts: CaseStoreOptions) {
  if (!opts.newCode) {
    const { stores, cleanup } = await openMongoTestStores();
    return { store: stores.cases, cleanup };
  }
  const uri = process.env.MONGODB_URI ?? '';
  const connection = await mongoose.createConnection(uri, { dbName: `t_${randomUUID().replace(/-/g, '')}`, autoIndex: false }).asPromise();
  const store = new MongoCaseStore(connection, opts);
  await store.prepare();
  return {
    store,
    async cleanup() {
      await connection.dropDatabase();
      await connection.close();
    },
  };
}

// No MongoDB server can be installed on the development machines, so the mongo run needs MONGODB_URI (CI, docker compose).
const describeIfMongo = process.env.MONGODB_URI ? describe : describe.skip; // MONGODB_URI unset: no MongoDB server here
describeIfMongo('mongo adapter (MONGODB_URI)', () => {
  describeCaseStore('mongo', openMongoCaseStore);
});
