import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import { startApp, type RunningApp } from '../../src/main';
import { redisAnswers } from '../../src/redis-bootstrap';
import { silentLogger } from '../../src/shared/logger';
import { SECRETS } from '../helpers/app';
import { freePort } from '../helpers/child-app';
import { startFakePlatforms } from '../helpers/fake-platforms';
import { messengerTextBody } from '../helpers/messenger-bodies';

/** A Redis of this test's own, so that it can be stopped without touching the shared one. */
async function ownRedis(port: number): Promise<ChildProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'redis-outage-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], { stdio: 'ignore' });
  for (let i = 0; i < 50 && !(await redisAnswers(`redis://127.0.0.1:${port}`, 300)); i++) await new Promise((r) => setTimeout(r, 100));
  return child;
}

describe('when Redis is down', () => {
  jest.setTimeout(60_000);

  it('when Redis stops answering, then webhooks get 503 (never a 200 for an event not stored) and 200 again once it is back', async () => {
    const port = await freePort();
    let redis = await ownRedis(port);
    const fake = await startFakePlatforms();
    let app: RunningApp | undefined;
    try {
      const config = loadConfig({ ...SECRETS, PORT: '0', REDIS_URL: `redis://127.0.0.1:${port}`, QUEUE_PREFIX: 'outage', MESSENGER_API_BASE: fake.messengerBase });
      app = await startApp(config, { log: silentLogger });
      const url = `http://127.0.0.1:${app.port}`;
      const post = (i: number) => {
        const { raw, signature } = messengerTextBody({ psid: `outage-${i}`, mid: `m_outage_${i}`, text: 'menu' }, SECRETS.MESSENGER_APP_SECRET);
        return request(url).post('/webhooks/messenger').set('Content-Type', 'application/json').set('X-Hub-Signature-256', signature).send(raw);
      };
      expect((await post(1)).status).toBe(200);

      redis.kill('SIGKILL');
      await new Promise((r) => redis.once('exit', r));
      const started = Date.now();
      const during = await post(2);
      expect(during.status).toBe(503);
      expect(during.body.error.code).toBe('QUEUE_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(5000); // inside Meta's 5 s
      expect((await request(url).get('/readyz')).status).toBe(503);

      redis = await ownRedis(port);
      // The client reconnects on its own; the platform's retry of event 2 is then taken.
      const deadline = Date.now() + 10_000;
      let status = 0;
      while (status !== 200 && Date.now() < deadline) {
        status = (await post(2)).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 200));
      }
      expect(status).toBe(200);
      await fake.waitFor(() => fake.sent('messenger').some((r) => (r.body.recipient as { id: string }).id === 'outage-2'));
    } finally {
      await app?.stop();
      redis.kill('SIGKILL');
      await fake.close();
    }
  });
});
