import { MemoryTokenStore } from '../../src/store/memory';
import { openMongoTestStores } from './mongo-test-db';
import { describeTokenStore } from './token-store.contract';

describeTokenStore('memory', async () => ({ store: new MemoryTokenStore(), cleanup: async () => undefined }));

// No MongoDB server can be installed on the development machines, so the mongo run needs MONGODB_URI (CI, docker compose).
const describeIfMongo = process.env.MONGODB_URI ? describe : describe.skip; // MONGODB_URI unset: no MongoDB server here
describeIfMongo('mongo adapter (MONGODB_URI)', () => {
  describeTokenStore('mongo', async () => {
    const { stores, cleanup } = await openMongoTestStores();
    return { store: stores.tokens, cleanup };
  });
});
