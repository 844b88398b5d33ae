import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';

/** Resolves true when a Redis answers PING at `url` within `timeoutMs`. */
export async function redisAnswers(url: string, timeoutMs = 1500): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs, enableOfflineQueue: false });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export class RedisUnavailable extends Error {
  override readonly name = 'RedisUnavailable';
}

function isLocal(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(url.hostname);
}

/**
 * Makes sure a Redis answers at `redisUrl`. When none does and the URL is local, starts
 * `redis-server` as a child process with its data under `var/redis` (append-only on), so that a
 * newcomer's `npm start` works; otherwise explains how to get one.
 */
export async function ensureRedis(redisUrl: string, opts: { autoStart: boolean; dataDir?: string; log: (msg: string) => void }): Promise<ChildProcess | null> {
  if (await redisAnswers(redisUrl)) return null;
  const url = new URL(redisUrl);
  const howTo = [
    `No Redis answers at ${url.host}.`,
    'Start one, for example:',
    '  sudo apt-get install -y redis-server && redis-server --daemonize yes --appendonly yes',
    '  (or: docker compose up -d redis)',
    'then run `npm start` again, or set REDIS_URL to a Redis you can reach.',
  ].join('\n');
  if (!opts.autoStart || !isLocal(url)) throw new RedisUnavailable(howTo);
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (found.error || found.status !== 0) throw new RedisUnavailable(`${howTo}\n(redis-server is not installed here, so it cannot be started automatically.)`);

  const dir = resolve(opts.dataDir ?? 'var/redis');
  mkdirSync(dir, { recursive: true });
  const port = url.port || '6379';
  opts.log(`No Redis at ${url.host}: starting redis-server on port ${port} with its data in ${dir} (append-only).`);
  const child = spawn('redis-server', ['--port', port, '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    if (child.exitCode !== null) break;
    if (await redisAnswers(redisUrl, 500)) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new RedisUnavailable(`${howTo}\n(redis-server was started but did not answer.)`);
}
