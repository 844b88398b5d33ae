import request from 'supertest';
import type { RunningApp } from '../../src/main';
import { signMessengerBody } from '../../src/channels/messenger';
import { SECRETS, startTestApp } from '../helpers/app';
import { startFakePlatforms } from '../helpers/fake-platforms';
import { messengerTextBody } from '../helpers/messenger-bodies';
import { deleteKeys, uniquePrefix } from '../helpers/redis';

/** The value of one sample line (`name{labels} value`) in Prometheus text, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function scrape(url: string): Promise<string> {
  const res = await request(url).get('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  return res.text;
}

describe('metrics and readiness of the running application', () => {
  let fake: Awaited<ReturnType<typeof startFakePlatforms>>;
  let prefix: string;
  let app: (RunningApp & { url: string }) | undefined;

  beforeEach(async () => {
    fake = await startFakePlatforms();
    prefix = uniquePrefix();
    app = await startTestApp({ prefix, fake });
  });

  afterEach(async () => {
    await app?.stop();
    await fake.close();
    await deleteKeys(prefix);
  });

  it('when webhooks come in and a send fails for good, then /metrics counts them by status, times them, and shows the failed job and its reason', async () => {
    const url = app!.url;
    // Meta refuses the first reply for good: code 100 is a bad request that no retry will fix.
    fake.failNext('messenger', { status: 400, body: { error: { code: 100, error_subcode: 2018001, message: 'No matching user found' } } });

    const { raw, signature } = messengerTextBody({ psid: 'metrics-user', mid: 'm_metrics_1', text: 'Xin chào' }, SECRETS.MESSENGER_APP_SECRET);
    const ok = await request(url).post('/webhooks/messenger').set('Content-Type', 'application/json').set('X-Hub-Signature-256', signature).send(raw);
    expect(ok.status).toBe(200);
    const forged = await request(url).post('/webhooks/messenger').set('Content-Type', 'application/json').set('X-Hub-Signature-256', signMessengerBody(raw, 'not-the-secret')).send(raw);
    expect(forged.status).toBe(401);

    // The failed job shows up once the outbound worker has given up on it.
    const failedJobs = 'queue_jobs{queue="outbound",state="failed"}';
    const deadline = Date.now() + 10_000;
    let text = await scrape(url);
    while (sample(text, failedJobs) !== 1 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      text = await scrape(url);
    }

    expect(sample(text, failedJobs)).toBe(1);
    expect(sample(text, 'webhook_requests_total{channel="messenger",status="200"}')).toBe(1);
    expect(sample(text, 'webhook_requests_total{channel="messenger",status="401"}')).toBe(1);
    expect(text).toContain('# TYPE webhook_ack_seconds histogram');
    expect(sample(text, 'webhook_ack_seconds_bucket{le="+Inf",channel="messenger"}')).toBe(2);
    expect(sample(text, 'webhook_ack_seconds_count{channel="messenger"}')).toBe(2);
    expect(text).toMatch(/^webhook_ack_seconds_bucket\{le="0\.005",channel="messenger"\} \d+$/m);
    expect(sample(text, 'send_failures_total{channel="messenger",reason="bad_request"}')).toBe(1);
    // Not retried: exactly one request reached the Send API for that turn.
    expect(fake.sent('messenger')).toHaveLength(1);
  });

  it('when Redis and the store answer, then /readyz is 200 with both checks ok', async () => {
    const res = await request(app!.url).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', checks: { redis: 'ok', store: 'ok' } });
  });
});
