import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import request from 'supertest';
import type { RunningApp } from '../../src/main';
import { signMessengerBody } from '../../src/channels/messenger';
import { createPendingNotices } from '../../src/jobs/pending-notices';
import { ALL_QUEUES } from '../../src/jobs/queue-figures';
import { SECRETS, startTestApp } from '../helpers/app';
import { startFakePlatforms } from '../helpers/fake-platforms';
import { messengerTextBody } from '../helpers/messenger-bodies';
import { TEST_REDIS_URL, deleteKeys, uniquePrefix } from '../helpers/redis';

const P = 'commune_chatbot_';

/** The value of one sample line (`name{labels} value`) in Prometheus text, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${P}${series} `));
  return line === undefined ? undefined : Number(line.slice(P.length + series.length + 1));
}

async function scrape(url: string, token?: string): Promise<string> {
  const req = request(url).get('/metrics');
  const res = await (token ? req.set('Authorization', `Bearer ${token}`) : req);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  return res.text;
}

/** promtool, as Prometheus's own tooling reads the exposition (Debian's `prometheus` package; .ci/run installs it). */
function promtool(args: string[], input?: string): { status: number | null; output: string } {
  const r = spawnSync('promtool', args, { input, encoding: 'utf8' });
  if (r.error) throw new Error(`promtool is needed for this test (apt-get install prometheus): ${r.error.message}`);
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

describe('metrics and readiness of the running application', () => {
  let fake: Awaited<ReturnType<typeof startFakePlatforms>>;
  let prefix: string;
  let app: (RunningApp & { url: string }) | undefined;

  beforeEach(async () => {
    fake = await startFakePlatforms();
    prefix = uniquePrefix();
  });

  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await fake.close();
    await deleteKeys(prefix);
  });

  it('when nothing happened yet, then every queue, failure reason and waiting reason has a series at 0, with the prefix, and promtool finds nothing to say', async () => {
    app = await startTestApp({ prefix, fake });
    const text = await scrape(app.url);
    for (const queue of ALL_QUEUES) {
      for (const state of ['waiting', 'active', 'delayed', 'completed']) expect(sample(text, `queue_jobs{queue="${queue}",state="${state}"}`)).toBeGreaterThanOrEqual(0);
      expect(sample(text, `queue_jobs{queue="${queue}",state="failed"}`)).toBe(0);
      expect(sample(text, `jobs_failed_total{queue="${queue}"}`)).toBe(0);
    }
    expect(sample(text, 'escalations_failed_total')).toBe(0);
    expect(sample(text, 'send_failures_total{channel="messenger",reason="bad_request"}')).toBe(0);
    expect(sample(text, 'send_failures_total{channel="zalo",reason="token_invalid"}')).toBe(0);
    expect(sample(text, 'inbound_events_total{channel="zalo",outcome="duplicate"}')).toBe(0);
    for (const reason of ['window_closed', 'no_linked_account', 'no_phone', 'template_sender_missing']) expect(sample(text, `notices_pending{reason="${reason}"}`)).toBe(0);
    expect(sample(text, 'http_request_duration_seconds_count{family="open311",status_class="2xx"}')).toBe(0);
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0);
    // No metric of ours goes without the prefix.
    const names = text.split('\n').filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]);
    expect(names.filter((n) => !n.startsWith(P))).toEqual([]);

    const lint = promtool(['check', 'metrics'], text);
    expect(lint).toEqual({ status: 0, output: '' });
  });

  it('when webhooks come in, one twice, and a send fails for good, then /metrics counts them by status and outcome, times every route family, and shows the failed job', async () => {
    app = await startTestApp({ prefix, fake });
    const url = app.url;
    // Meta refuses the first reply for good: code 100 is a bad request that no retry will fix.
    fake.failNext('messenger', { status: 400, body: { error: { code: 100, error_subcode: 2018001, message: 'No matching user found' } } });

    const { raw, signature } = messengerTextBody({ psid: 'metrics-user', mid: 'm_metrics_1', text: 'Xin chào' }, SECRETS.MESSENGER_APP_SECRET);
    const post = () => request(url).post('/webhooks/messenger').set('Content-Type', 'application/json').set('X-Hub-Signature-256', signature).send(raw);
    expect((await post()).status).toBe(200);
    // Meta redelivers the same event: acknowledged, dropped, counted as a duplicate.
    expect((await post()).status).toBe(200);
    const forged = await request(url).post('/webhooks/messenger').set('Content-Type', 'application/json').set('X-Hub-Signature-256', signMessengerBody(raw, 'not-the-secret')).send(raw);
    expect(forged.status).toBe(401);
    expect((await request(url).get('/open311/v2/services.json')).status).toBe(200);
    expect((await request(url).get('/admin/api/cases')).status).toBe(401);

    const deadline = Date.now() + 10_000;
    let text = await scrape(url);
    while (sample(text, 'jobs_failed_total{queue="outbound"}') !== 1 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      text = await scrape(url);
    }

    expect(sample(text, 'jobs_failed_total{queue="outbound"}')).toBe(1);
    expect(sample(text, 'queue_jobs{queue="outbound",state="failed"}')).toBe(1);
    expect(sample(text, 'webhook_requests_total{channel="messenger",status="200"}')).toBe(2);
    expect(sample(text, 'webhook_requests_total{channel="messenger",status="401"}')).toBe(1);
    expect(sample(text, 'inbound_events_total{channel="messenger",outcome="queued"}')).toBe(1);
    expect(sample(text, 'inbound_events_total{channel="messenger",outcome="duplicate"}')).toBe(1);
    expect(sample(text, 'webhook_ack_seconds_count{channel="messenger"}')).toBe(3);
    expect(sample(text, 'http_request_duration_seconds_count{family="webhook",status_class="2xx"}')).toBe(2);
    expect(sample(text, 'http_request_duration_seconds_count{family="webhook",status_class="4xx"}')).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_count{family="open311",status_class="2xx"}')).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_count{family="admin_api",status_class="4xx"}')).toBe(1);
    expect(sample(text, 'send_failures_total{channel="messenger",reason="bad_request"}')).toBe(1);
    // Not retried: exactly one request reached the Send API for that turn.
    expect(fake.sent('messenger')).toHaveLength(1);
    // A later scrape does not count the same failure again.
    expect(sample(await scrape(url), 'jobs_failed_total{queue="outbound"}')).toBe(1);
    expect(promtool(['check', 'metrics'], text)).toEqual({ status: 0, output: '' });
  });

  it('when notices wait for a closed window and for an unlinked official, then notices_pending shows them by reason', async () => {
    app = await startTestApp({ prefix, fake });
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const pending = createPendingNotices(redis, prefix);
      const notice = (id: string, reason: 'window_closed' | 'no_linked_account') => ({ id, caseId: 'c1', caseCode: 'PA-1', kind: 'status', text: 'Hồ sơ đã được tiếp nhận', reason, at: Date.now() });
      await pending.add('zalo', 'u1', notice('n1', 'window_closed'));
      await pending.add('zalo', 'u1', notice('n2', 'window_closed'));
      await pending.add('messenger', 'official-7', notice('n3', 'no_linked_account'));
    } finally {
      redis.disconnect();
    }
    const text = await scrape(app.url);
    expect(sample(text, 'notices_pending{reason="window_closed"}')).toBe(2);
    expect(sample(text, 'notices_pending{reason="no_linked_account"}')).toBe(1);
    expect(sample(text, 'notices_pending{reason="no_phone"}')).toBe(0);
  });

  it('when METRICS_TOKEN is set, then /metrics wants it as a bearer token and the webhooks do not', async () => {
    const token = 'metrics-token-0123456789';
    app = await startTestApp({ prefix, fake, env: { METRICS_TOKEN: token } });
    expect((await request(app.url).get('/metrics')).status).toBe(401);
    expect((await request(app.url).get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789')).status).toBe(401);
    expect(sample(await scrape(app.url, token), 'escalations_failed_total')).toBe(0);
    expect((await request(app.url).get('/healthz')).status).toBe(200);
  });

  it('when Redis and the store answer, then /readyz is 200 with both checks ok', async () => {
    app = await startTestApp({ prefix, fake });
    const res = await request(app.url).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', checks: { redis: 'ok', store: 'ok' } });
  });
});

describe('the alert rules and the dashboard shipped in monitoring/', () => {
  it('when promtool checks the alert rules, then they pass, and the rule tests fire on a failed escalation, a backed-up queue and piled-up notices', () => {
    const check = promtool(['check', 'rules', 'monitoring/alerts.yml']);
    expect(check.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(check.status).toBe(0);
    const tests = promtool(['test', 'rules', 'monitoring/alerts.test.yml']);
    expect(tests.output).toContain('SUCCESS');
    expect(tests.status).toBe(0);
  });

  it('when the dashboard is read, then every query names a metric the application exports', () => {
    const dashboard = JSON.parse(readFileSync('monitoring/grafana-dashboard.json', 'utf8')) as { panels: { title: string; targets?: { expr: string }[] }[] };
    const exported = ['queue_jobs', 'jobs_failed_total', 'escalations_failed_total', 'notices_pending', 'http_request_duration_seconds_bucket', 'webhook_requests_total', 'inbound_events_total', 'send_failures_total', 'sends_total', 'webhook_ack_seconds_bucket'];
    const exprs = dashboard.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr);
    expect(exprs.length).toBeGreaterThanOrEqual(8);
    for (const expr of exprs) {
      const names = [...expr.matchAll(/commune_chatbot_[a-z_]+/g)].map((m) => m[0].slice(P.length));
      expect(names.length).toBeGreaterThan(0);
      for (const n of names) expect(exported).toContain(n);
    }
  });
});
