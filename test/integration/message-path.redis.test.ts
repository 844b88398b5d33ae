import { Redis } from 'ioredis';
import type { InboundEvent, OutboundMessage } from '../../src/channels/types';
import { createMessengerSender } from '../../src/channels/messenger';
import { createMessagePath, type MessagePath, type TurnEngine } from '../../src/jobs';
import { createMetrics } from '../../src/metrics';
import { silentLogger } from '../../src/shared/logger';
import { createMemoryStores } from '../../src/store/memory';
import { startFakePlatforms } from '../helpers/fake-platforms';
import { TEST_REDIS_URL, deleteKeys, uniquePrefix } from '../helpers/redis';

/** An engine that answers every text with "echo: <text>" and counts turns in its state. */
const echoEngine: TurnEngine = (state, event) => {
  const n = typeof state?.n === 'number' ? state.n + 1 : 1;
  const text = event.content.type === 'text' ? event.content.text : event.content.type;
  // The turn number shows whether two events of one conversation were ever handled side by side:
  // they would both read the same state and repeat a number.
  const replies: OutboundMessage[] = [{ type: 'text', text: `echo ${n}: ${text}` }];
  return { kind: 'advanced', state: { n }, replies, effects: [] };
};

function textEvent(userId: string, i: number, text = `msg ${i}`): InboundEvent {
  return { id: `mid.${userId}.${i}`, channel: 'messenger', userId, timestamp: 1767000000000 + i, content: { type: 'text', text } };
}

describe('the message path on a real Redis', () => {
  let fake: Awaited<ReturnType<typeof startFakePlatforms>>;
  let prefix: string;
  const redisClients: Redis[] = [];
  const paths: MessagePath[] = [];

  beforeEach(async () => {
    fake = await startFakePlatforms();
    prefix = uniquePrefix();
  });

  afterEach(async () => {
    await Promise.all(paths.splice(0).map((p) => p.close()));
    await Promise.all(redisClients.splice(0).map((r) => r.quit()));
    await fake.close();
    await deleteKeys(prefix);
  });

  function makePath(stores: ReturnType<typeof createMemoryStores>, opts: { sendBackoffMs?: number; now?: () => number } = {}) {
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    redisClients.push(redis);
    const sender = createMessengerSender({ appSecret: 's', verifyToken: 'v', pageAccessToken: 'PAGE_TOKEN', apiBase: fake.messengerBase }, { log: silentLogger });
    const path = createMessagePath({
      redis,
      redisUrl: TEST_REDIS_URL,
      prefix,
      conversations: stores.conversations,
      engine: echoEngine,
      senders: { messenger: sender },
      runAction: async () => ({ ok: false, code: 'SERVICE_NOT_OPEN' }),
      metrics: createMetrics(),
      log: silentLogger,
      sendBackoffMs: opts.sendBackoffMs ?? 20,
      now: opts.now,
    });
    paths.push(path);
    return path;
  }

  const textsTo = (psid: string) =>
    fake
      .sent('messenger')
      .filter((r) => (r.body.recipient as { id: string }).id === psid)
      .map((r) => (r.body.message as { text: string }).text);

  it('when 20 messages from one person arrive at once and two worker sets share the work, then they are handled one at a time and answered in that order', async () => {
    const stores = createMemoryStores();
    const a = makePath(stores);
    const b = makePath(stores);
    a.startWorkers();
    b.startWorkers();
    // Each message is its own delivery, all in flight together, alternating between the two instances.
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).inbox.accept([textEvent('u-burst', i)])));
    await fake.waitFor(() => textsTo('u-burst').length >= 20, 20_000);
    const turns = textsTo('u-burst').map((t) => Number(/^echo (\d+):/.exec(t)?.[1]));
    expect(turns).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(textsTo('u-burst').map((t) => t.replace(/^echo \d+: /, ''))).size).toBe(20);
    // The status is recorded just after the Send API answers: allow it that moment.
    let out = (await stores.conversations.transcript('messenger:u-burst')).filter((e) => e.direction === 'out');
    for (let i = 0; i < 50 && !out.every((e) => e.status === 'sent'); i++) {
      await new Promise((r) => setTimeout(r, 20));
      out = (await stores.conversations.transcript('messenger:u-burst')).filter((e) => e.direction === 'out');
    }
    expect(out).toHaveLength(20);
    expect(out.every((e) => e.status === 'sent')).toBe(true);
  });

  it('when messages arrive one after another while two worker sets run, then the replies keep the arrival order', async () => {
    const stores = createMemoryStores();
    const a = makePath(stores);
    const b = makePath(stores);
    a.startWorkers();
    b.startWorkers();
    for (let i = 0; i < 20; i++) await (i % 2 ? a : b).inbox.accept([textEvent('u-order', i)]);
    await fake.waitFor(() => textsTo('u-order').length >= 20, 20_000);
    expect(textsTo('u-order')).toEqual(Array.from({ length: 20 }, (_, i) => `echo ${i + 1}: msg ${i}`));
  });

  it('when the same event is delivered twice, then it is answered once', async () => {
    const stores = createMemoryStores();
    const path = makePath(stores);
    path.startWorkers();
    const first = await path.inbox.accept([textEvent('u-dup', 1)]);
    const second = await path.inbox.accept([textEvent('u-dup', 1)]);
    expect(first).toEqual({ queued: 1, duplicates: 0 });
    expect(second).toEqual({ queued: 0, duplicates: 1 });
    await path.inbox.accept([textEvent('u-dup', 2)]);
    await fake.waitFor(() => textsTo('u-dup').length >= 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(textsTo('u-dup')).toEqual(['echo 1: msg 1', 'echo 2: msg 2']);
  });

  it('when the Send API answers 500 twice then 200, then the reply is delivered once and later replies wait for it', async () => {
    const stores = createMemoryStores();
    const path = makePath(stores);
    fake.failNext('messenger', { status: 500, body: { error: { message: 'An unknown error', type: 'OAuthException', code: 2 } } }, { status: 500, body: { error: { code: 2 } } });
    path.startWorkers();
    await path.inbox.accept([textEvent('u-retry', 1)]);
    await path.inbox.accept([textEvent('u-retry', 2)]);
    await fake.waitFor(() => fake.sent('messenger').length >= 4, 15_000);
    await new Promise((r) => setTimeout(r, 300));
    // 2 failed attempts + 1 success for the first reply, then the second reply: order kept.
    expect(fake.sent('messenger').map((r) => (r.body.message as { text: string }).text)).toEqual(['echo 1: msg 1', 'echo 1: msg 1', 'echo 1: msg 1', 'echo 2: msg 2']);
    const out = (await stores.conversations.transcript('messenger:u-retry')).filter((e) => e.direction === 'out');
    expect(out.map((e) => e.status)).toEqual(['sent', 'sent']);
    expect(out[0].platformMessageId).toMatch(/^m_fake_/);
  });

  it.each([
    [400, { error: { message: 'No matching user found', type: 'OAuthException', code: 100, error_subcode: 2018001 } }, 'bad_request'],
    [403, { error: { message: 'This message is sent outside of allowed window.', type: 'OAuthException', code: 10, error_subcode: 2018278 } }, 'window_closed'],
  ])('when the Send API answers %i, then the send is not retried and the failure is recorded', async (status, body, reason) => {
    const stores = createMemoryStores();
    const path = makePath(stores);
    fake.failNext('messenger', { status, body });
    path.startWorkers();
    await path.inbox.accept([textEvent('u-final', 1)]);
    await fake.waitFor(() => fake.sent('messenger').length >= 1);
    const deadline = Date.now() + 5000;
    let failed = await path.queues.outbound.getFailed();
    while (failed.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      failed = await path.queues.outbound.getFailed();
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.sent('messenger')).toHaveLength(1);
    // The failed job stays inspectable with its messages and reason.
    expect(failed).toHaveLength(1);
    expect(failed[0].failedReason).toContain(reason);
    expect(failed[0].data.messages[0]).toEqual({ type: 'text', text: 'echo 1: msg 1' });
    const out = (await stores.conversations.transcript('messenger:u-final')).filter((e) => e.direction === 'out');
    expect(out[0]).toMatchObject({ status: 'failed', error: reason });
  });

  it('when transient failures outlast every attempt, then the job stays failed and inspectable and the next turn still goes out', async () => {
    const stores = createMemoryStores();
    const path = makePath(stores, { sendBackoffMs: 5 });
    const err = { status: 503, body: { error: { code: 1, message: 'Please retry your request later.' } } };
    fake.failNext('messenger', ...Array.from({ length: 8 }, () => err));
    path.startWorkers();
    await path.inbox.accept([textEvent('u-exhaust', 1)]);
    await path.inbox.accept([textEvent('u-exhaust', 2)]);
    await fake.waitFor(() => fake.sent('messenger').length >= 9, 20_000);
    const failed = await path.queues.outbound.getFailed();
    expect(failed).toHaveLength(1);
    expect(failed[0].attemptsMade).toBe(8);
    const out = (await stores.conversations.transcript('messenger:u-exhaust')).filter((e) => e.direction === 'out');
    expect(out[0].status).toBe('failed');
    await fake.waitFor(() => textsTo('u-exhaust').at(-1) === 'echo 2: msg 2');
  });

  it('when a reply would leave after the 24-hour Messenger window has closed, then it is not sent and waits as pending (invariant 9)', async () => {
    const stores = createMemoryStores();
    // The outbound worker runs 25 hours after the person wrote.
    const path = makePath(stores, { now: () => Date.now() + 25 * 3600_000 });
    path.startWorkers();
    await path.inbox.accept([textEvent('u-window', 1)]);
    const deadline = Date.now() + 5000;
    let out = (await stores.conversations.transcript('messenger:u-window')).filter((e) => e.direction === 'out');
    while ((out.length === 0 || out[0].status === 'pending' && !out[0].error) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      out = (await stores.conversations.transcript('messenger:u-window')).filter((e) => e.direction === 'out');
    }
    expect(out[0]).toMatchObject({ status: 'pending', error: 'window_closed' });
    expect(fake.sent('messenger')).toHaveLength(0);
  });
});
