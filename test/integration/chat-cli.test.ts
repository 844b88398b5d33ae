import { join } from 'node:path';
import { createChatSession, localActionHandlers, localCivic } from '../../src/cli/chat';
import { loadFlowRegistry } from '../../src/conversation';
import { createTranslator } from '../../src/i18n';
import { LOCALES_DIR } from '../../src/paths';

const FLOWS = join(__dirname, '../../flows');

async function session(style: 'messenger' | 'zalo' = 'messenger') {
  return createChatSession({ registry: loadFlowRegistry(FLOWS), t: await createTranslator(LOCALES_DIR), handlers: await localActionHandlers(FLOWS), style, now: () => Date.UTC(2026, 2, 2, 2, 0) });
}

const said = (shown: { text: string }[]) => shown.map((s) => s.text).join('\n');

describe('the terminal chat (npm run chat)', () => {
  it('when a newcomer asks about a procedure without diacritics, then it is explained with documents, fee and the portal', async () => {
    const chat = await session();
    expect(said(await chat.send({ type: 'follow' }))).toContain('trợ lý tự động');
    const answer = said(await chat.send({ type: 'text', text: 'lam giay khai sinh cho con' }));
    expect(answer).toContain('Đăng ký khai sinh');
    expect(answer).toContain('Giấy chứng sinh');
    expect(answer).toContain('dichvucong.gov.vn');
  });

  it('when a citizen files a petition end to end, then they get a code and a due date and can look it up', async () => {
    const chat = await session('zalo');
    await chat.send({ type: 'follow' });
    const tap = (title: RegExp) => {
      const c = chat.offered().find((o) => title.test(o.title));
      if (!c) throw new Error(`no choice ${title} in ${JSON.stringify(chat.offered())}`);
      return chat.send({ type: 'postback', payload: c.payload, title: c.title });
    };
    await tap(/Phản ánh, kiến nghị/);
    await tap(/^Đồng ý/);
    await tap(/^Phản ánh$/);
    await tap(/Môi trường/);
    await chat.send({ type: 'text', text: 'thon 1' });
    await chat.send({ type: 'text', text: 'Rác thải đổ ven đường liên thôn gần cầu, bốc mùi từ tuần trước.' });
    await tap(/Bỏ qua/);
    await tap(/Bỏ qua/);
    await tap(/Bỏ qua/);
    expect(said(await chat.send({ type: 'text', text: '091 234 5678' }))).toContain('+84912345678');
    const confirmation = said(await tap(/^Gửi$/));
    const code = /mã hồ sơ: (PA-[A-Z0-9]{5})/.exec(confirmation)?.[1];
    expect(code).toBeDefined();
    // Received Monday 2/3/2026 09:00 Vietnam time: 10 working days -> Monday 16/3/2026.
    expect(confirmation).toContain('Thứ Hai, 16/03/2026');
    await tap(/Tra cứu hồ sơ/);
    const lookup = said(await chat.send({ type: 'text', text: code!.toLowerCase() }));
    expect(lookup).toContain(code!);
    expect(lookup).toMatch(/Đã tiếp nhận|Đã giao|tiếp nhận/);
  });

  it('when a citizen books an appointment, then the confirmation repeats the day, the time and the place, and says which reminders they will get', async () => {
    const chat = await session('zalo');
    await chat.send({ type: 'follow' });
    const tapFirst = async (title?: RegExp) => {
      const c = title ? chat.offered().find((o) => title.test(o.title)) : chat.offered()[0];
      if (!c) throw new Error(`no choice ${String(title)} in ${JSON.stringify(chat.offered())}`);
      return chat.send({ type: 'postback', payload: c.payload, title: c.title });
    };
    await tapFirst(/Đặt lịch hẹn/);
    await tapFirst(/^Đồng ý/);
    await tapFirst(/Hộ tịch/);
    expect(chat.offered()[0].title).toMatch(/^(Thứ|Chủ nhật)/);
    await tapFirst();
    expect(chat.offered()[0].title).toMatch(/^\d{1,2}h\d{2}-\d{1,2}h\d{2}$/);
    await tapFirst();
    await chat.send({ type: 'text', text: 'Nguyễn Văn An' });
    expect(said(await chat.send({ type: 'text', text: '0912345678' }))).toContain('+84912345678');
    const shown = said(await tapFirst(/^Có$/));
    expect(shown).toMatch(/LH-[A-Z0-9-]+/);
    expect(shown).toMatch(/\d{2}\/\d{2}\/2026/);
    expect(shown).toMatch(/\d{1,2}h\d{2}/);
    expect(shown).toMatch(/Trung tâm Phục vụ hành chính công|UBND xã/);
    expect(shown).toMatch(/nhắc/i);
  });
});

describe('the terminal chat: talking to an official', () => {
  it('when a citizen asks for an official, then the bot pauses, the official on duty answers with /official, and the bot resumes after /official-end', async () => {
    const FLOWS_DIR = FLOWS;
    const civic = await localCivic(FLOWS_DIR, () => Date.UTC(2026, 2, 2, 2, 0));
    const chat = createChatSession({ registry: loadFlowRegistry(FLOWS_DIR), t: await createTranslator(LOCALES_DIR), ...civic, style: 'messenger', now: () => Date.UTC(2026, 2, 2, 2, 0) });
    await chat.send({ type: 'follow' });
    await chat.send({ type: 'text', text: 'gap can bo' });
    const opened = said(await chat.send({ type: 'text', text: 'hoi ve tach thua dat' }));
    // The officials on duty are told, with the topic; the citizen learns the assistant is paused.
    expect(opened).toMatch(/\[→ .+\] \[Gặp cán bộ\] HT-/);
    expect(opened).toContain('hoi ve tach thua dat');
    expect(opened).toContain('trợ lý tự động tạm dừng');

    const answered = said(await chat.official('Chào ông, tôi là cán bộ địa chính.'));
    expect(answered).toMatch(/Cán bộ .+: Chào ông, tôi là cán bộ địa chính\./);

    // The assistant stays silent: the citizen's words go to the official.
    const relayed = await chat.send({ type: 'text', text: 'thu tuc khai sinh' });
    expect(said(relayed)).toMatch(/^\[→ .+\] \[HT-\w+\] Người dân: thu tuc khai sinh$/);
    expect(said(relayed)).not.toContain('Đăng ký khai sinh');

    expect(said(await chat.official(null))).toContain('Trợ lý tự động hoạt động lại');
    expect(said(await chat.send({ type: 'text', text: 'thu tuc khai sinh' }))).toContain('Đăng ký khai sinh');
  });
});
