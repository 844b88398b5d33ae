import { MemoryHandoffStore } from '../../src/store/memory';
import { describeHandoffStore } from './handoff-store.contract';
import { openMongoTestStores } from './mongo-test-db';

describeHandoffStore('memory', async () => ({ store: new MemoryHandoffStore(), cleanup: async () => undefined }));

// No MongoDB server can be installed on the development machines, so the mongo run needs MONGODB_URI (CI, docker compose).
const describeIfMongo = process.env.MONGODB_URI ? describe : describe.skip; // MONGODB_URI unset: no MongoDB server here
describeIfMongo('mongo adapter (MONGODB_URI)', () => {
  describeHandoffStore('mongo', async () => {
    const { stores, cleanup } = await openMongoTestStores();
    return { store: stores.handoffs, cleanup };
  });
});
