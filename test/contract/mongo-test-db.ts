// The contract suites' MongoDB runs. No MongoDB server can be installed on the machines where this
// code was written, so these runs happen only where MONGODB_URI points at a server (CI, a developer's
// docker compose); elsewhere the test files skip them and say why on the same line.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import type { Stores } from '../../src/store/ports';
import { createMongoStores } from '../../src/store/mongo';

/** Opens the mongo stores on a database of their own; cleanup drops that database and closes. */
export async function openMongoTestStores(): Promise<{ stores: Stores; cleanup(): Promise<void> }> {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: run this suite through describeIfMongo');
  const dbName = `t_${randomUUID().replace(/-/g, '')}`;
  const stores = await createMongoStores(uri, { dbName });
  return {
    stores,
    async cleanup() {
      await stores.health.close();
      // A connection of the test's own: the stores expose no way to drop their database, by design.
      const admin = await mongoose.createConnection(uri, { dbName }).asPromise();
      try {
        await admin.dropDatabase();
      } finally {
        await admin.close();
      }
    },
  };
}
