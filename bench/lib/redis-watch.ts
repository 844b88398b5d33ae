/**
 * The Redis the benches use may be shared (other test runs, other benches): a slow command from any
 * client stalls every client of a single-threaded Redis. This reads SLOWLOG over a run and tells
 * the commands under our prefix apart from everyone else's, so a bad p99 can be traced.
 */
import { Redis } from 'ioredis';
import { REDIS_URL } from './run';

type SlowEntry = [number, number, number, string[], ...unknown[]];

export interface SlowReport {
  /** entries whose keys are not ours */
  others: number;
  othersMaxMs: number;
  ours: number;
  oursMaxMs: number;
  /** SLOWLOG's own threshold, ms */
  thresholdMs: number;
  /** the log wrapped around during the run: the counts are lower bounds */
  truncated: boolean;
}

export async function watchSlowlog(prefix: string): Promise<{ report(): Promise<SlowReport | null> }> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let fromId = -1;
  let thresholdMs = NaN;
  let maxLen = 128;
  try {
    await redis.connect();
    const last = (await redis.call('SLOWLOG', 'GET', '1')) as SlowEntry[];
    fromId = last[0]?.[0] ?? -1;
    const [, threshold] = (await redis.call('CONFIG', 'GET', 'slowlog-log-slower-than')) as string[];
    const [, len] = (await redis.call('CONFIG', 'GET', 'slowlog-max-len')) as string[];
    thresholdMs = Number(threshold) / 1000;
    maxLen = Number(len) || maxLen;
  } catch {
    redis.disconnect();
    return { report: async () => null };
  }
  return {
    async report() {
      try {
        const entries = ((await redis.call('SLOWLOG', 'GET', String(maxLen))) as SlowEntry[]).filter((e) => e[0] > fromId);
        const r: SlowReport = { others: 0, othersMaxMs: 0, ours: 0, oursMaxMs: 0, thresholdMs, truncated: entries.length >= maxLen };
        for (const [, , micros, args] of entries) {
          const ms = micros / 1000;
          if (args.some((a) => String(a).includes(prefix))) {
            r.ours++;
            r.oursMaxMs = Math.max(r.oursMaxMs, ms);
          } else {
            r.others++;
            r.othersMaxMs = Math.max(r.othersMaxMs, ms);
          }
        }
        return r;
      } catch {
        return null;
      } finally {
        redis.disconnect();
      }
    },
  };
}

export function describeSlowlog(r: SlowReport | null): string {
  if (!r) return 'Redis SLOWLOG: unreadable';
  const more = r.truncated ? 'at least ' : '';
  return (
    `Redis SLOWLOG (> ${r.thresholdMs} ms) during the run: ${more}${r.others} commands of other clients (longest ${r.othersMaxMs.toFixed(1)} ms), ` +
    `${more}${r.ours} of this run (longest ${r.oursMaxMs.toFixed(1)} ms)`
  );
}
