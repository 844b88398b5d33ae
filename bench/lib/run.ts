/** What both benches share: the run's prefix and tag, settings for the commune server, cleanup. */
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { deleteKeys } from '../../test/helpers/redis';
import { killChildren, type Child } from './children';
import { BENCH_SECRETS } from './messages';
import type { Target } from './load';

export const REDIS_URL = 'redis://127.0.0.1:6379';

export function runIds(): { tag: string; prefix: string } {
  const tag = randomBytes(4).toString('hex');
  return { tag, prefix: `bench-${tag}` };
}

/** The environment of a commune server process (bench/lib/app-process.ts). */
export function communeEnv(opts: { prefix: string; sendApiPort: number; role: 'all' | 'web' | 'worker'; flowsDir?: string; /** the flows hold the shipped demo data (placeholders): run outside NODE_ENV=production, which refuses them; default: when flowsDir is unset (the shipped flows/) */ demoData?: boolean; /** a shared store for several processes; default the memory store */ mongoUri?: string }): Record<string, string> {
  return {
    ...BENCH_SECRETS,
    PORT: '0',
    ROLE: opts.role,
    LOG_LEVEL: 'silent',
    REDIS_URL,
    QUEUE_PREFIX: opts.prefix,
    MESSENGER_API_BASE: `http://127.0.0.1:${opts.sendApiPort}/v25.0`,
    // memory store unless a MongoDB is given, Zalo off: the message path alone is measured
    MONGODB_URI: opts.mongoUri ?? '',
    ZALO_APP_ID: '',
    ZALO_APP_SECRET: '',
    ZALO_OA_SECRET_KEY: '',
    ...(opts.flowsDir ? { FLOWS_DIR: opts.flowsDir } : {}),
    NODE_ENV: (opts.demoData ?? !opts.flowsDir) ? 'development' : 'production',
  };
}

export function webhookTarget(child: Child): Target {
  if (child.ready.port === null) throw new Error(`${child.name} serves no HTTP`);
  return { host: '127.0.0.1', port: child.ready.port, path: '/webhooks/messenger' };
}

/**
 * Runs `body`, then always stops the children, kills any left and deletes the run's Redis keys,
 * on success, failure or Ctrl-C. Sets the exit code from the result.
 */
export async function withCleanup(prefix: string, children: () => Child[], body: () => Promise<boolean>): Promise<void> {
  let cleaning: Promise<void> | null = null;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await Promise.all(children().map((c) => c.stop(5_000).catch(() => undefined)));
      killChildren();
      await deleteKeys(prefix).catch((err: unknown) => console.error(`could not delete the keys under ${prefix}:`, err));
    })());
  const onSignal = () => {
    console.error('\ninterrupted: cleaning up');
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let ok = false;
  try {
    ok = await body();
  } catch (err) {
    console.error(err);
  } finally {
    await cleanup();
  }
  process.exitCode = ok ? 0 : 1;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function log(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

/** The machine's 1-minute load average beside its core count: other work running alongside skews every figure. */
export function machineLoad(): string {
  return `load average ${loadavg()[0].toFixed(2)} on ${availableParallelism()} cores`;
}
