import type { Redis } from 'ioredis';
import { vietnamDayOf } from '../store/ports/conversations';

/**
 * How often the chat explained each procedure, per Vietnam day: what citizens ask about, for the
 * governance page's "most asked procedures". A count, not a record: no person, no words.
 */
export interface ProcedureAsks {
  /** Counts one explanation of `procedureId` on the Vietnam day of `at`. */
  record(procedureId: string, at: number): Promise<void>;
  /** The counts of these days added up, by procedure id. */
  counts(days: readonly string[]): Promise<Map<string, number>>;
}

/**
 * Counts in Redis: one hash a day, `<prefix>:procedure-asks:<yyyy-mm-dd>`, procedure id -> count,
 * dropped `keepDays` after its last write (default 800: the longest report, two years, and a margin).
 */
export function createRedisProcedureAsks(redis: Redis, opts: { prefix: string; keepDays?: number }): ProcedureAsks {
  const { prefix, keepDays = 800 } = opts;
  const key = (day: string) => `${prefix}:procedure-asks:${day}`;
  return {
    async record(procedureId, at) {
      const k = key(vietnamDayOf(at));
      await redis.multi().hincrby(k, procedureId, 1).expire(k, keepDays * 86_400).exec();
    },
    async counts(days) {
      const out = new Map<string, number>();
      if (days.length === 0) return out;
      const pipe = redis.pipeline();
      for (const d of days) pipe.hgetall(key(d));
      for (const [err, day] of (await pipe.exec()) ?? []) {
        if (err) throw err;
        for (const [id, n] of Object.entries(day as Record<string, string>)) out.set(id, (out.get(id) ?? 0) + Number(n));
      }
      return out;
    },
  };
}
