import { request as httpRequest } from 'node:http';
import { SECRETS } from '../helpers/app';
import { freePort, startChildApp } from '../helpers/child-app';
import { startFakePlatforms } from '../helpers/fake-platforms';
import { messengerTextBody } from '../helpers/messenger-bodies';
import { TEST_REDIS_URL, deleteKeys, uniquePrefix } from '../helpers/redis';

function post(port: number, path: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

describe('a restart under load', () => {
  jest.setTimeout(90_000);

  it('when the server gets SIGTERM while webhooks pour in, then every event it acknowledged is answered after the restart', async () => {
    const fake = await startFakePlatforms();
    const prefix = uniquePrefix();
    const port = await freePort();
    const env = {
      ...SECRETS,
      PORT: String(port),
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      MESSENGER_API_BASE: fake.messengerBase,
      ZALO_API_BASE: fake.zaloBase,
      ZALO_OAUTH_BASE: fake.zaloOauthBase,
    };
    // Slow the Send API a little so that work is still in flight when the signal comes.
    fake.failNext('messenger', ...Array.from({ length: 30 }, () => ({ status: 500, body: { error: { code: 2, message: 'Service temporarily unavailable' } } })));
    let first = await startChildApp(env);
    const acknowledged: string[] = [];
    const refused: string[] = [];
    try {
      let stopping: Promise<number | null> | null = null;
      let afterSignal = 0;
      const inFlight: Promise<void>[] = [];
      // A steady stream: the signal goes once 100 events were acknowledged, and 100 more are sent
      // after it (some still taken while draining starts, the rest refused).
      for (let i = 0; afterSignal < 100 && i < 5000; i++) {
        const psid = `restart-${i}`;
        const { raw, signature } = messengerTextBody({ psid, mid: `m_restart_${i}`, text: `Cho hỏi thủ tục số ${i}` }, SECRETS.MESSENGER_APP_SECRET);
        inFlight.push(post(port, '/webhooks/messenger', raw, { 'X-Hub-Signature-256': signature }).then((status) => void (status === 200 ? acknowledged : refused).push(psid)));
        if (stopping) afterSignal++;
        else if (acknowledged.length >= 100) {
          first.child.kill('SIGTERM');
          stopping = first.exited;
        }
        if (i % 10 === 9) await new Promise((r) => setTimeout(r, 15));
      }
      expect(stopping).not.toBeNull();
      await Promise.all(inFlight);
      expect(await stopping).toBe(0);
      expect(first.output()).toContain('"msg":"stopped"');
      expect(acknowledged.length).toBeGreaterThanOrEqual(100);
      expect(refused.length).toBeGreaterThan(0);

      // Every acknowledged event is in Redis: a fresh process answers all of them.
      first = await startChildApp(env);
      const answered = () => new Set(fake.sent('messenger').map((r) => (r.body.recipient as { id: string }).id));
      await fake.waitFor(() => acknowledged.every((p) => answered().has(p)), 60_000);
      // Refused deliveries (503 or connection refused) are the platform's to retry: none was processed.
      expect(refused.filter((p) => answered().has(p))).toEqual([]);
    } finally {
      first.child.kill('SIGTERM');
      await first.exited;
      await fake.close();
      await deleteKeys(prefix);
    }
  });
});
