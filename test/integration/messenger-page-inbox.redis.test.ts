import request from 'supertest';
import type { RunningApp } from '../../src/main';
import { createMemoryStores } from '../../src/store/memory';
import type { Stores } from '../../src/store/ports';
import { SECRETS, startTestApp } from '../helpers/app';
import { startFakePlatforms } from '../helpers/fake-platforms';
import { echoItem, getStartedItem, messengerItemsBody, messengerTextBody, PAGE_INBOX_APP_ID, referralItem } from '../helpers/messenger-bodies';
import { deleteKeys, uniquePrefix } from '../helpers/redis';
import { untilIdle } from '../helpers/until';

// Messenger events beside plain messages, end to end: signed webhooks in, the fake Send API out,
// real Redis and BullMQ. Commune staff answering in the Page Inbox, m.me links and QR codes with ?ref=.
const CITIZEN = 'psid-citizen-pi';
const OTHER = 'psid-citizen-ref';
const DUTY = 'psid-van-phong';
const BACKUP = 'psid-mot-cua';
/** the app id of our own sends' echoes: not the Page Inbox */
const OUR_APP_ID = 1517483920175530;
/** HANDOFF_QUIET_MINUTES in the tests: 3 s */
const QUIET_MINUTES = '0.05';

type Fake = Awaited<ReturnType<typeof startFakePlatforms>>;

describe('Messenger: Page Inbox replies, m.me referrals', () => {
  jest.setTimeout(60_000);
  let fake: Fake;
  let prefix: string;
  let stores: Stores;
  let app: (RunningApp & { url: string }) | undefined;
  let mid = 0;

  const start = async (env: Record<string, string> = {}) => {
    app = await startTestApp({ prefix, fake, stores, env: { HANDOFF_QUIET_MINUTES: QUIET_MINUTES, ...env } });
  };
  const textsTo = (psid: string) =>
    fake
      .sent('messenger')
      .filter((r) => (r.body.recipient as { id: string }).id === psid)
      .map((r) => {
        const m = r.body.message as { text?: string; attachment?: { payload?: { text?: string } } };
        return m.text ?? m.attachment?.payload?.text ?? '';
      });
  const post = async (body: { raw: string; signature: string }) => {
    const res = await request(app!.url).post('/webhooks/messenger').set('Content-Type', 'application/json').set('X-Hub-Signature-256', body.signature).send(body.raw);
    expect(res.status).toBe(200);
  };
  const write = (psid: string, text: string) => post(messengerTextBody({ psid, mid: `m_pi_${++mid}`, text }, SECRETS.MESSENGER_APP_SECRET));
  const deliver = (...items: object[]) => post(messengerItemsBody(items, SECRETS.MESSENGER_APP_SECRET));
  /** Sends and waits until `psid` has received a message containing `expected` after it; returns what came. */
  const andWait = async (send: () => Promise<void>, psid: string, expected: string) => {
    const before = textsTo(psid).length;
    await send();
    await fake.waitFor(() => textsTo(psid).slice(before).some((t) => t.includes(expected)), 15_000);
    return textsTo(psid).slice(before);
  };
  const transcript = (psid: string) => stores.conversations.transcript(`messenger:${psid}`);
  const waitForEntry = async (psid: string, test: (e: { id: string; direction: string }) => boolean) => {
    const deadline = Date.now() + 15_000;
    while (!(await transcript(psid)).some(test)) {
      if (Date.now() > deadline) throw new Error('the transcript entry never came');
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  /** Every job the last messages could have started has run (what was not sent by then never will be). */
  const settle = () => untilIdle(app!.queues());
  /** Real time passing: the hand-off's quiet time is counted on the clock. */
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

  test('when staff answer in the Page Inbox, then the words are on the transcript (not sent again), the bot keeps quiet for the quiet time, then answers again', async () => {
    await start();
    await andWait(() => write(CITIZEN, 'xin chào'), CITIZEN, 'cần hỗ trợ việc gì');
    const lastInbound = await stores.conversations.lastInboundAt('messenger', CITIZEN);
    const sentBefore = fake.sent('messenger').length;

    const staffWords = 'Chào anh, em là cán bộ tư pháp. Anh mang bản gốc CCCD nhé.';
    await deliver(echoItem({ psid: CITIZEN, mid: 'm_inbox_1', text: staffWords, appId: PAGE_INBOX_APP_ID }));
    await waitForEntry(CITIZEN, (e) => e.id === 'page:m_inbox_1');
    const line = (await transcript(CITIZEN)).find((e) => e.id === 'page:m_inbox_1');
    expect(line).toMatchObject({ direction: 'out', status: 'sent', platformMessageId: 'm_inbox_1', text: `[Page Inbox] ${staffWords}` });
    // Nothing was sent for it, and the citizen's window is not refreshed by the Page's own words.
    expect(fake.sent('messenger').length).toBe(sentBefore);
    expect(await stores.conversations.lastInboundAt('messenger', CITIZEN)).toBe(lastInbound);

    // The citizen answers the person: kept on the transcript, no bot answer.
    await write(CITIZEN, 'làm giấy khai sinh cần gì');
    await waitForEntry(CITIZEN, (e) => e.direction === 'in' && e.id === `m_pi_${mid}`);
    await settle();
    expect(fake.sent('messenger').length).toBe(sentBefore);

    // After the quiet time the bot answers again.
    await wait(3200);
    const said = await andWait(() => write(CITIZEN, 'menu'), CITIZEN, 'cần hỗ trợ việc gì');
    expect(said.length).toBeGreaterThan(0);
  });

  test('when our own send’s echo arrives, then it is ignored; when a Page Inbox echo is delivered twice, then it has one effect', async () => {
    await start();
    await andWait(() => write(CITIZEN, 'xin chào'), CITIZEN, 'cần hỗ trợ việc gì');

    // The echo of what the bot sent (our app's id): no transcript line, no pause.
    await deliver(echoItem({ psid: CITIZEN, mid: 'm_own_1', text: 'Kính chào ông/bà!', appId: OUR_APP_ID }));
    await andWait(() => write(CITIZEN, 'menu'), CITIZEN, 'cần hỗ trợ việc gì');
    expect((await transcript(CITIZEN)).some((e) => e.id.includes('m_own_1'))).toBe(false);

    // The same Page Inbox echo, delivered twice (Meta retries): one line.
    const echo = echoItem({ psid: CITIZEN, mid: 'm_inbox_dup', text: 'Dạ, em nghe ạ.', appId: PAGE_INBOX_APP_ID });
    await deliver(echo);
    await deliver(echo);
    await waitForEntry(CITIZEN, (e) => e.id === 'page:m_inbox_dup');
    await settle();
    expect((await transcript(CITIZEN)).filter((e) => e.id === 'page:m_inbox_dup')).toHaveLength(1);
  });

  test('when staff answer in the Page Inbox while a hand-off waits, then it ends as answered there, both officials told of it are told, and the bot stays quiet', async () => {
    await start({ HANDOFF_QUIET_MINUTES: '30' });
    for (const [id, psid] of [
      ['van-phong', DUTY],
      ['mot-cua', BACKUP],
    ] as const) {
      const o = await stores.officials.get(id);
      await stores.officials.upsert({ ...o!, accounts: [{ channel: 'messenger', userId: psid }] });
      await stores.conversations.touchInbound('messenger', psid, Date.now());
    }
    await andWait(() => write(CITIZEN, 'gặp cán bộ'), CITIZEN, 'tóm tắt');
    const said = await andWait(() => write(CITIZEN, 'Hỏi về cấp lại sổ đỏ'), CITIZEN, 'HT-');
    const code = /HT-[A-Z0-9]{5}/.exec(said.join(' '))![0];
    await fake.waitFor(() => textsTo(DUTY).some((t) => t.includes(code)), 15_000);

    await deliver(echoItem({ psid: CITIZEN, mid: 'm_inbox_ho', text: 'Chào chị, em ở bộ phận một cửa.', appId: PAGE_INBOX_APP_ID }));
    await fake.waitFor(() => textsTo(DUTY).some((t) => t.includes('Page Inbox')), 15_000);
    await fake.waitFor(() => textsTo(BACKUP).some((t) => t.includes('Page Inbox')), 15_000);
    expect(await stores.handoffs.findByCode(code)).toMatchObject({ status: 'ended', endReason: 'page_inbox' });

    // The bot stays quiet for the citizen too: no "kept for the official", no flow answer.
    const before = textsTo(CITIZEN).length;
    await write(CITIZEN, 'dạ vâng');
    await waitForEntry(CITIZEN, (e) => e.direction === 'in' && e.id === `m_pi_${mid}`);
    await settle();
    expect(textsTo(CITIZEN).slice(before)).toEqual([]);
  });

  test('when a citizen opens an m.me link with ref=<procedure id>, then the bot explains that procedure', async () => {
    await start();
    await andWait(() => write(CITIZEN, 'xin chào'), CITIZEN, 'cần hỗ trợ việc gì');
    // The introduction and the explanation are two messages: wait for the explanation's documents.
    const said = await andWait(() => deliver(referralItem({ psid: CITIZEN, ref: 'khai-sinh' })), CITIZEN, 'Giấy tờ cần mang');
    const all = said.join('\n');
    expect(all).toContain('trợ lý tự động');
    expect(all).toContain('Đăng ký khai sinh');
    expect(all).toMatch(/Tờ khai/i);
  });

  test('when Get Started follows a QR code with ref=MENU_BOOK, then the booking flow starts; an unknown ref gets the greeting', async () => {
    await start();
    // Booking asks for consent to personal data first, from inside the booking flow.
    const booking = await andWait(() => deliver(getStartedItem({ psid: OTHER, mid: 'm_gs_1', ref: 'MENU_BOOK' })), OTHER, 'Ông/bà có đồng ý không?');
    expect(booking.join('\n')).toContain('trợ lý tự động');
    const state = (await stores.conversations.get(`messenger:${OTHER}`))?.state as { engine?: { frames?: { flow: string }[] } };
    expect(state.engine?.frames?.map((f) => f.flow)).toContain('booking');

    // The greeting and the menu are two messages: wait for the menu, the last of them.
    const greeting = await andWait(() => deliver(referralItem({ psid: CITIZEN, ref: 'poster-cu-2019' })), CITIZEN, 'cần hỗ trợ việc gì');
    expect(greeting.join('\n')).toContain('Cảm ơn ông/bà đã nhắn tin');
  });
});
