import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { redisAnswers } from '../../src/redis-bootstrap';
import { freePort } from '../helpers/child-app';
import { deleteKeys, uniquePrefix } from '../helpers/redis';

// `npm start` as a person runs it: npm, the app under it, and the redis-server it starts when
// none answers. Whatever signal ends it (a closed terminal's SIGHUP, Ctrl-C, a SIGTERM, even a
// SIGKILL of npm or of the app), nothing of it is left running.

const ROOT = join(__dirname, '..', '..');

/** Whether any process of the group is still alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid of the group's process whose command line matches. */
async function pidOf(pgid: number, pattern: RegExp): Promise<number> {
  const { execFileSync } = await import('node:child_process');
  const lines = execFileSync('ps', ['-o', 'pid=,args=', '-g', String(pgid)], { encoding: 'utf8' }).split('\n');
  const line = lines.find((l) => pattern.test(l));
  if (!line) throw new Error(`no process matching ${pattern} in group ${pgid}:\n${lines.join('\n')}`);
  return Number(line.trim().split(/\s+/)[0]);
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the app printed:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('`npm start` ended by a signal', () => {
  jest.setTimeout(90_000);
  let npm: ChildProcess | undefined;
  const prefix = uniquePrefix();
  afterEach(() => {
    if (npm?.pid && groupAlive(npm.pid)) process.kill(-npm.pid, 'SIGKILL');
  });
  afterAll(() => deleteKeys(prefix));

  it.each([
    ['SIGTERM to npm', 'npm', 'SIGTERM'],
    ['SIGINT to npm (Ctrl-C)', 'npm', 'SIGINT'],
    ['SIGHUP to npm (its terminal closed)', 'npm', 'SIGHUP'],
    ['SIGKILL to npm', 'npm', 'SIGKILL'],
    ['SIGKILL to the app', 'app', 'SIGKILL'],
  ] as const)('when %s, then no node and no redis-server is left running', async (_case, target, signal) => {
    const redisPort = await freePort();
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    // Its own process group, as a terminal gives it, so that whatever it leaves can be found.
    npm = spawn('npm', ['start'], {
      cwd: ROOT,
      detached: true,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', LOG_LEVEL: 'info', REDIS_URL: redisUrl, REDIS_AUTOSTART: 'true', QUEUE_PREFIX: prefix },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    npm.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
    npm.stderr?.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const pgid = npm.pid ?? 0;
    await until('the app to listen', () => /"msg":"listening"/.test(out), 60_000, () => out);
    expect(await redisAnswers(redisUrl)).toBe(true);

    process.kill(target === 'npm' ? pgid : await pidOf(pgid, /node .*src\/main\.ts/), signal);

    await until('every process of `npm start` to end', () => !groupAlive(pgid), 30_000, () => out);
    expect(await redisAnswers(redisUrl, 300)).toBe(false);
    if (signal !== 'SIGKILL' || target === 'npm') expect(out).toContain('"msg":"stopped"');
  });
});
