import { Schema, type Connection, type Model } from 'mongoose';
import { AppError } from '../../shared/app-error';
import {
  CHAT_CHANNELS,
  OFFICIAL_ROLES,
  type ChatAccount,
  type ChatChannel,
  type Official,
  type OfficialInput,
  type OfficialStore,
  type RedeemLinkCodeResult,
} from '../ports';
import { isDuplicateKeyError } from './mongo-errors';

interface LinkCodeDoc {
  code: string;
  officialId: string;
  // A Date, not ms: MongoDB's TTL monitor only removes documents whose indexed field is a date.
  expiresAt: Date;
}

const accountSchema = new Schema<ChatAccount>(
  {
    channel: { type: String, enum: CHAT_CHANNELS, required: true },
    userId: { type: String, required: true },
  },
  { _id: false },
);

const officialSchema = new Schema<Official>(
  {
    id: { type: String, required: true },
    name: { type: String, required: true },
    role: { type: String, enum: OFFICIAL_ROLES, required: true },
    supervisorId: { type: String },
    villages: { type: [String], default: [] },
    categories: { type: [String], default: [] },
    onDuty: { type: Boolean, required: true },
    accounts: { type: [accountSchema], default: [] },
    active: { type: Boolean, required: true },
  },
  { collection: 'officials', versionKey: false },
);
officialSchema.index({ id: 1 }, { unique: true, name: 'id_unique' });
// One official per chat account. A partial filter does what "sparse" is meant to here: officials
// without any account are left out of the index, so their empty arrays never collide as nulls.
// The index spans documents; duplicates inside one official's array are dropped by the adapter.
officialSchema.index(
  { 'accounts.channel': 1, 'accounts.userId': 1 },
  { unique: true, partialFilterExpression: { 'accounts.userId': { $exists: true } }, name: 'account_unique' },
);

const linkCodeSchema = new Schema<LinkCodeDoc>(
  {
    code: { type: String, required: true },
    officialId: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'official_link_codes', versionKey: false },
);
linkCodeSchema.index({ code: 1 }, { unique: true, name: 'code_unique' });
linkCodeSchema.index({ officialId: 1 }, { name: 'official' });
// Expired codes disappear by themselves (the monitor runs about once a minute); until then
// redeemLinkCode refuses them by comparing with `now`, so the TTL is housekeeping, not the rule.
linkCodeSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0, name: 'expires_ttl' });

export interface MongoOfficialStoreOptions {
  /** attempts when a concurrent link of the same account keeps winning the unique index; default 5 */
  maxLinkAttempts?: number;
}

/**
 * Officials in `officials`, link codes in `official_link_codes`. Redeeming is one findOneAndDelete
 * (the code goes only while unexpired), so of concurrent redemptions exactly one gets the document.
 * Linking then takes the account from other officials and adds it to this one: two writes, because
 * the unique account index forbids adding first. A crash between them leaves the account unlinked
 * and the code spent; the official asks for a new code.
 */
export class MongoOfficialStore implements OfficialStore {
  private readonly officials: Model<Official>;
  private readonly codes: Model<LinkCodeDoc>;
  private readonly maxLinkAttempts: number;

  constructor(connection: Connection, opts: MongoOfficialStoreOptions = {}) {
    const { maxLinkAttempts = 5 } = opts;
    this.officials = connection.model<Official>('Official', officialSchema);
    this.codes = connection.model<LinkCodeDoc>('OfficialLinkCode', linkCodeSchema);
    this.maxLinkAttempts = maxLinkAttempts;
  }

  /** Creates the collections and brings their indexes in line with the schemas. */
  async prepare(): Promise<void> {
    for (const model of [this.officials, this.codes] as Model<unknown>[]) {
      await model.init();
      await model.syncIndexes();
    }
  }

  async upsert(input: OfficialInput): Promise<Official> {
    const accounts = input.accounts ? uniqueAccounts(input.accounts) : undefined;
    const set: Record<string, unknown> = {
      name: input.name,
      role: input.role,
      villages: [...input.villages],
      categories: [...input.categories],
      onDuty: input.onDuty,
      active: input.active,
    };
    if (input.supervisorId !== undefined) set.supervisorId = input.supervisorId;
    if (accounts) set.accounts = accounts;
    const update = {
      $set: set,
      ...(input.supervisorId === undefined ? { $unset: { supervisorId: '' } } : {}),
      ...(accounts ? {} : { $setOnInsert: { accounts: [] } }),
    };
    return this.retryOnDuplicate(async () => {
      for (const account of accounts ?? []) await this.detach(account, input.id);
      const doc = await this.officials.findOneAndUpdate({ id: input.id }, update, { upsert: true, new: true }).lean();
      if (!doc) throw new Error(`official upsert returned nothing for ${input.id}`);
      return toOfficial(doc);
    });
  }

  async get(id: string): Promise<Official | null> {
    const doc = await this.officials.findOne({ id }).lean();
    return doc ? toOfficial(doc) : null;
  }

  async list(): Promise<Official[]> {
    const docs = await this.officials.find().sort({ id: 1 }).lean();
    return docs.map(toOfficial);
  }

  async findByAccount(channel: ChatChannel, userId: string): Promise<Official | null> {
    // The plain 'accounts.userId' condition lets the partial account index serve the query: an
    // $elemMatch alone does not tell the planner that the field exists.
    const doc = await this.officials.findOne({ 'accounts.userId': userId, accounts: { $elemMatch: { channel, userId } } }).lean();
    return doc ? toOfficial(doc) : null;
  }

  async issueLinkCode(officialId: string, code: string, expiresAt: number): Promise<boolean> {
    if (!(await this.officials.exists({ id: officialId }))) throw new AppError('NOT_FOUND', `no official with id ${officialId}`);
    try {
      await this.codes.create({ code, officialId, expiresAt: new Date(expiresAt) });
    } catch (e) {
      if (isDuplicateKeyError(e)) return false;
      throw e;
    }
    // After the insert, so a failed insert never leaves the official without a working code.
    await this.codes.deleteMany({ officialId, code: { $ne: code } });
    return true;
  }

  async redeemLinkCode(code: string, account: ChatAccount, now: number): Promise<RedeemLinkCodeResult> {
    const used = await this.codes.findOneAndDelete({ code, expiresAt: { $gt: new Date(now) } }).lean();
    if (!used) return { ok: false, reason: (await this.codes.exists({ code })) ? 'expired' : 'unknown' };
    const linked: ChatAccount = { channel: account.channel, userId: account.userId };
    const official = await this.retryOnDuplicate(async () => {
      await this.detach(linked, used.officialId);
      return this.officials.findOneAndUpdate({ id: used.officialId }, { $addToSet: { accounts: linked } }, { new: true }).lean();
    });
    return official ? { ok: true, official: toOfficial(official) } : { ok: false, reason: 'unknown' };
  }

  /** Takes the account away from every official but `keeperId`. */
  private async detach(account: ChatAccount, keeperId: string): Promise<void> {
    await this.officials.updateMany(
      { 'accounts.userId': account.userId, id: { $ne: keeperId }, accounts: { $elemMatch: { channel: account.channel, userId: account.userId } } },
      { $pull: { accounts: { channel: account.channel, userId: account.userId } } },
    );
  }

  /**
   * Runs `write` again when it lost a race on a unique index: two first upserts of one id, or an
   * account linked elsewhere between `detach` and the write. Each retry detaches again.
   */
  private async retryOnDuplicate<T>(write: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (e) {
        if (!isDuplicateKeyError(e) || attempt >= this.maxLinkAttempts) throw e;
      }
    }
  }
}

function uniqueAccounts(accounts: ChatAccount[]): ChatAccount[] {
  const kept: ChatAccount[] = [];
  for (const a of accounts) {
    if (!kept.some((k) => k.channel === a.channel && k.userId === a.userId)) kept.push({ channel: a.channel, userId: a.userId });
  }
  return kept;
}

// Field by field, so _id never crosses the port.
function toOfficial(doc: Official): Official {
  const official: Official = {
    id: doc.id,
    name: doc.name,
    role: doc.role,
    villages: [...(doc.villages ?? [])],
    categories: [...(doc.categories ?? [])],
    onDuty: doc.onDuty,
    accounts: (doc.accounts ?? []).map((a) => ({ channel: a.channel, userId: a.userId })),
    active: doc.active,
  };
  if (doc.supervisorId != null) official.supervisorId = doc.supervisorId;
  return official;
}
