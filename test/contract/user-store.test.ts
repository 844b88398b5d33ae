import { MemoryUserStore } from '../../src/store/memory';
import { describeUserStore } from './user-store.contract';
import { openMongoTestStores } from './mongo-test-db';

describeUserStore('memory', async () => ({ store: new MemoryUserStore(), cleanup: async () => undefined }));

const describeIfMongo = process.env.MONGODB_URI ? describe : describe.skip; // MONGODB_URI unset: no MongoDB server here
describeIfMongo('mongo adapter (MONGODB_URI)', () => {
  describeUserStore('mongo', async () => {
    const { stores, cleanup } = await openMongoTestStores();
    return { store: stores.users, cleanup };
  });
});
