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

describeIfMongo('mongo adapter: cases filed before the petition type was a field (MONGODB_URI)', () => {
  it('when prepare runs over old documents, then their type comes from the content lead and lists filter them', async () => {
    const uri = process.env.MONGODB_URI ?? '';
    const connection = await mongoose.createConnection(uri, { dbName: `t_${randomUUID().replace(/-/g, '')}`, autoIndex: false }).asPromise();
    try {
      const old = (code: string, content: string) => ({
        _id: randomUUID(), code, kind: 'petition', category: 'infrastructure', village: 'Thôn Đông', content, attachments: [],
        channel: 'zalo', userId: 'u1', status: 'received', dueAt: 2, createdAt: 1, updatedAt: 1, history: [], version: 1,
      });
      await connection.collection<{ _id: string }>('cases').insertMany([old('PA-22222', '[Kiến nghị] Đề nghị lắp đèn đường.'), old('PA-33333', '[Phản ánh] Đường hỏng.')]);
      const store = new MongoCaseStore(connection);
      await store.prepare();
      expect((await store.findByCode('PA-22222'))?.petitionType).toBe('proposal');
      expect((await store.list({ petitionType: 'feedback' })).cases.map((c) => c.code)).toEqual(['PA-33333']);
    } finally {
      await connection.dropDatabase();
      await connection.close();
    }
  });
});
