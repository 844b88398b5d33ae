import { MemoryFlowStore } from '../../src/store/memory';
import { describeFlowStore } from './flow-store.contract';
import { openMongoTestStores } from './mongo-test-db';

describeFlowStore('memory', async () => ({ store: new MemoryFlowStore(), cleanup: async () => undefined }));

// No MongoDB server can be installed on the development machines, so the mongo run needs MONGODB_URI (CI, docker compose).
const describeIfMongo = process.env.MONGODB_URI ? describe : describe.skip; // MONGODB_URI unset: no MongoDB server here
describeIfMongo('mongo adapter (MONGODB_URI)', () => {
  describeFlowStore('mongo', async () => {
    const { stores, cleanup } = await openMongoTestStores();
    return { store: stores.flows, cleanup };
  });
});
