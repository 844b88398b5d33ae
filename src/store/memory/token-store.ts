import type { TokenPair, TokenRecord, TokenStore } from '../ports';

/** Platform token pairs in a Map; copies in and out. */
export class MemoryTokenStore implements TokenStore {
  private readonly records = new Map<string, TokenRecord>();

  async get(name: string): Promise<TokenRecord | null> {
    const found = this.records.get(name);
    return found ? structuredClone(found) : null;
  }

  async rotate(name: string, next: TokenPair): Promise<void> {
    const before = this.records.get(name);
    const record: TokenRecord = { current: structuredClone(next) };
    if (before) record.previous = before.current;
    this.records.set(name, record);
  }
}
