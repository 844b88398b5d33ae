import { MemoryOfficialStore } from '../../src/store/memory';
import { openMongoTestStores } from './mongo-test-db';
import { describeOfficialStore } from './official-store.contract';

describeOfficialStore('memory', async () => ({ store: new MemoryOfficialStore(), cleanup: async () => undefined }));

// No MongoDB server can be installed on the development machines, so the mongo run needs MONGODB_URI (CI, docker compose).
// The mongo adapter (unique account index, TTL on link codes, findOneAndDelete redemption) has therefore
// not been run against a server where it was written: the first CI run with MONGODB_URI is its first test.
const describeIfMongo = process.env.MONGODB_URI ? describe : describe.skip; // MONGODB_URI unset: no MongoDB server here
describeIfMongo('mongo adapter (MONGODB_URI)', () => {
  describeOfficialStore('mongo', async () => {
    const { stores, cleanup } = await openMongoTestStores();
    return { store: stores.officials, cleanup };
  });
});
