import { Redis } from 'ioredis';
import type { InboundEvent, OutboundMessage } from '../../src/channels/types';
import { createMessengerSender } from '../../src/channels/messenger';
import { createMessagePath, type ActionRunner, type MessagePath, type TurnEngine } from '../../src/jobs';
import { createMetrics } from '../../src/metrics';
import { silentLogger } from '../../src/shared/logger';
import { createMemoryStores } from '../../src/store/memory';
import { startFakePlatforms } from '../helpers/fake-platforms';
import { TEST_REDIS_URL, deleteKeys, uniquePrefix } from '../helpers/redis';
import { until, untilIdle } from '../helpers/until';

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

  function makePath(stores: ReturnType<typeof createMemoryStores>, opts: { sendBackoffMs?: number; now?: () => number; readySweep?: { sweepEveryMs?: number; staleAfterMs?: number; multiPop?: boolean }; engine?: TurnEngine; runAction?: ActionRunner; inlineActions?: ReadonlySet<string> } = {}) {
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    redisClients.push(redis);
    const sender = createMessengerSender({ appSecret: 's', verifyToken: 'v', pageAccessToken: 'PAGE_TOKEN', apiBase: fake.messengerBase }, { log: silentLogger });
    const path = createMessagePath({
      redis,
      redisUrl: TEST_REDIS_URL,
      prefix,
      conversations: stores.conversations,
      engine: opts.engine ?? echoEngine,
      senders: { messenger: sender },
      runAction: opts.runAction ?? (async () => ({ ok: false, code: 'SERVICE_NOT_OPEN' })),
      inlineActions: opts.inlineActions,
      metrics: createMetrics(),
      log: silentLogger,
      sendBackoffMs: opts.sendBackoffMs ?? 20,
      now: opts.now,
      readySweep: opts.readySweep,
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
    await a.startWorkers();
    await b.startWorkers();
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
    await a.startWorkers();
    await b.startWorkers();
    for (let i = 0; i < 20; i++) await (i % 2 ? a : b).inbox.accept([textEvent('u-order', i)]);
    await fake.waitFor(() => textsTo('u-order').length >= 20, 20_000);
    expect(textsTo('u-order')).toEqual(Array.from({ length: 20 }, (_, i) => `echo ${i + 1}: msg ${i}`));
  });

  it('when eight people each send five messages at once to two instances with two worker sets, then each person gets five answers in order', async () => {
    const stores = createMemoryStores();
    const a = makePath(stores);
    const b = makePath(stores);
    await a.startWorkers();
    await b.startWorkers();
    const people = Array.from({ length: 8 }, (_, p) => `u-many-${p}`);
    // Each person's messages go in order (one after the other); the people are all in flight together.
    await Promise.all(people.map(async (psid, p) => {
      for (let i = 0; i < 5; i++) await ((i + p) % 2 ? a : b).inbox.accept([textEvent(psid, i)]);
    }));
    await fake.waitFor(() => people.every((psid) => textsTo(psid).length >= 5), 20_000);
    for (const psid of people) expect(textsTo(psid)).toEqual(Array.from({ length: 5 }, (_, i) => `echo ${i + 1}: msg ${i}`));
  });

  it('when Redis predates BLMPOP (the pump pops with BLPOP then LPOP), then two worker sets still answer each person in order', async () => {
    const stores = createMemoryStores();
    const a = makePath(stores, { readySweep: { multiPop: false } });
    const b = makePath(stores, { readySweep: { multiPop: false } });
    await a.startWorkers();
    await b.startWorkers();
    const people = Array.from({ length: 6 }, (_, p) => `u-blpop-${p}`);
    await Promise.all(people.map(async (psid, p) => {
      for (let i = 0; i < 4; i++) await ((i + p) % 2 ? a : b).inbox.accept([textEvent(psid, i)]);
    }));
    await fake.waitFor(() => people.every((psid) => textsTo(psid).length >= 4), 20_000);
    for (const psid of people) expect(textsTo(psid)).toEqual(Array.from({ length: 4 }, (_, i) => `echo ${i + 1}: msg ${i}`));
  });

  it('when webhooks are acknowledged with no worker running, then no job is created yet, each conversation is marked ready once, and a worker that starts answers them', async () => {
    const stores = createMemoryStores();
    const web = makePath(stores);
    for (let i = 0; i < 3; i++) await web.inbox.accept([textEvent('u-web-a', i)]);
    await web.inbox.accept([textEvent('u-web-b', 0), textEvent('u-web-b', 1)]);
    const counts = await web.queues.inbound.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
    expect(Object.values(counts).reduce((x, y) => x + y, 0)).toBe(0);
    const redis = redisClients[0];
    expect((await redis.zrange(web.keys.ready(), 0, -1)).sort()).toEqual(['messenger:u-web-a', 'messenger:u-web-b']);
    expect(await redis.lrange(web.keys.wake(), 0, -1)).toEqual(['messenger:u-web-a', 'messenger:u-web-b']);

    const worker = makePath(stores);
    await worker.startWorkers();
    await fake.waitFor(() => textsTo('u-web-a').length >= 3 && textsTo('u-web-b').length >= 2, 10_000);
    expect(textsTo('u-web-a')).toEqual(['echo 1: msg 0', 'echo 2: msg 1', 'echo 3: msg 2']);
    expect(textsTo('u-web-b')).toEqual(['echo 1: msg 0', 'echo 2: msg 1']);
    // Drained: the marks are gone, so the next message marks and wakes again.
    await until('the ready marks to clear', async () => (await redis.zcard(web.keys.ready())) === 0, { timeoutMs: 2000 });
    expect(await redis.zcard(web.keys.ready())).toBe(0);
    await web.inbox.accept([textEvent('u-web-a', 3)]);
    await fake.waitFor(() => textsTo('u-web-a').length >= 4);
    expect(textsTo('u-web-a').at(-1)).toBe('echo 4: msg 3');
  });

  it('when a worker took a ready conversation and died before creating its drain job, then a worker that starts drains it', async () => {
    const stores = createMemoryStores();
    const web = makePath(stores);
    for (let i = 0; i < 3; i++) await web.inbox.accept([textEvent('u-crash', i)]);
    const redis = redisClients[0];
    // The dead pump's pop: the wake entry is gone, the mark and the events stay.
    expect(await redis.lpop(web.keys.wake())).toBe('messenger:u-crash');
    expect(await redis.zscore(web.keys.ready(), 'messenger:u-crash')).not.toBeNull();

    const worker = makePath(stores);
    await worker.startWorkers();
    await fake.waitFor(() => textsTo('u-crash').length >= 3, 10_000);
    expect(textsTo('u-crash')).toEqual(['echo 1: msg 0', 'echo 2: msg 1', 'echo 3: msg 2']);
  });

  it('when a conversation stays marked ready without a drain job while workers run, then the periodic sweep drains it', async () => {
    const stores = createMemoryStores();
    const worker = makePath(stores, { readySweep: { sweepEveryMs: 100, staleAfterMs: 500 } });
    await worker.startWorkers();
    const redis = redisClients[0];
    // Another worker took the wake entry a while ago and died: the events and the mark are there, nothing else.
    const key = 'messenger:u-stale';
    for (let i = 0; i < 2; i++) await redis.rpush(worker.keys.inbox(key), JSON.stringify({ event: textEvent('u-stale', i), receivedAt: Date.now() }));
    await redis.zadd(worker.keys.ready(), Date.now() - 1_000, key);
    await fake.waitFor(() => textsTo('u-stale').length >= 2, 10_000);
    expect(textsTo('u-stale')).toEqual(['echo 1: msg 0', 'echo 2: msg 1']);
  });

  it('when the worker set closes, then it stops at once and what was acknowledged meanwhile is answered by the next one', async () => {
    const stores = createMemoryStores();
    const first = makePath(stores);
    await first.startWorkers();
    const started = Date.now();
    await first.close();
    paths.splice(paths.indexOf(first), 1);
    // The pump's blocked pop is ended, not waited out.
    expect(Date.now() - started).toBeLessThan(900);
    const web = makePath(stores);
    await web.inbox.accept([textEvent('u-closed', 0)]);
    const next = makePath(stores);
    await next.startWorkers();
    await fake.waitFor(() => textsTo('u-closed').length >= 1, 10_000);
    expect(textsTo('u-closed')).toEqual(['echo 1: msg 0']);
  });

  it('when one message fails every time, then after 5 failures it is set aside as a dead letter and the next message is answered', async () => {
    const stores = createMemoryStores();
    const poisonous: TurnEngine = (state, event, now) => {
      if (event.content.type === 'text' && event.content.text === 'poison') throw new Error('this event breaks the engine');
      return echoEngine(state, event, now);
    };
    const path = makePath(stores, { engine: poisonous });
    await path.startWorkers();
    await path.inbox.accept([textEvent('u-poison', 0, 'poison')]);
    await path.inbox.accept([textEvent('u-poison', 1)]);
    await fake.waitFor(() => textsTo('u-poison').length >= 1, 20_000);
    expect(textsTo('u-poison')).toEqual(['echo 1: msg 1']);
    const redis = redisClients[0];
    const dead = (await redis.lrange(path.keys.deadLetters(), 0, -1)).map((raw) => (JSON.parse(raw) as { event: InboundEvent }).event.id);
    expect(dead).toEqual(['mid.u-poison.0']);
    expect(await redis.hget(path.keys.failures(), 'mid.u-poison.0')).toBeNull();
    // Drained: no mark left behind, so the next message wakes a worker again.
    await until('the ready marks to clear', async () => (await redis.zcard(path.keys.ready())) === 0, { timeoutMs: 2000 });
    expect(await redis.zcard(path.keys.ready())).toBe(0);
  }, 30_000);

  it('when the same event is delivered twice, then it is answered once', async () => {
    const stores = createMemoryStores();
    const path = makePath(stores);
    await path.startWorkers();
    const first = await path.inbox.accept([textEvent('u-dup', 1)]);
    const second = await path.inbox.accept([textEvent('u-dup', 1)]);
    expect(first).toEqual({ queued: 1, duplicates: 0 });
    expect(second).toEqual({ queued: 0, duplicates: 1 });
    await path.inbox.accept([textEvent('u-dup', 2)]);
    await fake.waitFor(() => textsTo('u-dup').length >= 2);
    await untilIdle(Object.values(path.queues), { delayed: true });
    expect(textsTo('u-dup')).toEqual(['echo 1: msg 1', 'echo 2: msg 2']);
  });

  it('when the Send API answers 500 twice then 200, then the reply is delivered once and later replies wait for it', async () => {
    const stores = createMemoryStores();
    const path = makePath(stores);
    fake.failNext('messenger', { status: 500, body: { error: { message: 'An unknown error', type: 'OAuthException', code: 2 } } }, { status: 500, body: { error: { code: 2 } } });
    await path.startWorkers();
    await path.inbox.accept([textEvent('u-retry', 1)]);
    await path.inbox.accept([textEvent('u-retry', 2)]);
    await fake.waitFor(() => fake.sent('messenger').length >= 4, 15_000);
    await untilIdle(Object.values(path.queues), { delayed: true });
    // 2 failed attempts + 1 success for the first reply, then the second reply: order kept.
    expect(fake.sent('messenger').map((r) => (r.body.message as { text: string }).text)).toEqual(['echo 1: msg 1', 'echo 1: msg 1', 'echo 1: msg 1', 'echo 2: msg 2']);
    const out = (await stores.conversations.transcript('messenger:u-retry')).filter((e) => e.direction === 'out');
    expect(out.map((e) => e.status)).toEqual(['sent', 'sent']);
    expect(out[0].platformMessageId).toMatch(/^m_fake_/);
  });

  describe('read-only actions within the turn', () => {
    // A first question: the step greets and asks to find the procedure; its result explains it and
    // asks to explain the next part; a "nop" message asks to file a case (an action that writes).
    const askingEngine: TurnEngine = (state, event) => {
      const c = event.content;
      if (c.type === 'text' && c.text === 'file it') return { kind: 'advanced', state: state ?? {}, replies: [{ type: 'text', text: 'filing' }], effects: [{ action: 'case.file', args: {} }] };
      if (c.type === 'text') return { kind: 'advanced', state: { asked: c.text }, replies: [{ type: 'text', text: 'xin chào' }], effects: [{ action: 'procedure.find', args: { q: c.text } }] };
      if (c.type === 'action_result' && c.action === 'procedure.find') return { kind: 'advanced', state: { ...state, found: typeof c.data?.id === 'string' ? c.data.id : null }, replies: [{ type: 'text', text: `thủ tục ${String(c.data?.id)}` }], effects: [{ action: 'procedure.explain', args: {} }] };
      if (c.type === 'action_result' && c.action === 'procedure.explain') return { kind: 'advanced', state: { ...state, explained: true }, replies: [{ type: 'text', text: 'bạn có muốn đặt lịch?' }], effects: [] };
      if (c.type === 'action_result') return { kind: 'advanced', state: state ?? {}, replies: [{ type: 'text', text: `filed: ${c.ok}` }], effects: [] };
      return { kind: 'advanced', state: state ?? {}, replies: [], effects: [] };
    };
    const ran: string[] = [];
    const runAction: ActionRunner = async (effect) => {
      ran.push(effect.action);
      return effect.action === 'procedure.find' ? { ok: true, data: { id: 'khai-sinh' } } : { ok: true, data: {} };
    };

    beforeEach(() => {
      ran.length = 0;
    });

    it('when a question asks for read-only actions, then their results are stepped in the same turn: one outbound job, replies in order, the results on the transcript', async () => {
      const stores = createMemoryStores();
      const path = makePath(stores, { engine: askingEngine, runAction, inlineActions: new Set(['procedure.find', 'procedure.explain']) });
      await path.startWorkers();
      await path.inbox.accept([textEvent('u-inline', 1, 'khai sinh')]);
      await fake.waitFor(() => textsTo('u-inline').length >= 3);
      await untilIdle(Object.values(path.queues), { delayed: true });
      expect(textsTo('u-inline')).toEqual(['xin chào', 'thủ tục khai-sinh', 'bạn có muốn đặt lịch?']);
      expect(ran).toEqual(['procedure.find', 'procedure.explain']);
      expect(await path.queues.outbound.getJobCountByTypes('completed', 'waiting', 'active', 'delayed')).toBe(1);
      expect(await path.queues.effects.getJobCountByTypes('completed', 'waiting', 'active', 'delayed')).toBe(0);
      const transcript = await stores.conversations.transcript('messenger:u-inline');
      expect(transcript.map((e) => [e.direction, e.text])).toEqual([
        ['in', 'khai sinh'],
        ['in', '[procedure.find: ok]'],
        ['in', '[procedure.explain: ok]'],
        ['out', 'xin chào'],
        ['out', 'thủ tục khai-sinh'],
        ['out', 'bạn có muốn đặt lịch?'],
      ]);
      expect((await stores.conversations.get('messenger:u-inline'))?.state.engine).toEqual({ asked: 'khai sinh', found: 'khai-sinh', explained: true });
    });

    it('when a step asks for an action that writes, then it goes through the effects queue, runs once and its result is answered after', async () => {
      const stores = createMemoryStores();
      const path = makePath(stores, { engine: askingEngine, runAction, inlineActions: new Set(['procedure.find', 'procedure.explain']) });
      await path.startWorkers();
      await path.inbox.accept([textEvent('u-write', 1, 'file it')]);
      await fake.waitFor(() => textsTo('u-write').length >= 2);
      await untilIdle(Object.values(path.queues), { delayed: true });
      expect(textsTo('u-write')).toEqual(['filing', 'filed: true']);
      expect(ran).toEqual(['case.file']);
      expect(await path.queues.effects.getJobCountByTypes('completed')).toBe(1);
    });

    it('when no action is named read-only, then every effect goes through the effects queue, with the same replies', async () => {
      const stores = createMemoryStores();
      const path = makePath(stores, { engine: askingEngine, runAction });
      await path.startWorkers();
      await path.inbox.accept([textEvent('u-queued', 1, 'khai sinh')]);
      await fake.waitFor(() => textsTo('u-queued').length >= 3);
      expect(textsTo('u-queued')).toEqual(['xin chào', 'thủ tục khai-sinh', 'bạn có muốn đặt lịch?']);
      expect(await path.queues.effects.getJobCountByTypes('completed', 'waiting', 'active', 'delayed')).toBe(2);
    });
  });

  it('when the second of a turn\'s three replies meets a 500, then the retry resumes there: the first is not sent again, order holds, and all three are recorded sent', async () => {
    const stores = createMemoryStores();
    const threeReplies: TurnEngine = (state, event) => {
      const text = event.content.type === 'text' ? event.content.text : event.content.type;
      const replies: OutboundMessage[] = ['a', 'b', 'c'].map((part) => ({ type: 'text', text: `${part}: ${text}` }));
      return { kind: 'advanced', state: state ?? {}, replies, effects: [] };
    };
    const path = makePath(stores, { engine: threeReplies });
    fake.failNext('messenger', { status: 200, body: { recipient_id: 'u-turn', message_id: 'm_scripted_1' } }, { status: 500, body: { error: { code: 2, message: 'An unknown error' } } });
    await path.startWorkers();
    await path.inbox.accept([textEvent('u-turn', 1)]);
    await path.inbox.accept([textEvent('u-turn', 2)]);
    await fake.waitFor(() => textsTo('u-turn').length >= 7, 15_000);
    await untilIdle(Object.values(path.queues), { delayed: true });
    expect(textsTo('u-turn')).toEqual(['a: msg 1', 'b: msg 1', 'b: msg 1', 'c: msg 1', 'a: msg 2', 'b: msg 2', 'c: msg 2']);
    const out = (await stores.conversations.transcript('messenger:u-turn')).filter((e) => e.direction === 'out');
    expect(out.map((e) => [e.text, e.status])).toEqual([
      ['a: msg 1', 'sent'], ['b: msg 1', 'sent'], ['c: msg 1', 'sent'],
      ['a: msg 2', 'sent'], ['b: msg 2', 'sent'], ['c: msg 2', 'sent'],
    ]);
    expect(out[0].platformMessageId).toBe('m_scripted_1');
    expect(out.every((e) => e.platformMessageId)).toBe(true);
  });

  it.each([
    [400, { error: { message: 'No matching user found', type: 'OAuthException', code: 100, error_subcode: 2018001 } }, 'bad_request'],
    [403, { error: { message: 'This message is sent outside of allowed window.', type: 'OAuthException', code: 10, error_subcode: 2018278 } }, 'window_closed'],
  ])('when the Send API answers %i, then the send is not retried and the failure is recorded', async (status, body, reason) => {
    const stores = createMemoryStores();
    const path = makePath(stores);
    fake.failNext('messenger', { status, body });
    await path.startWorkers();
    await path.inbox.accept([textEvent('u-final', 1)]);
    await fake.waitFor(() => fake.sent('messenger').length >= 1);
    const deadline = Date.now() + 5000;
    let failed = await path.queues.outbound.getFailed();
    while (failed.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      failed = await path.queues.outbound.getFailed();
    }
    await untilIdle(Object.values(path.queues), { delayed: true });
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
    await path.startWorkers();
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
    await path.startWorkers();
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
