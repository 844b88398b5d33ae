import mongoose, { type Connection } from 'mongoose';
import { AppError } from '../../shared/app-error';
import type { Stores } from '../ports';
import { MongoAppointmentStore } from './appointment-store';
import { MongoCaseStore } from './case-store';
import { MongoConversationStore } from './conversation-store';
import { MongoFlowStore } from './flow-store';
import { MongoHandoffStore } from './handoff-store';
import { MongoOfficialStore } from './official-store';
import { MongoTokenStore } from './token-store';
import { MongoUserStore } from './user-store';
import { MongoAuditLog } from './audit-log';

export { MongoAppointmentStore } from './appointment-store';
export { MongoCaseStore } from './case-store';
export { MongoConversationStore } from './conversation-store';
export { MongoFlowStore } from './flow-store';
export { MongoHandoffStore } from './handoff-store';
export { MongoOfficialStore } from './official-store';
export { MongoTokenStore } from './token-store';
export { MongoUserStore } from './user-store';
export { MongoAuditLog } from './audit-log';

export interface MongoStoresOptions {
  /** the database to use; default: the one named in the URI (else mongoose's default, "test") */
  dbName?: string;
  /** how long the first connection may take to find a server; default the driver's 30 s */
  serverSelectionTimeoutMS?: number;
}

/**
 * Every store on MongoDB, through one mongoose Connection of its own (mongoose.createConnection,
 * not the global default), so tests can open several databases side by side and closing the stores
 * closes exactly what they opened. Creates the collections and syncs their indexes before resolving;
 * rejects, with the connection closed, when the server cannot be reached.
 */
export async function createMongoStores(uri: string, opts: MongoStoresOptions = {}): Promise<Stores> {
  const { dbName, serverSelectionTimeoutMS } = opts;
  const connection = mongoose.createConnection(uri, {
    ...(dbName !== undefined ? { dbName } : {}),
    ...(serverSelectionTimeoutMS !== undefined ? { serverSelectionTimeoutMS } : {}),
    // Indexes are synced once below, not on every model compile.
    autoIndex: false,
    // A dropped connection fails operations at once (so /readyz reports it) instead of queueing them.
    bufferCommands: false,
  });
  try {
    await connection.asPromise();
    const transactions = await supportsTransactions(connection);
    const conversations = new MongoConversationStore(connection, { transactions });
    const tokens = new MongoTokenStore(connection);
    const flows = new MongoFlowStore(connection);
    const officials = new MongoOfficialStore(connection);
    const cases = new MongoCaseStore(connection);
    const appointments = new MongoAppointmentStore(connection);
    const handoffs = new MongoHandoffStore(connection);
    const users = new MongoUserStore(connection);
    const audit = new MongoAuditLog(connection);
    await conversations.prepare();
    await tokens.prepare();
    await flows.prepare();
    await officials.prepare();
    await cases.prepare();
    await appointments.prepare();
    await handoffs.prepare();
    await users.prepare();
    await audit.prepare();
    return {
      conversations,
      tokens,
      flows,
      officials,
      cases,
      appointments,
      handoffs,
      users,
      audit,
      health: {
        ping: async () => {
          await adminDb(connection).command({ ping: 1 });
        },
        close: async () => {
          await connection.close();
        },
      },
    };
  } catch (e) {
    await connection.close().catch(() => undefined);
    throw e;
  }
}

/** Multi-document transactions need a replica set member or a mongos router; a standalone has none. */
async function supportsTransactions(connection: Connection): Promise<boolean> {
  const hello = await adminDb(connection).command({ hello: 1 });
  return typeof hello.setName === 'string' || hello.msg === 'isdbgrid';
}

function adminDb(connection: Connection) {
  const db = connection.db;
  if (!db) throw new AppError('STORE_UNAVAILABLE', 'MongoDB connection is not open');
  return db.admin();
}
