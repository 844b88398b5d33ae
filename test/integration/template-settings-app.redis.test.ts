// The template settings, read by the whole application: the booking confirmation promises the
// reminders the settings can deliver, and a case update past the window goes as the configured template.
import request from 'supertest';
import { signMessengerBody } from '../../src/channels/messenger';
import { formatVietnameseDate } from '../../src/civic/calendar/format-date';
import type { RunningApp } from '../../src/main';
import { createMemoryStores } from '../../src/store/memory';
import type { Stores } from '../../src/store/ports';
import { SECRETS, startTestApp } from '../helpers/app';
import { startFakePlatforms } from '../helpers/fake-platforms';
import { deleteKeys, uniquePrefix } from '../helpers/redis';

const DAY = 24 * 3600_000;
const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

/** A Messenger body for a typed text or a quick-reply tap, escaped as Meta writes it. */
function body(psid: string, mid: string, text: string, payload?: string): string {
  const esc = (s: string) => s.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const qr = payload ? `,"quick_reply":{"payload":"${payload}"}` : '';
  const now = Date.now();
  return `{"object":"page","entry":[{"id":"PAGE","time":${now},"messaging":[{"sender":{"id":"${psid}"},"recipient":{"id":"PAGE"},"timestamp":${now},"message":{"mid":"${mid}","text":"${esc(text)}"${qr}}}]}]}`;
}

describe('template settings in the running application', () => {
  jest.setTimeout(60_000);
  let fake: Awaited<ReturnType<typeof startFakePlatforms>>;
  let prefix: string;
  let stores: Stores;
  let app: (RunningApp & { url: string }) | undefined;

  beforeEach(async () => {
    fake = await startFakePlatforms();
    prefix = uniquePrefix();
    stores = createMemoryStores();
  });
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await fake.close();
    await deleteKeys(prefix);
  });

  const start = async (env: Record<string, string>) => {
    app = await startTestApp({ prefix, fake, stores, env: { ADMIN_TOKEN, ZALO_ZNS_API_BASE: fake.znsBase, ...env } });
  };

  type Said = { text?: string; quick_replies?: { payload: string }[] }[];

  /** Books the last day and first time offered, over Messenger; returns the confirmation the citizen read. */
  async function bookOverMessenger(psid: string): Promise<string> {
    const messages = (): Said => fake.sent('messenger').filter((r) => (r.body.recipient as { id: string }).id === psid && r.body.message).map((r) => r.body.message as Said[number]);
    let n = 0;
    const send = async (text: string, payload: string | undefined, until: (fresh: Said) => boolean) => {
      const before = messages().length;
      const raw = body(psid, `m_book_${++n}`, text, payload);
      const res = await request(app!.url).post('/webhooks/messenger').set('Content-Type', 'application/json').set('X-Hub-Signature-256', signMessengerBody(raw, SECRETS.MESSENGER_APP_SECRET)).send(raw);
      expect(res.status).toBe(200);
      await fake.waitFor(() => until(messages().slice(before)), 10_000);
      return messages().slice(before);
    };
    const payloads = (fresh: Said, pattern: RegExp) => fresh.flatMap((m) => m.quick_replies ?? []).map((q) => q.payload).filter((p) => pattern.test(p));
    const says = (words: string) => (fresh: Said) => fresh.some((m) => m.text?.includes(words));
    const DAY_ID = /^\d{4}-\d{2}-\d{2}$/;
    const SLOT_ID = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

    await send('Đặt lịch hẹn', 'MENU_BOOK', (f) => payloads(f, /^CONSENT_YES$/).length > 0);
    await send('Đồng ý', 'CONSENT_YES', (f) => payloads(f, /^SERVICE_CERTIFY$/).length > 0);
    const days = payloads(await send('Chứng thực', 'SERVICE_CERTIFY', (f) => payloads(f, DAY_ID).length > 0), DAY_ID);
    // The last day offered: both reminders fall more than 24 h after this message.
    const day = days[days.length - 1] as string;
    const slot = payloads(await send(day, day, (f) => payloads(f, SLOT_ID).length > 0), SLOT_ID)[0] as string;
    await send(slot, slot, says('họ tên'));
    await send('Lê Thị Hoa', undefined, () => true);
    await send('0987654321', undefined, (f) => payloads(f, /^YES$/).length > 0);
    const done = await send('Đồng ý', 'YES', says('Đã đặt lịch'));
    return done.map((m) => m.text ?? '').join('\n');
  }

  test('when no reminder template is set, then the Messenger booking confirmation says the reminders arrive only if the citizen writes again', async () => {
    await start({});
    const text = await bookOverMessenger('psid-book-1');
    expect(text).toContain('Messenger chỉ cho phép xã nhắn trong 24 giờ');
    expect(text).not.toContain('Xã sẽ nhắn nhắc ông/bà lúc');
  });

  test('when MESSENGER_UTILITY_TEMPLATE_REMINDER is set, then the confirmation promises both reminders', async () => {
    await start({ MESSENGER_UTILITY_TEMPLATE_REMINDER: 'nhac_lich_hen' });
    const text = await bookOverMessenger('psid-book-2');
    expect(text).toMatch(/Xã sẽ nhắn nhắc ông\/bà lúc .+ và .+\./);
    expect(text).not.toContain('chỉ đến được');
  });

  test('when a case is resolved while the citizen can be written to, then the rating invitation carries a button with the case code, and one tap rates that case without typing the code', async () => {
    await start({});
    const at = Date.now();
    const psid = 'psid-rate';
    const c = await stores.cases.create({
      kind: 'petition', petitionType: 'feedback', category: 'land', village: 'Thôn 1', content: 'Lấn chiếm lối đi chung.', attachments: [],
      channel: 'messenger', userId: psid, status: 'in_progress', assigneeId: 'dia-chinh-1', dueAt: at + 10 * DAY, createdAt: at, history: [{ at, by: 'citizen', what: 'received' }],
    });
    await stores.conversations.touchInbound('messenger', psid, at - 60_000);
    fake.userWrote('messenger', psid, at - 60_000);
    const said = (): Said => fake.sent('messenger').filter((r) => (r.body.recipient as { id: string }).id === psid && r.body.message).map((r) => r.body.message as Said[number]);
    expect((await request(app!.url).post(`/admin/api/cases/${c.code}/resolve`).set('Authorization', `Bearer ${ADMIN_TOKEN}`).send({ answer: 'Lối đi đã được trả lại.' })).status).toBe(200);
    await fake.waitFor(() => said().some((m) => (m.quick_replies ?? []).length > 0), 10_000);
    const invitation = said().find((m) => (m.quick_replies ?? []).length > 0)!;
    expect(invitation.text).toContain(c.code);
    expect(invitation.text).toContain('"đánh giá"'); // typing still works
    expect(invitation.quick_replies).toEqual([expect.objectContaining({ title: 'Đánh giá', payload: `RATE_SERVICE:${c.code}` })]);

    let n = 0;
    const tap = async (title: string, payload: string, until: (fresh: Said) => boolean) => {
      const before = said().length;
      const raw = body(psid, `m_rate_${++n}`, title, payload);
      expect((await request(app!.url).post('/webhooks/messenger').set('Content-Type', 'application/json').set('X-Hub-Signature-256', signMessengerBody(raw, SECRETS.MESSENGER_APP_SECRET)).send(raw)).status).toBe(200);
      await fake.waitFor(() => until(said().slice(before)), 10_000);
      return said().slice(before);
    };
    const scores = await tap('Đánh giá', `RATE_SERVICE:${c.code}`, (m) => m.some((x) => (x.quick_replies ?? []).some((q) => q.payload === 'RATE_5')));
    expect(JSON.stringify(scores)).not.toContain('mã hồ sơ');
    await tap('5 - Rất hài lòng', 'RATE_5', (m) => m.some((x) => (x.quick_replies ?? []).some((q) => q.payload === 'TRIPS_0')));
    await tap('Không lần nào', 'TRIPS_0', (m) => m.some((x) => (x.quick_replies ?? []).some((q) => q.payload === 'SKIP')));
    const thanks = await tap('Bỏ qua', 'SKIP', (m) => m.some((x) => (x.text ?? '').includes(c.code)));
    expect(JSON.stringify(thanks)).toContain('cảm ơn');
    expect((await stores.cases.get(c.id))!.rating).toMatchObject({ score: 5, trips: 0 });
  });

  test('when a case is resolved after the citizen\'s window closed, then the invitation waits with its button, goes out first at their next message still carrying it, and one tap rates the case', async () => {
    await start({});
    const at = Date.now();
    const psid = 'psid-rate-late';
    const c = await stores.cases.create({
      kind: 'petition', petitionType: 'proposal', category: 'infrastructure', village: 'Thôn 4', content: 'Đề nghị lắp đèn đường.', attachments: [],
      channel: 'messenger', userId: psid, status: 'in_progress', assigneeId: 'truong-thon-4', dueAt: at + 10 * DAY, createdAt: at - 2 * DAY, history: [{ at: at - 2 * DAY, by: 'citizen', what: 'received' }],
    });
    await stores.conversations.touchInbound('messenger', psid, at - 30 * 3600_000);
    fake.userWrote('messenger', psid, at - 30 * 3600_000);
    const said = (): Said => fake.sent('messenger').filter((r) => (r.body.recipient as { id: string }).id === psid && r.body.message).map((r) => r.body.message as Said[number]);
    const bearer = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    expect((await request(app!.url).post(`/admin/api/cases/${c.code}/resolve`).set(bearer).send({ answer: 'Đèn đã được lắp.' })).status).toBe(200);
    // The citizen's (the official told of it has no linked account and waits under "unlinked").
    type Waiting = { people: { channel: string; notices: { caseCode: string; kind: string }[] }[] };
    const waiting = async () => ((await request(app!.url).get('/admin/api/pending-notices').set(bearer)).body as Waiting).people.filter((p) => p.channel === 'messenger').flatMap((p) => p.notices).filter((x) => x.caseCode === c.code).map((x) => x.kind);
    for (let i = 0; i < 100 && (await waiting()).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await waiting()).toEqual(['resolved', 'rate_request']);
    expect(said()).toEqual([]);

    let n = 0;
    const write = async (text: string, payload: string | undefined, until: (fresh: Said) => boolean) => {
      const before = said().length;
      fake.userWrote('messenger', psid, Date.now()); // the platform opens the window as the person writes
      const raw = body(psid, `m_late_${++n}`, text, payload);
      expect((await request(app!.url).post('/webhooks/messenger').set('Content-Type', 'application/json').set('X-Hub-Signature-256', signMessengerBody(raw, SECRETS.MESSENGER_APP_SECRET)).send(raw)).status).toBe(200);
      await fake.waitFor(() => until(said().slice(before)), 10_000);
      return said().slice(before);
    };
    const first = await write('Xin chào', undefined, (m) => m.length >= 3);
    expect(first[0].text).toContain('đã được giải quyết');
    expect(first[1].text).toContain(c.code);
    expect(first[1].quick_replies).toEqual([expect.objectContaining({ title: 'Đánh giá', payload: `RATE_SERVICE:${c.code}` })]);
    expect(await waiting()).toEqual([]);

    const scores = await write('Đánh giá', `RATE_SERVICE:${c.code}`, (m) => m.some((x) => (x.quick_replies ?? []).some((q) => q.payload === 'RATE_4')));
    expect(JSON.stringify(scores)).not.toContain('mã hồ sơ');
    await write('4 - Hài lòng', 'RATE_4', (m) => m.some((x) => (x.quick_replies ?? []).some((q) => q.payload === 'TRIPS_1')));
    await write('1 lần', 'TRIPS_1', (m) => m.some((x) => (x.quick_replies ?? []).some((q) => q.payload === 'SKIP')));
    await write('Bỏ qua', 'SKIP', (m) => m.some((x) => (x.text ?? '').includes(c.code)));
    expect((await stores.cases.get(c.id))!.rating).toMatchObject({ score: 4, trips: 1 });
  });

  test('when MESSENGER_UTILITY_TEMPLATE_CASE is set and the citizen last wrote 3 days ago, then the resolved-case update goes as that template', async () => {
    await start({ MESSENGER_UTILITY_TEMPLATE_CASE: 'cap_nhat_ho_so' });
    const at = Date.now();
    const c = await stores.cases.create({
      kind: 'petition',
      petitionType: 'feedback',
      category: 'land',
      village: 'Thôn 1',
      content: 'Lấn chiếm lối đi chung.',
      attachments: [],
      channel: 'messenger',
      userId: 'psid-case',
      status: 'in_progress',
      assigneeId: 'dia-chinh-1',
      dueAt: at + 10 * DAY,
      createdAt: at,
      history: [{ at, by: 'citizen', what: 'received' }],
    });
    await stores.conversations.touchInbound('messenger', 'psid-case', at - 3 * DAY);
    fake.userWrote('messenger', 'psid-case', at - 3 * DAY);

    const res = await request(app!.url).post(`/admin/api/cases/${c.code}/resolve`).set('Authorization', `Bearer ${ADMIN_TOKEN}`).send({ answer: 'Đã làm việc với hộ lấn chiếm, lối đi đã được trả lại.' });
    expect(res.status).toBe(200);

    const toCitizen = () => fake.accepted('messenger').filter((r) => (r.body.recipient as { id: string }).id === 'psid-case');
    await fake.waitFor(() => toCitizen().length > 0, 10_000);
    expect(toCitizen()[0]?.body).toMatchObject({
      messaging_type: 'UTILITY',
      message: { template: { name: 'cap_nhat_ho_so', language: { code: 'vi' }, components: [{ type: 'body', parameters: [{ text: c.code }, { text: 'đã giải quyết' }, { text: formatVietnameseDate(c.dueAt) }] }] } },
    });
    expect(fake.requests.filter((r) => r.outcome !== 'accepted')).toEqual([]);
  });
});
