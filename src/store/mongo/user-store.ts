import { Schema, type Connection, type Model } from 'mongoose';
import { USER_ROLES, type User, type UserPatch, type UserRole, type UserStore } from '../ports/users';
import { isDuplicateKeyError } from './mongo-errors';

const userSchema = new Schema<User>(
  {
    username: { type: String, required: true },
    role: { type: String, enum: USER_ROLES, required: true },
    passwordHash: { type: String, required: true },
    officialId: { type: String },
    active: { type: Boolean, required: true },
    createdAt: { type: Number, required: true },
    updatedAt: { type: Number, required: true },
  },
  // strictQuery: a filter field that is not in the schema is dropped, never sent as an operator.
  { collection: 'console_users', versionKey: false, strictQuery: true },
);
userSchema.index({ username: 1 }, { unique: true, name: 'username_unique' });

/** Console accounts in `console_users`, one document per account; the unique index makes `create` atomic. */
export class MongoUserStore implements UserStore {
  private readonly users: Model<User>;

  constructor(connection: Connection) {
    this.users = connection.model<User>('ConsoleUser', userSchema);
  }

  async prepare(): Promise<void> {
    await this.users.init();
    await this.users.syncIndexes();
  }

  async create(user: User): Promise<boolean> {
    try {
      await this.users.create(toUser(user));
      return true;
    } catch (e) {
      if (isDuplicateKeyError(e)) return false;
      throw e;
    }
  }

  async get(username: string): Promise<User | null> {
    // String(...) and $eq: whatever reaches here is compared as a plain string, never read as an operator.
    const doc = await this.users.findOne({ username: { $eq: String(username) } }).lean();
    return doc ? toUser(doc) : null;
  }

  async list(): Promise<User[]> {
    const docs = await this.users.find({}).sort({ username: 1 }).lean();
    return docs.map(toUser);
  }

  async update(username: string, patch: UserPatch, now: number): Promise<User | null> {
    const set: Record<string, unknown> = { updatedAt: now };
    const unset: Record<string, 1> = {};
    if (patch.role !== undefined) set.role = patch.role;
    if (patch.passwordHash !== undefined) set.passwordHash = patch.passwordHash;
    if (patch.active !== undefined) set.active = patch.active;
    if (patch.officialId === null) unset.officialId = 1;
    else if (patch.officialId !== undefined) set.officialId = patch.officialId;
    const doc = await this.users
      .findOneAndUpdate({ username: { $eq: String(username) } }, { $set: set, ...(Object.keys(unset).length ? { $unset: unset } : {}) }, { new: true })
      .lean();
    return doc ? toUser(doc) : null;
  }

  async count(role?: UserRole): Promise<number> {
    return this.users.countDocuments(role === undefined ? {} : { role: { $eq: String(role) } });
  }
}

// Field by field, so _id never crosses the port.
function toUser(doc: User): User {
  return {
    username: doc.username,
    role: doc.role,
    passwordHash: doc.passwordHash,
    ...(doc.officialId !== undefined && doc.officialId !== null ? { officialId: doc.officialId } : {}),
    active: doc.active,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}
