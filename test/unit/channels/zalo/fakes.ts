// Test doubles for the Zalo channel: captured-style fixtures, an independent signer, a recording token store
// and a recording logger. The memory TokenStore lives here because store/memory is being built in parallel.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ZaloConfig } from '../../../../src/config';
import type { Logger } from '../../../../src/shared/logger';
import type { TokenPair, TokenRecord, TokenStore } from '../../../../src/store/ports/tokens';

export const APP_ID = '3482651234567890123';
/** a user id above 2^53, as in the fixtures */
export const USER_ID = '8309175123456789013';
export const OA_ID = '1423987654321098765';

export function zaloTestConfig(overrides: Partial<ZaloConfig> = {}): ZaloConfig {
  return {
    appId: APP_ID,
    appSecret: 'app-secret-for-tests',
    oaSecretKey: 'oa-secret-key-for-tests',
    apiBase: 'https://openapi.zalo.me',
    oauthBase: 'https://oauth.zaloapp.com',
    znsApiBase: 'https://business.openapi.zalo.me',
    ...overrides,
  };
}

/** The fixture's bytes exactly as stored: these are what Zalo signs. */
export function zaloFixture(name: string): Buffer {
  return readFileSync(join(__dirname, '../../../fixtures/zalo', `${name}.json`));
}

/** Signs like Zalo's Java SDK MacUtils: sha256 over the joined string, written independently of signature.ts. */
export function zaloMac(raw: Buffer, appId: string, timestamp: string, key: string): string {
  return createHash('sha256').update(appId + raw.toString('utf8') + timestamp + key, 'utf8').digest('hex');
}

/** `mac=<hex>` for a fixture-style body, with app_id and timestamp read from it. */
export function signatureFor(raw: Buffer, key = zaloTestConfig().oaSecretKey): string {
  const body = JSON.parse(raw.toString('utf8')) as { app_id: string; timestamp: string };
  return `mac=${zaloMac(raw, body.app_id, body.timestamp, key)}`;
}

/** An in-memory TokenStore that records each rotation into a shared event list, after it is durable. */
export class RecordingTokenStore implements TokenStore {
  readonly records = new Map<string, TokenRecord>();
  readonly rotations: TokenPair[] = [];

  /** @param writeMs how long a rotation takes to become durable: long enough that using a pair before it
   * is persisted shows up in the event order */
  constructor(
    private readonly events: string[] = [],
    private readonly writeMs = 50,
  ) {}

  async get(name: string): Promise<TokenRecord | null> {
    const r = this.records.get(name);
    return r ? structuredClone(r) : null;
  }

  async rotate(name: string, next: TokenPair): Promise<void> {
    await new Promise((r) => setTimeout(r, this.writeMs));
    const old = this.records.get(name);
    this.records.set(name, old ? { current: { ...next }, previous: old.current } : { current: { ...next } });
    this.rotations.push({ ...next });
    this.events.push(`rotate:${next.accessToken}/${next.refreshToken}`);
  }

  seed(name: string, current: TokenPair): void {
    this.records.set(name, { current: { ...current } });
  }
}

export interface LogLine {
  level: string;
  obj: object;
  msg?: string;
}

/** A logger that keeps every line, to assert what was (and was not) logged. */
export function recordingLogger(lines: LogLine[] = []): Logger & { lines: LogLine[] } {
  const at = (level: string) => (obj: object, msg?: string) => {
    lines.push({ level, obj, msg });
  };
  const log = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => log, lines };
  return log;
}
