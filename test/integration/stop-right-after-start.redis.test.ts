import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SECRETS } from '../helpers/app';
import { startFakePlatforms } from '../helpers/fake-platforms';
import { TEST_REDIS_URL, deleteKeys, uniquePrefix } from '../helpers/redis';

const ROOT = join(__dirname, '..', '..');

/**
 * A quick redeploy or a crash loop stops the server right after it started, while its job queues
 * are still connecting: it must stop cleanly, not die of an unhandled rejection on the way out.
 */
describe('a stop right after the start', () => {
  jest.setTimeout(120_000);

  it('when the application is stopped as soon as it started, then it stops cleanly, every time', async () => {
    const fake = await startFakePlatforms();
    const prefix = uniquePrefix();
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'fixtures', 'scripts', 'start-stop-loop.ts')], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          ...SECRETS,
          REDIS_URL: TEST_REDIS_URL,
          QUEUE_PREFIX: prefix,
          MESSENGER_API_BASE: fake.messengerBase,
          ZALO_API_BASE: fake.zaloBase,
          ZALO_OAUTH_BASE: fake.zaloOauthBase,
          ROUNDS: '8',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
      child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(out).toContain('stopped cleanly 8 times');
      expect(code).toBe(0);
    } finally {
      await fake.close();
      await deleteKeys(prefix);
    }
  });
});
