import { join } from 'node:path';
import { renderMessengerMessages } from '../../src/channels/messenger/render';
import { ZALO_MAX_BUTTONS } from '../../src/channels/zalo/render';
import { createChatSession, localActionHandlers, localCivic, type ChatSession } from '../../src/cli/chat';
import { loadFlowRegistry } from '../../src/conversation';
import { createTranslator } from '../../src/i18n';
import { LOCALES_DIR } from '../../src/paths';

const FLOWS = join(__dirname, '../../flows');
const NOW = () => Date.UTC(2026, 2, 2, 2, 0);

async function session(platform: 'messenger' | 'zalo' = 'messenger') {
  return createChatSession({ registry: loadFlowRegistry(FLOWS), t: await createTranslator(LOCALES_DIR), handlers: await localActionHandlers(FLOWS), platform, now: NOW });
}

async function sessionWithStores(platform: 'messenger' | 'zalo') {
  const civic = await localCivic(FLOWS, NOW);
  const chat = createChatSession({ registry: loadFlowRegistry(FLOWS), t: await createTranslator(LOCALES_DIR), ...civic, platform, now: NOW });
  return { chat, stores: civic.stores };
}

const said = (shown: { text: string }[]) => shown.map((s) => s.text).join('\n');

/** `/tap N` on the shown choice whose title matches (the first one without a title). */
function tapper(chat: ChatSession) {
  return (title?: RegExp) => {
    const i = title ? chat.offered().findIndex((o) => title.test(o.title)) : 0;
    if (i < 0 || chat.offered().length === 0) throw new Error(`no choice ${String(title)} in ${JSON.stringify(chat.offered())}`);
    return chat.type(`/tap ${i + 1}`);
  };
}

async function filePetition(chat: ChatSession) {
  const tap = tapper(chat);
  await chat.send({ type: 'follow' });
  await tap(/Phản ánh, kiến nghị/);
  await tap(/^Đồng ý/);
  await tap(/^Phản ánh$/);
  await tap(/Môi trường/);
  await chat.type('thon 1');
  await chat.type('Rác thải đổ ven đường liên thôn gần cầu, bốc mùi từ tuần trước.');
  await tap(/Bỏ qua/);
  await tap(/Bỏ qua/);
  await tap(/Bỏ qua/);
  expect(said(await chat.type('091 234 5678'))).toContain('+84912345678');
  const confirmation = said(await tap(/^Gửi$/));
  const code = /mã hồ sơ: (PA-[A-Z0-9]{5})/.exec(confirmation)?.[1];
  expect(code).toBeDefined();
  return { code: code!, confirmation };
}

async function bookAppointment(chat: ChatSession) {
  const tap = tapper(chat);
  await chat.send({ type: 'follow' });
  await tap(/Đặt lịch hẹn/);
  await tap(/^Đồng ý/);
  await tap(/Hộ tịch/);
  expect(chat.offered()[0].title).toMatch(/^(Thứ|Chủ nhật)/);
  await tap();
  expect(chat.offered()[0].title).toMatch(/^\d{1,2}h\d{2}-\d{1,2}h\d{2}$/);
  await tap();
  await chat.type('Nguyễn Văn An');
  expect(said(await chat.type('0912345678'))).toContain('+84912345678');
  return said(await tap(/^Có$/));
}

describe('the terminal chat (npm run chat)', () => {
  it('when a newcomer asks about a procedure without diacritics, then it is explained with documents, fee and the portal', async () => {
    const chat = await session();
    expect(said(await chat.send({ type: 'follow' }))).toContain('trợ lý tự động');
    const answer = said(await chat.type('lam giay khai sinh cho con'));
    expect(answer).toContain('Đăng ký khai sinh');
    expect(answer).toContain('Giấy chứng sinh');
    expect(answer).toContain('dichvucong.gov.vn');
  });

  it('when a citizen files a petition end to end on Messenger, then they get a code and a due date and can look it up', async () => {
    const chat = await session('messenger');
    const { code, confirmation } = await filePetition(chat);
    // Received Monday 2/3/2026 09:00 Vietnam time: 10 working days -> Monday 16/3/2026.
    expect(confirmation).toContain('Thứ Hai, 16/03/2026');
    await tapper(chat)(/Tra cứu hồ sơ/);
    const lookup = said(await chat.type(code.toLowerCase()));
    expect(lookup).toContain(code);
    expect(lookup).toMatch(/Đã tiếp nhận|Đã giao|tiếp nhận/);
  });

  it('when a citizen books an appointment on Messenger, then the confirmation repeats the day, the time and the place, and says which reminders they will get', async () => {
    const shown = await bookAppointment(await session('messenger'));
    expect(shown).toMatch(/LH-[A-Z0-9-]+/);
    expect(shown).toMatch(/\d{2}\/\d{2}\/2026/);
    expect(shown).toMatch(/\d{1,2}h\d{2}/);
    expect(shown).toMatch(/Trung tâm Phục vụ hành chính công|UBND xã/);
    expect(shown).toMatch(/nhắc/i);
  });
});

describe('the terminal chat shows and delivers what the platforms do', () => {
  it('when a question has more choices than Zalo buttons, then they come four at a time with "Xem thêm", as the server sends them, and every one can be tapped', async () => {
    const chat = await session('zalo');
    await chat.send({ type: 'follow' });
    await chat.type('phan anh');
    await chat.type('dong y');
    const shown = await chat.type('phan anh');
    const categories = shown.find((s) => s.text.includes('lĩnh vực'))!;
    expect(categories.taps.map((t) => t.title)).toEqual(['Đất đai', 'Bồi thường, GPMB', 'Môi trường', 'An ninh trật tự', 'Xem thêm']);
    expect(categories.taps.every((t) => t.kind === 'zalo_query')).toBe(true);
    expect(categories.text.match(/^ {2}\[ \d+\. /gm)).toHaveLength(ZALO_MAX_BUTTONS);
    const second = (await chat.type('/tap 5')).find((s) => s.text.includes('lĩnh vực'))!;
    expect(second.taps.map((t) => t.title)).toEqual(['Hạ tầng, giao thông', 'Chính sách xã hội', 'Xây dựng trái phép', 'Thái độ cán bộ', 'Xem thêm']);
    const third = (await chat.type('/tap 5')).find((s) => s.text.includes('lĩnh vực'))!;
    expect(third.taps.map((t) => t.title)).toEqual(['Đê điều, thiên tai', 'Nghề cá', 'Khác', 'Xem thêm']);
    expect(said(await chat.type('/tap 2'))).toContain('thôn nào');
  });

  it('when the procedures are offered on Messenger, then each chip shows its short label whole, the title the Send API body carries', async () => {
    const chat = await session('messenger');
    await chat.send({ type: 'follow' });
    const shown = await chat.type('chung thuc');
    const offered = chat.offered();
    expect(offered.length).toBeGreaterThan(0);
    expect(offered.length).toBeLessThanOrEqual(13);
    // short labels from the catalogue: nothing is cut to "Chứng thực hợp…"
    expect(offered.some((o) => o.title.endsWith('…'))).toBe(false);
    for (const o of offered) {
      expect([...o.title].length).toBeLessThanOrEqual(20);
      expect(said(shown)).toContain(`. ${o.title} )`);
    }
    // The chips are the renderer's own: the same list as a Send API body for the same choices would carry.
    const body = renderMessengerMessages('u', { type: 'text', text: 'x', choices: offered.map((o) => ({ title: o.title, payload: o.payload })) })[0];
    expect(body).toMatchObject({ message: { quick_replies: offered.map((o) => ({ title: o.title, payload: o.payload })) } });
  });

  it.each(['messenger', 'zalo'] as const)('when a citizen types "5" at the rating question on %s, then the case is rated 5, as the server records it', async (platform) => {
    const { chat, stores } = await sessionWithStores(platform);
    const filed = await stores.cases.create({
      kind: 'petition',
      petitionType: 'feedback',
      category: 'environment',
      village: 'Thôn 1',
      content: 'Rác thải đổ ven đường',
      attachments: [],
      channel: platform,
      userId: 'console-user',
      status: 'resolved',
      dueAt: NOW() + 86_400_000,
      createdAt: NOW() - 86_400_000,
      history: [{ at: NOW() - 86_400_000, by: 'citizen', what: 'received' }],
    });
    await chat.send({ type: 'follow' });
    expect(said(await chat.type('danh gia'))).toContain('hài lòng');
    await chat.type('5');
    await chat.type('khong lan nao');
    await chat.type('bo qua');
    const thanks = said(await chat.type(filed.code));
    expect(thanks).toContain(filed.code);
    expect((await stores.cases.findByCode(filed.code))?.rating?.score).toBe(5);
  });

  it('when /tap names no choice on screen, then the terminal says so and the assistant gets nothing', async () => {
    const chat = await session('messenger');
    await chat.send({ type: 'follow' });
    const before = chat.offered();
    const shown = await chat.type(`/tap ${before.length + 1}`);
    expect(shown).toHaveLength(1);
    expect(said(shown)).toMatch(/no choice \d+ to tap/);
    expect(chat.offered()).toEqual(before);
  });
});

// These need the engine to take a text equal to an offered payload as the tap (Zalo delivers a button
// tap as user_send_text whose text is the payload); enable once that is on main.
describe('the terminal chat on Zalo: taps delivered as payload text', () => {
  it('when a citizen files a petition end to end on Zalo by tapping, then they get a code and a due date', async () => {
    const { confirmation } = await filePetition(await session('zalo'));
    expect(confirmation).toContain('Thứ Hai, 16/03/2026');
  });

  it('when a citizen books an appointment on Zalo by tapping, then the confirmation gives the code, the day and the time', async () => {
    const shown = await bookAppointment(await session('zalo'));
    expect(shown).toMatch(/LH-[A-Z0-9-]+/);
    expect(shown).toMatch(/\d{2}\/\d{2}\/2026/);
  });

  it('when a citizen taps "Phản ánh, kiến nghị" on the Zalo menu, then the petition starts instead of "chưa hiểu"', async () => {
    const chat = await session('zalo');
    await chat.send({ type: 'follow' });
    const shown = said(await tapper(chat)(/Phản ánh, kiến nghị/));
    expect(shown).not.toMatch(/chưa hiểu/);
    expect(chat.offered().some((o) => /^Đồng ý/.test(o.title))).toBe(true);
  });
});

describe('the terminal chat: talking to an official', () => {
  it('when a citizen asks for an official, then the bot pauses, the official on duty answers with /official, and the bot resumes after /official-end', async () => {
    const { chat } = await sessionWithStores('messenger');
    await chat.send({ type: 'follow' });
    await chat.type('gap can bo');
    const opened = said(await chat.type('hoi ve tach thua dat'));
    // The officials on duty are told, with the topic; the citizen learns the assistant is paused.
    expect(opened).toMatch(/\[→ .+\] \[Gặp cán bộ\] HT-/);
    expect(opened).toContain('hoi ve tach thua dat');
    expect(opened).toContain('trợ lý tự động tạm dừng');

    const answered = said(await chat.official('Chào ông, tôi là cán bộ địa chính.'));
    expect(answered).toMatch(/Cán bộ .+: Chào ông, tôi là cán bộ địa chính\./);

    // The assistant stays silent: the citizen's words go to the official.
    const relayed = await chat.type('thu tuc khai sinh');
    expect(said(relayed)).toMatch(/^\[→ .+\] \[HT-\w+\] Người dân: thu tuc khai sinh$/);
    expect(said(relayed)).not.toContain('Đăng ký khai sinh');

    expect(said(await chat.official(null))).toContain('Trợ lý tự động hoạt động lại');
    expect(said(await chat.type('thu tuc khai sinh'))).toContain('Đăng ký khai sinh');
  });
});
