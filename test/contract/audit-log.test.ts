import { MemoryAuditLog } from '../../src/store/memory';
import { describeAuditLog } from './audit-log.contract';
import { openMongoTestStores } from './mongo-test-db';

describeAuditLog('memory', async () => ({ store: new MemoryAuditLog(), cleanup: async () => undefined }));

const describeIfMongo = process.env.MONGODB_URI ? describe : describe.skip; // MONGODB_URI unset: no MongoDB server here
describeIfMongo('mongo adapter (MONGODB_URI)', () => {
  describeAuditLog('mongo', async () => {
    const { stores, cleanup } = await openMongoTestStores();
    return { store: stores.audit, cleanup };
  });
});
