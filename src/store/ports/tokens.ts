/** A platform's OAuth token pair as last persisted. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** ms since the epoch when the access token stops working */
  accessExpiresAt: number;
  /** ms since the epoch when the pair was obtained */
  obtainedAt: number;
}

export interface TokenRecord {
  current: TokenPair;
  /** the pair before the last rotation, kept for diagnosis and recovery */
  previous?: TokenPair;
}

export interface TokenStore {
  get(name: string): Promise<TokenRecord | null>;
  /** Replaces the current pair; the old current becomes `previous`. Durable when it resolves. */
  rotate(name: string, next: TokenPair): Promise<void>;
}
