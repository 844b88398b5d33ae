import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/**
 * Console passwords, hashed and checked off the event loop, so a burst of logins never delays
 * webhook acknowledgements in the same process.
 *
 * New hashes are scrypt (node:crypto, computed on libuv's thread pool), stored as
 * `$scrypt$ln=15,r=8,p=1$<salt>$<key>` (base64, no padding). Accounts made before carry bcrypt
 * hashes (`$2a$`/`$2b$`/`$2y$`): bcryptjs is plain JavaScript and would hold the loop for about a
 * quarter second at cost 12, so they are checked in a worker thread; a successful login replaces
 * such a hash (or a scrypt hash of a lower cost) with a new one (`outdated`).
 */
export interface PasswordHashing {
  hash(password: string): Promise<string>;
  /** `outdated`: the password matched a hash of an older kind or a lower cost; store a new hash */
  verify(password: string, stored: string): Promise<{ matches: boolean; outdated: boolean }>;
  /** Stops the bcrypt worker thread, if one was started. */
  close(): Promise<void>;
}

export interface PasswordHashingOptions {
  /** log2 of scrypt's N (r = 8, p = 1); default 15: 32 MiB and about 0.1 s a hash on the 2-core machine */
  cost?: number;
  /**
   * hashes computed at once; default 1: a burst of logins queues on one core instead of taking
   * every core (and libuv's whole thread pool) from the webhooks
   */
  concurrency?: number;
}

/** Runs at most `n` of the given tasks at once, the others waiting in arrival order. */
function limiter(n: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

const SCRYPT_PREFIX = '$scrypt$';
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const BCRYPT = /^\$2[aby]\$\d{2}\$/;

interface ScryptHash {
  ln: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parseScrypt(stored: string): ScryptHash | null {
  const m = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(stored);
  if (!m) return null;
  const [ln, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (ln < 1 || ln > 20 || r < 1 || p < 1) return null;
  return { ln, r, p, salt: Buffer.from(m[4], 'base64'), key: Buffer.from(m[5], 'base64') };
}

function scryptAsync(password: string, salt: Buffer, keylen: number, ln: number, r: number, p: number): Promise<Buffer> {
  // maxmem above the 128·N·r bytes scrypt needs (node's default cap is 32 MiB, exactly ln=15's need).
  const options: ScryptOptions = { N: 2 ** ln, r, p, maxmem: 256 * 2 ** ln * r + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

// The worker's code as a string: it runs the same under tsx, ts-jest and the compiled build.
const BCRYPT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcryptPath);
parentPort.on('message', ({ id, password, hash }) => {
  try {
    parentPort.postMessage({ id, matches: bcrypt.compareSync(password, hash) });
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) });
  }
});
`;

interface BcryptAnswer {
  id: number;
  matches?: boolean;
  error?: string;
}

/** One worker thread, started at the first bcrypt check; checks queue up in it one at a time. */
function createBcryptChecker() {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve(v: boolean): void; reject(e: Error): void }>();
  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    worker = null;
  };
  const start = (): Worker => {
    const w = new Worker(BCRYPT_WORKER, { eval: true, workerData: { bcryptPath: require.resolve('bcryptjs') } });
    w.on('message', (a: BcryptAnswer) => {
      const p = pending.get(a.id);
      if (!p) return;
      pending.delete(a.id);
      if (a.error !== undefined) p.reject(new Error(`bcrypt check failed: ${a.error}`));
      else p.resolve(a.matches === true);
      if (pending.size === 0) w.unref();
    });
    w.on('error', (err) => failAll(err));
    w.on('exit', (code) => {
      if (worker === w) failAll(new Error(`bcrypt worker stopped (${code})`));
    });
    return w;
  };
  return {
    compare(password: string, hash: string): Promise<boolean> {
      worker ??= start();
      const w = worker;
      const id = nextId++;
      // Held while a check is pending; unreferenced when idle, so it never keeps the process alive.
      w.ref();
      return new Promise<boolean>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        w.postMessage({ id, password, hash });
      });
    },
    async close(): Promise<void> {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}

export function createPasswordHashing(opts: PasswordHashingOptions = {}): PasswordHashing {
  const { cost = 15, concurrency = 1 } = opts;
  if (!Number.isInteger(cost) || cost < 1 || cost > 20) throw new Error('scrypt cost (log2 N) must be a whole number from 1 to 20');
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('hashing concurrency must be a whole number of at least 1');
  const bcrypt = createBcryptChecker();
  const limit = limiter(concurrency);

  async function hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await limit(() => scryptAsync(password, salt, KEY_BYTES, cost, 8, 1));
    const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');
    return `${SCRYPT_PREFIX}ln=${cost},r=8,p=1$${b64(salt)}$${b64(key)}`;
  }

  async function verify(password: string, stored: string): Promise<{ matches: boolean; outdated: boolean }> {
    if (stored.startsWith(SCRYPT_PREFIX)) {
      const h = parseScrypt(stored);
      if (!h || h.key.length === 0) return { matches: false, outdated: false };
      const key = await limit(() => scryptAsync(password, h.salt, h.key.length, h.ln, h.r, h.p));
      const matches = timingSafeEqual(key, h.key);
      return { matches, outdated: matches && h.ln < cost };
    }
    if (BCRYPT.test(stored)) {
      const matches = await limit(() => bcrypt.compare(password, stored));
      return { matches, outdated: matches };
    }
    return { matches: false, outdated: false };
  }

  return { hash, verify, close: () => bcrypt.close() };
}
