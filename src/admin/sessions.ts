import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** One console login. The cookie holds a random id; the store keeps only its SHA-256. */
export interface Session {
  username: string;
  /** sent back in the X-CSRF-Token header on every state-changing request */
  csrf: string;
  /** ms since the epoch */
  createdAt: number;
}

export interface SessionStore {
  /** Starts a session and resolves to the cookie value (the only copy of the id). */
  start(username: string, now: number): Promise<{ id: string; session: Session }>;
  get(id: string): Promise<Session | null>;
  end(id: string): Promise<void>;
}

const newToken = () => randomBytes(32).toString('base64url');
const digest = (id: string) => createHash('sha256').update(id).digest('hex');

/**
 * Sessions in Redis, not in the store: every web process sees them, they expire on their own
 * (PX), and the memory store would lose them on restart and not share them between processes.
 * Keys `${prefix}:admin-session:<sha256 of the id>`, so a Redis dump holds no usable session id.
 */
export function createRedisSessions(redis: Redis, opts: { prefix: string; /** default 8 hours */ ttlMs?: number }): SessionStore {
  const { prefix, ttlMs = 8 * 3600_000 } = opts;
  const key = (id: string) => `${prefix}:admin-session:${digest(id)}`;
  return {
    async start(username, now) {
      const id = newToken();
      const session: Session = { username, csrf: newToken(), createdAt: now };
      await redis.set(key(id), JSON.stringify(session), 'PX', ttlMs);
      return { id, session };
    },
    async get(id) {
      const raw = await redis.get(key(id));
      return raw ? (JSON.parse(raw) as Session) : null;
    },
    async end(id) {
      await redis.del(key(id));
    },
  };
}

/** Sessions in this process's memory: unit tests only. */
export function createMemorySessions(): SessionStore {
  const byDigest = new Map<string, Session>();
  return {
    async start(username, now) {
      const id = newToken();
      const session: Session = { username, csrf: newToken(), createdAt: now };
      byDigest.set(digest(id), session);
      return { id, session };
    },
    async get(id) {
      return byDigest.get(digest(id)) ?? null;
    },
    async end(id) {
      byDigest.delete(digest(id));
    },
  };
}
