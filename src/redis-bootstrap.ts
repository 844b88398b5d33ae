import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
 * How to get a Redis at `url`, for the person who ran `npm start`: a local one on the port the URL
 * asks for (installed from the distribution, or in a container that publishes that port), or the
 * whole stack with compose, whose Redis stays inside the compose network (it publishes no port, so
 * it cannot serve an `npm start` outside it).
 */
export function howToGetRedis(url: URL): string {
  const port = url.port || '6379';
  if (!isLocal(url)) {
    return [
      `No Redis answers at ${url.host}.`,
      `Check that the Redis at ${url.host} is running and reachable from here (host, port, firewall, password in REDIS_URL),`,
      'or set REDIS_URL to a Redis you can reach, then run `npm start` again.',
    ].join('\n');
  }
  // The password itself is never printed: this text may end up in a log.
  const auth = url.password ? ' --requirepass <the password in REDIS_URL>' : '';
  return [
    `No Redis answers at ${url.host}.`,
    'Start one on that port, for example:',
    `  sudo apt-get install -y redis-server && redis-server --port ${port} --appendonly yes --daemonize yes${auth}`,
    `  (or in a container: docker run -d --name commune-redis -p 127.0.0.1:${port}:6379 redis:7-alpine redis-server --appendonly yes${auth})`,
    'then run `npm start` again, or set REDIS_URL to a Redis you can reach.',
    '(`docker compose up -d` runs the whole app with its own Redis instead; that Redis is not published to this machine.)',
  ].join('\n');
}

/**
 * The auto-started redis-server runs under a small sh guard: it stops redis-server when it is told
 * to stop (SIGTERM, SIGINT, SIGHUP) and also when the app's process is gone, however it ended
 * (even by SIGKILL), so no redis-server outlives the app.
 */
const GUARD = [
  'app=$1; shift',
  'redis-server "$@" & r=$!',
  "trap 'kill -TERM $r 2>/dev/null; wait $r; exit 0' TERM INT HUP",
  'while kill -0 "$app" 2>/dev/null && kill -0 $r 2>/dev/null; do sleep 1 & wait $!; done',
  'kill -TERM $r 2>/dev/null; wait $r',
].join('\n');

/**
 * Makes sure a Redis answers at `redisUrl`. When none does and the URL is local, starts
 * `redis-server` as a child process on the URL's port (and with its password, if it has one), with
 * its data under `var/redis` (append-only on), so that a newcomer's `npm start` works; otherwise
 * explains how to get one.
 */
export async function ensureRedis(redisUrl: string, opts: { autoStart: boolean; dataDir?: string; log: (msg: string) => void }): Promise<ChildProcess | null> {
  if (await redisAnswers(redisUrl)) return null;
  const url = new URL(redisUrl);
  const howTo = howToGetRedis(url);
  if (!opts.autoStart || !isLocal(url)) throw new RedisUnavailable(howTo);
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (found.error || found.status !== 0) throw new RedisUnavailable(`${howTo}\n(redis-server is not installed here, so it cannot be started automatically.)`);

  const dir = resolve(opts.dataDir ?? 'var/redis');
  mkdirSync(dir, { recursive: true });
  const port = url.port || '6379';
  opts.log(`No Redis at ${url.host}: starting redis-server on port ${port} with its data in ${dir} (append-only).`);
  // A password goes in a file only its owner reads, not on the command line every user can list.
  const conf = join(dir, 'autostart.conf');
  writeFileSync(conf, url.password ? `requirepass "${decodeURIComponent(url.password).replace(/["\\]/g, '\\$&')}"\n` : '', { mode: 0o600 });
  const args = [conf, '--port', port, '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''];
  const child = spawn('sh', ['-c', GUARD, 'redis-guard', String(process.pid), ...args], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    if (child.exitCode !== null) break;
    if (await redisAnswers(redisUrl, 500)) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new RedisUnavailable(`${howTo}\n(redis-server was started but did not answer.)`);
}
