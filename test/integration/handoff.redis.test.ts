import request from 'supertest';
import type { RunningApp } from '../../src/main';
import { createMemoryStores } from '../../src/store/memory';
import type { Stores } from '../../src/store/ports';
import { SECRETS, startTestApp } from '../helpers/app';
import { startFakePlatforms } from '../helpers/fake-platforms';
import { messengerTextBody } from '../helpers/messenger-bodies';
import { deleteKeys, uniquePrefix } from '../helpers/redis';
import { untilIdle } from '../helpers/until';

// The hand-off end to end: Messenger webhooks in, the fake Send API out, real Redis and BullMQ.
// routing.yaml puts "van-phong" on duty (backup "mot-cua"): a hand-off without a category goes to them.
const DUTY = 'psid-van-phong';
const BACKUP = 'psid-mot-cua';
const CITIZEN = 'psid-citizen-ho';
const HOUR = 3600_000;
const ADMIN_TOKEN = 'handoff-admin-token-0123456789';

type Fake = Awaited<ReturnType<typeof startFakePlatforms>>;

describe('hand-off to an official ("gặp cán bộ")', () => {
  jest.setTimeout(60_000);
  let fake: Fake;
  let prefix: string;
  let stores: Stores;
  let app: (RunningApp & { url: string }) | undefined;
  let mid = 0;

  const start = async (env: Record<string, string> = {}) => {
    app = await startTestApp({ prefix, fake, stores, env: { ADMIN_TOKEN, ...env } });
    return app;
  };
  const textsTo = (psid: string) =>
    fake
      .sent('messenger')
      .filter((r) => (r.body.recipient as { id: string }).id === psid)
      .map((r) => (r.body.message as { text?: string; attachment?: { payload?: { text?: string } } }).text ?? (r.body.message as { attachment?: { payload?: { text?: string } } }).attachment?.payload?.text ?? '');
  const bodiesTo = (psid: string) => fake.sent('messenger').filter((r) => (r.body.recipient as { id: string }).id === psid);
  const write = async (psid: string, text: string) => {
    const { raw, signature } = messengerTextBody({ psid, mid: `m_ho_${++mid}`, text }, SECRETS.MESSENGER_APP_SECRET);
    const res = await request(app!.url).post('/webhooks/messenger').set('Content-Type', 'application/json').set('X-Hub-Signature-256', signature).send(raw);
    expect(res.status).toBe(200);
  };
  /** Writes and waits until `psid` has received a message containing `expected` after this one. */
  const writeAndWait = async (from: string, text: string, to: string, expected: string) => {
    const before = textsTo(to).length;
    await write(from, text);
    await fake.waitFor(() => textsTo(to).slice(before).some((t) => t.includes(expected)), 15_000);
    return textsTo(to).slice(before);
  };
  /** Every job the last messages could have started has run (what was not sent by then never will be). */
  const settle = () => untilIdle(app!.queues());
  /** Real time passing: the hand-off's quiet time is counted on the clock. */
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

  async function linkOfficials(): Promise<void> {
    for (const [id, psid] of [
      ['van-phong', DUTY],
      ['mot-cua', BACKUP],
    ] as const) {
      const o = await stores.officials.get(id);
      await stores.officials.upsert({ ...o!, accounts: [{ channel: 'messenger', userId: psid }] });
      await stores.conversations.touchInbound('messenger', psid, Date.now());
    }
  }

  /** The citizen asks for an official and gives a topic; resolves to the hand-off's code. */
  async function askForOfficial(topic: string): Promise<string> {
    await writeAndWait(CITIZEN, 'gặp cán bộ', CITIZEN, 'tóm tắt');
    const said = await writeAndWait(CITIZEN, topic, CITIZEN, 'HT-');
    const code = /HT-[A-Z0-9]{5}/.exec(said.join(' '))?.[0];
    expect(code).toBeDefined();
    return code!;
  }

  beforeEach(async () => {
    fake = await startFakePlatforms();
    prefix = uniquePrefix();
    stores = createMemoryStores();
    app = undefined;
  });

  afterEach(async () => {
    await app?.stop();
    await fake.close();
    await deleteKeys(prefix);
  });

  test('when a citizen asks for an official, then the bot pauses, the duty official gets the topic and the recent transcript, a second request opens no other, and "ket thuc" leaves', async () => {
    await start();
    await linkOfficials();
    const code = await askForOfficial('Tôi muốn hỏi về việc cấp lại sổ đỏ bị mất');
    expect(textsTo(CITIZEN).join(' ')).toContain('tạm dừng');

    await fake.waitFor(() => textsTo(DUTY).some((t) => t.includes(code)), 15_000);
    const notice = textsTo(DUTY).find((t) => t.includes(code))!;
    expect(notice).toContain('Tôi muốn hỏi về việc cấp lại sổ đỏ bị mất');
    expect(notice).toContain('Tin nhắn gần đây');
    expect(notice).toContain('gặp cán bộ');
    expect(notice).toContain(`NHANHT ${code}`);
    await fake.waitFor(() => textsTo(BACKUP).some((t) => t.includes(code)), 15_000);

    // The bot no longer answers: a question gets only "kept for the official", never the flows' answers.
    const before = textsTo(CITIZEN).length;
    await writeAndWait(CITIZEN, 'làm sổ đỏ mất bao lâu', CITIZEN, code);
    await settle();
    const kept = textsTo(CITIZEN).slice(before);
    expect(kept).toHaveLength(1);
    expect(kept[0]).toContain('tạm dừng');
    // Asking again: the same hand-off, no second one.
    const again = await writeAndWait(CITIZEN, 'gap can bo', CITIZEN, code);
    expect(again.join(' ')).not.toContain('tóm tắt');
    const open = (await stores.handoffs.listOpen()).filter((h) => h.userId === CITIZEN);
    expect(open).toHaveLength(1);
    expect(open[0].messages.map((m) => m.text)).toEqual(['làm sổ đỏ mất bao lâu', 'gap can bo']);

    // "kết thúc", typed without diacritics, leaves: the bot answers again.
    await writeAndWait(CITIZEN, 'ket thuc', CITIZEN, 'đã kết thúc');
    expect(await stores.handoffs.findByCode(code)).toMatchObject({ status: 'ended', endReason: 'citizen' });
    await writeAndWait(CITIZEN, 'menu', CITIZEN, 'cần hỗ trợ việc gì');
  });

  test('when the official takes it and replies, then the citizen reads the words, the citizen’s answer reaches the official, another official cannot reply, and ending it brings the bot back', async () => {
    await start();
    await linkOfficials();
    const code = await askForOfficial('Hỏi về hộ nghèo');
    await write(CITIZEN, 'nhà tôi có 5 người');
    await fake.waitFor(() => textsTo(DUTY).some((t) => t.includes(code)), 15_000);

    // Taking it shows the waiting messages; the citizen is told who answers.
    const taken = await writeAndWait(DUTY, `nhanht ${code.toLowerCase()}`, DUTY, 'đã nhận');
    expect(taken.join(' ')).toContain('nhà tôi có 5 người');
    await fake.waitFor(() => textsTo(CITIZEN).some((t) => t.includes('đang trả lời')), 15_000);

    // TL <code> and plain text both reach the citizen, in order, as responses in the free window.
    await writeAndWait(DUTY, `TL ${code} Chào ông, ông cần giấy xác nhận hộ nghèo phải không?`, CITIZEN, 'giấy xác nhận hộ nghèo');
    await writeAndWait(DUTY, 'Ông mang theo CCCD khi đến xã nhé.', CITIZEN, 'mang theo CCCD');
    const replies = bodiesTo(CITIZEN).filter((r) => JSON.stringify(r.body).includes('CCCD') || JSON.stringify(r.body).includes('xác nhận hộ nghèo'));
    expect(replies.map((r) => r.body.messaging_type)).toEqual(['RESPONSE', 'RESPONSE']);

    // The citizen's answer goes to the official, not to the flows.
    const relayed = await writeAndWait(CITIZEN, 'Vâng, cảm ơn cán bộ', DUTY, 'Vâng, cảm ơn cán bộ');
    expect(relayed.join(' ')).toContain(code);

    // Another official cannot speak for the one who holds it.
    const refused = await writeAndWait(BACKUP, `TL ${code} Tôi trả lời thay`, BACKUP, 'không do ông/bà tiếp nhận');
    expect(refused).toHaveLength(1);
    await settle();
    expect(textsTo(CITIZEN).join(' ')).not.toContain('Tôi trả lời thay');

    // Ending: the citizen is told, and the flows answer again.
    await writeAndWait(DUTY, `KT ${code}`, CITIZEN, 'đã kết thúc');
    expect(await stores.handoffs.findByCode(code)).toMatchObject({ status: 'ended', endReason: 'official' });
    await writeAndWait(CITIZEN, 'menu', CITIZEN, 'cần hỗ trợ việc gì');
  });

  test.each([
    ['without the Human Agent feature, then it waits for the citizen’s next message and the official is told', 'false'],
    ['with MESSENGER_HUMAN_AGENT=true, then it goes out with the HUMAN_AGENT tag', 'true'],
  ])('when an official replies 30 h after the citizen last wrote, %s', async (_name, humanAgent) => {
    await start({ MESSENGER_HUMAN_AGENT: humanAgent });
    await linkOfficials();
    const lastWrote = Date.now() - 30 * HOUR;
    await stores.conversations.touchInbound('messenger', CITIZEN, lastWrote);
    const { handoff } = await stores.handoffs.open({ channel: 'messenger', userId: CITIZEN, topic: 'Hỏi lịch tiêm', notifiedIds: ['van-phong'], createdAt: lastWrote });
    await stores.handoffs.take(handoff.id, 'van-phong', lastWrote + HOUR);

    if (humanAgent === 'true') {
      await writeAndWait(DUTY, `TL ${handoff.code} Lịch tiêm là sáng thứ Sáu.`, CITIZEN, 'sáng thứ Sáu');
      const body = bodiesTo(CITIZEN).find((r) => JSON.stringify(r.body).includes('Sáu'))!.body;
      expect(body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
      return;
    }
    const told = await writeAndWait(DUTY, `TL ${handoff.code} Lịch tiêm là sáng thứ Sáu.`, DUTY, 'Chưa gửi được ngay');
    expect(told.join(' ')).toContain(handoff.code);
    await settle();
    expect(bodiesTo(CITIZEN)).toHaveLength(0);
    // The citizen writes again: the official's words go out first, as a response.
    await writeAndWait(CITIZEN, 'còn ai ở đó không', CITIZEN, 'sáng thứ Sáu');
    expect(bodiesTo(CITIZEN)[0].body).toMatchObject({ messaging_type: 'RESPONSE' });
    await fake.waitFor(() => textsTo(DUTY).some((t) => t.includes('còn ai ở đó không')), 15_000);
  });

  test('when nobody writes for the quiet time, then the hand-off ends and the citizen is told the bot answers again — also across a restart', async () => {
    const env = { HANDOFF_QUIET_MINUTES: '0.05' };
    await start(env);
    await linkOfficials();
    const code = await askForOfficial('Hỏi về giấy khai sinh');
    await writeAndWait(DUTY, `NHANHT ${code}`, DUTY, 'đã nhận');
    // The process stops before the quiet time is over; the delayed job waits in Redis.
    await app!.stop();
    app = undefined;
    expect((await stores.handoffs.findByCode(code))?.status).toBe('active');
    await wait(3500);
    await start(env);
    await fake.waitFor(() => textsTo(CITIZEN).some((t) => t.includes('không có tin nhắn')), 15_000);
    expect(await stores.handoffs.findByCode(code)).toMatchObject({ status: 'ended', endReason: 'quiet' });
    await fake.waitFor(() => textsTo(DUTY).some((t) => t.includes(`${code} đã kết thúc`)), 15_000);
  });

  test('when the console lists, takes, replies and ends, then the citizen hears the reply, a taken hand-off cannot be taken by another, and a reply before anyone took it is refused', async () => {
    await start();
    await linkOfficials();
    const code = await askForOfficial('Hỏi về đất nông nghiệp');
    const api = request(app!.url);
    const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

    const list = await api.get('/admin/api/handoffs').set(auth);
    expect(list.status).toBe(200);
    expect(list.body.handoffs).toEqual([expect.objectContaining({ code, status: 'waiting', topic: 'Hỏi về đất nông nghiệp', notifiedIds: ['van-phong', 'mot-cua'] })]);

    const early = await api.post(`/admin/api/handoffs/${code}/reply`).set(auth).send({ text: 'Chào ông' });
    expect(early.status).toBe(409);

    const take = await api.post(`/admin/api/handoffs/${code}/take`).set(auth).send({ officialId: 'van-phong' });
    expect(take.status).toBe(200);
    expect(take.body.handoff).toMatchObject({ status: 'active', officialId: 'van-phong' });
    const second = await api.post(`/admin/api/handoffs/${code}/take`).set(auth).send({ officialId: 'mot-cua' });
    expect(second.status).toBe(409);

    const reply = await api.post(`/admin/api/handoffs/${code}/reply`).set(auth).send({ text: 'Ông mang sổ hộ khẩu đến xã.', id: 'r1' });
    expect(reply.status).toBe(200);
    expect(reply.body.delivered).toBe('now');
    await fake.waitFor(() => textsTo(CITIZEN).some((t) => t.includes('Ông mang sổ hộ khẩu đến xã.')), 15_000);

    const bad = await api.post(`/admin/api/handoffs/${code}/reply`).set(auth).send({ text: '' });
    expect(bad.status).toBe(400);
    expect((await api.post('/admin/api/handoffs/HT-22222/end').set(auth).send({})).status).toBe(404);

    const end = await api.post(`/admin/api/handoffs/${code}/end`).set(auth).send({});
    expect(end.status).toBe(200);
    expect(end.body.handoff).toMatchObject({ status: 'ended', endReason: 'official' });
    await fake.waitFor(() => textsTo(CITIZEN).some((t) => t.includes('đã kết thúc')), 15_000);
    expect((await api.get('/admin/api/handoffs').set(auth)).body.handoffs).toEqual([]);
    const audit = await stores.audit.list({});
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['handoff.take', 'handoff.reply', 'handoff.end']));
  });
});
