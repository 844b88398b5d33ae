import { Schema, type Connection, type Model } from 'mongoose';
import type { TokenPair, TokenRecord, TokenStore } from '../ports';

interface TokenDoc {
  name: string;
  current: TokenPair;
  previous?: TokenPair;
}

const tokenPairSchema = new Schema<TokenPair>(
  {
    accessToken: { type: String, required: true },
    refreshToken: { type: String, required: true },
    accessExpiresAt: { type: Number, required: true },
    obtainedAt: { type: Number, required: true },
  },
  { _id: false },
);

const tokenSchema = new Schema<TokenDoc>(
  {
    name: { type: String, required: true },
    current: { type: tokenPairSchema, required: true },
    previous: { type: tokenPairSchema },
  },
  { collection: 'platform_tokens', versionKey: false },
);
tokenSchema.index({ name: 1 }, { unique: true, name: 'name_unique' });

/** Platform token pairs in `platform_tokens`, one document per name. */
export class MongoTokenStore implements TokenStore {
  private readonly tokens: Model<TokenDoc>;

  constructor(connection: Connection) {
    this.tokens = connection.model<TokenDoc>('PlatformToken', tokenSchema);
  }

  /** Creates the collection and brings its indexes in line with the schema. */
  async prepare(): Promise<void> {
    await this.tokens.init();
    await this.tokens.syncIndexes();
  }

  async get(name: string): Promise<TokenRecord | null> {
    const doc = await this.tokens.findOne({ name }).lean();
    if (!doc) return null;
    const record: TokenRecord = { current: toPair(doc.current) };
    if (doc.previous) record.previous = toPair(doc.previous);
    return record;
  }

  async rotate(name: string, next: TokenPair): Promise<void> {
    // One atomic update (a pipeline, so it can read the old current): a refresh token is single-use
    // at Zalo, so losing the new pair after the old one was spent would lock the OA out. Majority
    // write concern: the pair survives a primary failover once this resolves.
    await this.tokens.findOneAndUpdate(
      { name },
      [{ $set: { previous: '$current', current: { $literal: toPair(next) } } }],
      { upsert: true, writeConcern: { w: 'majority' } },
    );
  }
}

// Field by field: neither stored extras nor a caller's extra properties cross the port.
function toPair(p: TokenPair): TokenPair {
  return {
    accessToken: p.accessToken,
    refreshToken: p.refreshToken,
    accessExpiresAt: p.accessExpiresAt,
    obtainedAt: p.obtainedAt,
  };
}
