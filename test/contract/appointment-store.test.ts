import { MemoryAppointmentStore } from '../../src/store/memory';
import { describeAppointmentStore } from './appointment-store.contract';
import { openMongoTestStores } from './mongo-test-db';

describeAppointmentStore('memory', async () => ({ store: new MemoryAppointmentStore(), cleanup: async () => undefined }));

// No MongoDB server can be installed on the development machines, so the mongo run needs MONGODB_URI (CI, docker compose).
// The mongo adapter (slot counters with a conditional $inc, the duplicate-key race on a slot's first
// booking) has therefore not run against a server yet: the first CI run with MONGODB_URI is its first test.
const describeIfMongo = process.env.MONGODB_URI ? describe : describe.skip; // MONGODB_URI unset: no MongoDB server here
describeIfMongo('mongo adapter (MONGODB_URI)', () => {
  describeAppointmentStore('mongo', async () => {
    const { stores, cleanup } = await openMongoTestStores();
    return { store: stores.appointments, cleanup };
  });
});
