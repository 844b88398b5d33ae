import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import request from 'supertest';
import { redisAnswers } from '../../src/redis-bootstrap';
import { freePort } from '../helpers/child-app';
import { deleteKeys, uniquePrefix } from '../helpers/redis';
import { until } from '../helpers/until';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'src', 'main.ts');
// By absolute URL: the child runs in a temp dir, where `--import tsx` would not find the package.
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const STACK_LINE = /^\s+at /m;

interface Started {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** `npm start` (node with the tsx loader running src/main.ts) in `cwd` with exactly `env`. */
function spawnApp(cwd: string, env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--import', TSX, MAIN], { cwd, env: { HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Resolves with the exit code, or rejects (after killing the child) when it keeps running past `timeoutMs`. */
async function exitCode(app: Started, timeoutMs = 20_000): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the app did not exit within ${timeoutMs} ms:\n${app.output()}`)), timeoutMs);
  });
  try {
    return await Promise.race([app.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

function kill(app: Started | undefined): void {
  if (app && app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
}

describe('npm start when no Redis answers at REDIS_URL', () => {
  let dir: string;
  let prefix: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'start-without-redis-'));
    prefix = uniquePrefix();
  });

  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await deleteKeys(prefix);
  });

  it('when redis-server is installed and autostart is on, then the app starts one with append-only data under var/redis, is healthy and ready, and SIGTERM stops both', async () => {
    const redisPort = await freePort();
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    let app: Started | undefined;
    try {
      app = spawnApp(dir, {
        PATH: process.env.PATH ?? '',
        LOG_LEVEL: 'info',
        PORT: '0',
        REDIS_URL: redisUrl,
        REDIS_AUTOSTART: 'true',
        QUEUE_PREFIX: prefix,
        FLOWS_DIR: join(ROOT, 'flows'),
      });
      const started = app;
      await until('the app to listen', () => /"msg":"listening"/.test(started.output()) || started.child.exitCode !== null, { timeoutMs: 30_000, intervalMs: 100, detail: started.output });
      expect(started.child.exitCode).toBeNull();
      const port = Number(/"port":(\d+)/.exec(started.output())?.[1]);
      const url = `http://127.0.0.1:${port}`;

      expect(started.output()).toContain(`starting redis-server on port ${redisPort}`);
      expect(await redisAnswers(redisUrl)).toBe(true);
      const redisDir = join(dir, 'var', 'redis');
      expect(existsSync(redisDir)).toBe(true);
      expect(readdirSync(redisDir).some((f) => f === 'appendonlydir' || f.startsWith('appendonly'))).toBe(true);

      const health = await request(url).get('/healthz');
      expect(health.status).toBe(200);
      const ready = await request(url).get('/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body.checks).toEqual({ redis: 'ok', store: 'ok' });

      started.child.kill('SIGTERM');
      expect(await exitCode(started)).toBe(0);
      await until('the started redis-server to stop', async () => !(await redisAnswers(redisUrl, 300)), { timeoutMs: 10_000, intervalMs: 100, detail: started.output });
    } finally {
      kill(app);
      // Whatever happened above, leave no redis-server behind on that port.
      if (await redisAnswers(redisUrl, 300)) {
        const r = new Redis(redisUrl, { maxRetriesPerRequest: 0, retryStrategy: () => null });
        r.on('error', () => undefined);
        await r.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
        r.disconnect();
      }
    }
  }, 60_000);

  it.each([
    ['redis-server is not on the PATH', { PATH: '/nonexistent-dir', REDIS_AUTOSTART: 'true' }, /not installed/],
    ['autostart is off', { PATH: process.env.PATH ?? '', REDIS_AUTOSTART: 'false' }, /No Redis answers at/],
  ])('when %s, then the app exits non-zero, says how to get Redis, and prints no stack trace', async (_case, env, why) => {
    const redisUrl = `redis://127.0.0.1:${await freePort()}`;
    let app: Started | undefined;
    try {
      app = spawnApp(dir, { ...env, LOG_LEVEL: 'info', PORT: '0', REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, FLOWS_DIR: join(ROOT, 'flows') });
      const code = await exitCode(app);
      const out = app.output();
      expect(code).not.toBe(0);
      expect(code).not.toBeNull();
      expect(out).toContain('apt-get install');
      expect(out).toContain('redis-server');
      expect(out).toMatch(why);
      expect(out).not.toMatch(STACK_LINE);
      expect(await redisAnswers(redisUrl, 300)).toBe(false);
    } finally {
      kill(app);
    }
  }, 30_000);

  it('when several settings are wrong, then the app exits non-zero naming every problem at once, with no stack trace', async () => {
    let app: Started | undefined;
    try {
      app = spawnApp(dir, { PATH: process.env.PATH ?? '', PORT: 'eighty', ROLE: 'both', REDIS_URL: `redis://127.0.0.1:${await freePort()}`, QUEUE_PREFIX: prefix });
      const code = await exitCode(app);
      const out = app.output();
      expect(code).not.toBe(0);
      expect(code).not.toBeNull();
      expect(out).toMatch(/^\s+- PORT: /m);
      expect(out).toMatch(/^\s+- ROLE: /m);
      expect(out).not.toMatch(STACK_LINE);
    } finally {
      kill(app);
    }
  }, 30_000);
});
