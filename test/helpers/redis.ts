import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/** A key prefix of its own for one test, so parallel runs on a shared Redis never meet. */
export function uniquePrefix(): string {
  return `t-${randomUUID().slice(0, 12)}`;
}

/** Deletes every key under `prefix` (BullMQ's and ours). */
export async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export async function countKeys(prefix: string, pattern = '*'): Promise<number> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    const keys = await redis.keys(`${prefix}:${pattern}`);
    return keys.length;
  } finally {
    redis.disconnect();
  }
}
