import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SECRETS } from '../helpers/app';
import { freePort } from '../helpers/child-app';
import { TEST_REDIS_URL, deleteKeys, uniquePrefix } from '../helpers/redis';

const ROOT = join(__dirname, '..', '..');

describe('the start when MongoDB does not answer', () => {
  jest.setTimeout(60_000);
  const prefix = uniquePrefix();
  afterAll(() => deleteKeys(prefix));

  it('when no MongoDB answers at MONGODB_URI, then the app keeps trying for MONGODB_START_WAIT_SECONDS, then exits 1 saying why, with no password in its output', async () => {
    const mongoPort = await freePort();
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'main.ts')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...SECRETS,
        LOG_LEVEL: 'info',
        PORT: '0',
        REDIS_URL: TEST_REDIS_URL,
        REDIS_AUTOSTART: 'false',
        QUEUE_PREFIX: prefix,
        MONGODB_URI: `mongodb://commune:hunter2-secret@127.0.0.1:${mongoPort}/commune`,
        MONGODB_START_WAIT_SECONDS: '5',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const tookMs = Date.now() - started;
    expect(code).toBe(1);
    const retries = out.split('\n').filter((l) => l.includes('store not reachable yet; trying again'));
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(retries[0]).toContain(`"store":"127.0.0.1:${mongoPort}"`);
    expect(out).toContain('Cannot start:');
    expect(out).not.toContain('hunter2-secret');
    // 5 s of trying, plus the start of node and one last attempt of at most 1 s.
    expect(tookMs).toBeGreaterThanOrEqual(5000);
    expect(tookMs).toBeLessThan(30_000);
  });
});
