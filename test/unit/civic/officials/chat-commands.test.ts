import { join } from 'node:path';
import { CASE_CATEGORY_IDS, fileCase, type CaseOutcome, type FileCaseRequest } from '../../../../src/civic/cases';
import { handleOfficialMessage, type OfficialChatDeps, type OfficialReply } from '../../../../src/civic/officials/chat-commands';
import { handoffCommandList } from '../../../../src/civic/handoff/handoff-text';
import { parseOfficialCommand } from '../../../../src/civic/officials/chat-command-parse';
import { issueLinkCode } from '../../../../src/civic/officials/link-account';
import { routeCase } from '../../../../src/civic/officials/route-case';
import { loadRoutingRules } from '../../../../src/civic/officials/routing-rules';
import { seedOfficials } from '../../../../src/civic/officials/seed-officials';
import { fixedClock } from '../../../../src/shared/clock';
import { createMemoryStores } from '../../../../src/store/memory';
import type { Case } from '../../../../src/store/ports';

const T0 = Date.UTC(2026, 2, 2, 2, 0, 0);
const DAY = 86_400_000;
const ROUTING = loadRoutingRules(join(__dirname, '../../../../flows/data/routing.yaml'), { categories: CASE_CATEGORY_IDS });
/** The Zalo account of dia-chinh-1, who handles land matters of Thôn 1 and 2. */
const DIA_CHINH_1 = { channel: 'zalo', userId: 'zalo-dc1' };
const DIA_CHINH_2 = { channel: 'zalo', userId: 'zalo-dc2' };
const CHAIR = { channel: 'messenger', userId: 'psid-chair' };
const CITIZEN = { channel: 'zalo', userId: 'zalo-citizen' };
const ANSWER = 'Đã kiểm tra thực địa, hộ bên cạnh đã trả lại lối đi chung.';

async function world() {
  const { officials, cases } = createMemoryStores();
  await seedOfficials(officials, ROUTING);
  const clock = fixedClock(T0);
  const changes: CaseOutcome[] = [];
  const deps: OfficialChatDeps = {
    officials,
    cases,
    now: clock.now,
    onCaseChange: async (o) => {
      changes.push(o);
    },
  };
  const roster = await officials.list();
  const fileDeps = {
    cases,
    now: clock.now,
    route: (c: { category: string; village: string }) => routeCase(ROUTING, roster, c),
    dueDate: (c: { receivedAt: number }) => c.receivedAt + 10 * DAY,
  };
  let codes = 0;
  /** Issues a code to the official and sends LIENKET from `account`. */
  const link = async (officialId: string, account: { channel: string; userId: string }) => {
    const code = `7K3M9Q${'23456789'[codes++]}A`;
    await issueLinkCode({ officials, now: clock.now, randomCode: () => code }, officialId);
    return handleOfficialMessage(deps, { ...account, text: `LIENKET ${code}` });
  };
  const file = async (overrides: Partial<FileCaseRequest> = {}): Promise<Case> => {
    const request: FileCaseRequest = {
      category: 'land',
      village: 'Thôn 1',
      content: 'Nhà bên cạnh lấn sang lối đi chung khoảng 1 mét.',
      name: 'Lê Văn Tám',
      phone: '0912 345 678',
      consent: { version: '2026-01', at: T0 - 60_000 },
      ...CITIZEN,
      ...overrides,
    };
    const { case: c } = await fileCase(fileDeps, request);
    clock.advance(60_000);
    return c;
  };
  const say = (account: { channel: string; userId: string }, text: string) => handleOfficialMessage(deps, { ...account, text });
  const tap = (account: { channel: string; userId: string }, payload: string) => handleOfficialMessage(deps, { ...account, payload, text: 'Nhận' });
  return { officials, cases, clock, deps, changes, link, file, say, tap };
}

function texts(result: { replies: OfficialReply[] } | null): string {
  expect(result).not.toBeNull();
  return (result?.replies ?? []).map((r) => r.text).join('\n---\n');
}

describe('linking an account', () => {
  test('when an official sends LIENKET with their code, then they are welcomed by name and shown the commands', async () => {
    const w = await world();
    const result = await w.link('dia-chinh-1', DIA_CHINH_1);
    const text = texts(result);
    expect(text).toContain('Phạm Văn D');
    for (const word of ['HOSO', 'NHAN', 'XONG', 'GIAO', 'TRACUU', 'GHICHU']) expect(text).toContain(word);
    expect((await w.officials.findByAccount('zalo', 'zalo-dc1'))?.id).toBe('dia-chinh-1');
  });

  test('when the code is written "liên kết" in NFD with spaces in the code, then it links too', async () => {
    const w = await world();
    await issueLinkCode({ officials: w.officials, now: w.clock.now, randomCode: () => '7K3M9Q2A' }, 'dia-chinh-2');
    const result = await w.say(DIA_CHINH_2, '  lie\u0302n ke\u0302\u0301t   7k3m 9q2a ');
    expect(texts(result)).toContain('Hoàng Thị E');
  });

  test('when the code is wrong or expired, then one and the same answer, and nothing is linked', async () => {
    const w = await world();
    await issueLinkCode({ officials: w.officials, now: w.clock.now, randomCode: () => '7K3M9Q2A' }, 'dia-chinh-1');
    const wrong = texts(await w.say(DIA_CHINH_1, 'LIENKET 7K3M9Q2B'));
    w.clock.advance(2 * DAY);
    const expired = texts(await w.say(DIA_CHINH_1, 'LIENKET 7K3M9Q2A'));
    expect(wrong).toBe(expired);
    expect(wrong).toMatch(/không đúng hoặc đã hết hạn/);
    expect(await w.officials.findByAccount('zalo', 'zalo-dc1')).toBeNull();
  });
});

describe('messages that are not an official command', () => {
  test('when an unlinked person writes ordinary words, HOSO or TRACUU, then null: the flows answer', async () => {
    const w = await world();
    const c = await w.file();
    for (const text of ['xin chào', 'hồ sơ của tôi', 'HOSO', `TRACUU ${c.code}`, 'nhận được rồi, cảm ơn']) {
      expect(await w.say(CITIZEN, text)).toBeNull();
    }
  });

  test('when an unlinked account sends NHAN <code>, then it is told the account is not linked', async () => {
    const w = await world();
    const c = await w.file();
    expect(texts(await w.say(CITIZEN, `NHAN ${c.code}`))).toMatch(/chưa được liên kết/);
    expect((await w.cases.get(c.id))?.status).toBe('assigned');
  });

  test('when a linked official writes something that is not a command, then null, so they can use the bot as a citizen', async () => {
    const w = await world();
    await w.link('dia-chinh-1', DIA_CHINH_1);
    for (const text of ['Tôi muốn làm giấy khai sinh', 'nhận được rồi', 'xong', 'giao hàng giúp tôi', 'DANHGIA PA-7K3M9 5']) {
      expect(await w.say(DIA_CHINH_1, text)).toBeNull();
    }
  });

  test('when a payload is not an official one, then null whatever the button title says', async () => {
    const w = await world();
    await w.link('dia-chinh-1', DIA_CHINH_1);
    expect(await handleOfficialMessage(w.deps, { ...DIA_CHINH_1, payload: 'MENU_LOOKUP', text: 'HOSO' })).toBeNull();
  });
});

describe('listing and viewing', () => {
  test('when the official sends HOSO, then each open case comes with "Nhận" and "Xem" buttons', async () => {
    const w = await world();
    await w.link('dia-chinh-1', DIA_CHINH_1);
    const a = await w.file();
    const b = await w.file({ village: 'Thôn 2' });
    await w.file({ village: 'Thôn 3' }); // dia-chinh-2's
    const result = await w.say(DIA_CHINH_1, 'HOSO');
    expect(result?.replies[0]).toEqual({ type: 'text', text: expect.stringContaining('2 hồ sơ') });
    expect(result?.replies.slice(1)).toEqual([
      { type: 'buttons', text: expect.stringContaining(a.code), buttons: [{ type: 'postback', title: 'Nhận', payload: `OFFICIAL_ACCEPT:${a.code}` }, { type: 'postback', title: 'Xem', payload: `OFFICIAL_VIEW:${a.code}` }] },
      { type: 'buttons', text: expect.stringContaining(b.code), buttons: [{ type: 'postback', title: 'Nhận', payload: `OFFICIAL_ACCEPT:${b.code}` }, { type: 'postback', title: 'Xem', payload: `OFFICIAL_VIEW:${b.code}` }] },
    ]);
    for (const r of result?.replies ?? []) if (r.type === 'buttons') expect(r.buttons.length).toBeLessThanOrEqual(3);
  });

  test.each(['hồ sơ của tôi', 'ho so cua toi', 'DS', '  Hồ   Sơ  CỦA tôi ', 'ho\u0302\u0300 so\u031b cu\u0309a to\u0302i'])('when the official sends "%s", then the list comes', async (text) => {
    const w = await world();
    await w.link('dia-chinh-1', DIA_CHINH_1);
    expect(texts(await w.say(DIA_CHINH_1, text))).toMatch(/không có hồ sơ nào/);
  });

  test('when the official taps "Xem", then the full case: content, village, due date, contact and history', async () => {
    const w = await world();
    await w.link('dia-chinh-1', DIA_CHINH_1);
    const c = await w.file();
    const text = texts(await w.tap(DIA_CHINH_1, `OFFICIAL_VIEW:${c.code}`));
    expect(text).toContain(c.content);
    expect(text).toContain('Thôn 1');
    expect(text).toContain('Hạn xử lý: Thứ Năm, 12/03/2026');
    expect(text).toContain('Lê Văn Tám, +84912345678');
    expect(text).toMatch(/Diễn biến:\n• .*Tiếp nhận \(công dân\)\n• .*Giao cho Ví dụ: Phạm Văn D/);
  });

  test('when the case is a kiến nghị, then the list line and the full case name its type, and who sent it is "người kiến nghị"', async () => {
    const w = await world();
    await w.link('dia-chinh-1', DIA_CHINH_1);
    const c = await w.file({ petitionType: 'proposal' });
    const listed = texts(await w.say(DIA_CHINH_1, 'HOSO'));
    expect(listed).toContain(`${c.code} — Kiến nghị, `);
    const text = texts(await w.tap(DIA_CHINH_1, `OFFICIAL_VIEW:${c.code}`));
    expect(text).toContain(`Hồ sơ ${c.code} — Kiến nghị, `);
    expect(text).toContain('Người kiến nghị: Lê Văn Tám, +84912345678');
    expect(text).not.toMatch(/phản ánh/i);
  });

  test('when the backup or the chair asks TRACUU, then they see it; another official is refused', async () => {
    const w = await world();
    await w.link('pho-chu-tich-kinh-te', { channel: 'zalo', userId: 'zalo-backup' });
    await w.link('chu-tich', CHAIR);
    await w.link('dia-chinh-2', DIA_CHINH_2);
    const c = await w.file();
    expect(c.backupId).toBe('pho-chu-tich-kinh-te');
    expect(texts(await w.say({ channel: 'zalo', userId: 'zalo-backup' }, `tra cứu ${c.code.toLowerCase()}`))).toContain(c.content);
    expect(texts(await w.say(CHAIR, `TRACUU ${c.code}`))).toContain(c.content);
    expect(texts(await w.say(DIA_CHINH_2, `TRACUU ${c.code}`))).toMatch(/không do đồng chí phụ trách/);
  });

  test('when an official looks up a petition they filed themselves as a citizen, then null: the citizen lookup answers', async () => {
    const w = await world();
    await w.link('dia-chinh-2', DIA_CHINH_2);
    const own = await w.file({ ...DIA_CHINH_2 });
    expect(await w.say(DIA_CHINH_2, `TRACUU ${own.code}`)).toBeNull();
  });
});

describe('acting on a case', () => {
  test('when the official links, lists, taps "Nhận", notes, then answers, then the case is resolved and every change reaches onCaseChange', async () => {
    const w = await world();
    await w.link('dia-chinh-1', DIA_CHINH_1);
    const c = await w.file();

    expect(texts(await w.tap(DIA_CHINH_1, `OFFICIAL_ACCEPT:${c.code}`))).toMatch(/đã nhận xử lý hồ sơ/);
    expect(texts(await w.say(DIA_CHINH_1, `GHICHU ${c.code} Đã hẹn gặp hộ dân sáng thứ Hai.`))).toMatch(/Đã ghi chú/);
    expect(texts(await w.say(DIA_CHINH_1, `XONG ${c.code} ${ANSWER}`))).toMatch(/được giải quyết/);

    const stored = await w.cases.get(c.id);
    expect(stored?.status).toBe('resolved');
    expect(stored?.resolution).toEqual({ answer: ANSWER, by: 'dia-chinh-1', at: T0 + 60_000 });
    expect(stored?.history.map((e) => e.what)).toEqual(['received', 'assigned', 'accepted', 'note', 'resolved']);
    expect(stored?.history[3].note).toBe('Đã hẹn gặp hộ dân sáng thứ Hai.');
    expect(w.changes.map((o) => [o.case.status, o.notices.map((n) => n.kind)])).toEqual([
      ['in_progress', ['status_changed']],
      ['in_progress', []],
      ['resolved', ['resolved', 'rate_request']],
    ]);
  });

  test('when commands are typed without diacritics, in lower case, NFD, with extra spaces and a split code, then they work', async () => {
    const w = await world();
    await w.link('dia-chinh-1', DIA_CHINH_1);
    const c = await w.file();
    const [prefix, body] = c.code.split('-');
    expect(texts(await w.say(DIA_CHINH_1, `  nhận   ${prefix.toLowerCase()} ${body.toLowerCase()} `))).toMatch(/đã nhận xử lý/);
    expect(texts(await w.say(DIA_CHINH_1, `ghi chu\u0301 ${c.code}: đã gọi điện`))).toMatch(/Đã ghi chú/);
    expect(texts(await w.say(DIA_CHINH_1, `xong ${prefix}${body}\n${ANSWER}\nTrân trọng.`))).toMatch(/được giải quyết/);
    expect((await w.cases.get(c.id))?.resolution?.answer).toBe(`${ANSWER}\nTrân trọng.`);
  });

  test('when the official transfers by name without diacritics, then the case goes to that official, who must accept it', async () => {
    const w = await world();
    await w.link('dia-chinh-1', DIA_CHINH_1);
    await w.link('dia-chinh-2', DIA_CHINH_2);
    const c = await w.file();
    expect(texts(await w.say(DIA_CHINH_1, `GIAO ${c.code} hoang thi e`))).toMatch(/Đã giao hồ sơ .* Hoàng Thị E .*\(dia-chinh-2\)/);
    expect(w.changes[0].case).toMatchObject({ status: 'transferred', assigneeId: 'dia-chinh-2' });
    expect(w.changes[0].notices).toContainEqual({ to: 'official', officialId: 'dia-chinh-2', kind: 'assigned' });
    expect(texts(await w.say(DIA_CHINH_2, `NHAN ${c.code}`))).toMatch(/đã nhận xử lý/);
  });

  test('when GIAO names an official by id, or ambiguously, or nobody, then it transfers, lists the candidates, or says so', async () => {
    const w = await world();
    await w.link('dia-chinh-1', DIA_CHINH_1);
    const c = await w.file();
    expect(texts(await w.say(DIA_CHINH_1, `GIAO ${c.code} cong chuc dia chinh`))).toMatch(/Có nhiều cán bộ[\s\S]*dia-chinh-1[\s\S]*dia-chinh-2/);
    expect(texts(await w.say(DIA_CHINH_1, `GIAO ${c.code} Nguyễn Văn Z`))).toMatch(/Không tìm thấy cán bộ/);
    expect(w.changes).toEqual([]);
    expect(texts(await w.say(DIA_CHINH_1, `GIAO ${c.code} CONG-AN-XA`))).toMatch(/cong-an-xa/);
    expect((await w.cases.get(c.id))?.assigneeId).toBe('cong-an-xa');
  });

  test('when the chair gives out a case nobody holds, then it is assigned', async () => {
    const w = await world();
    await w.link('chu-tich', CHAIR);
    await w.link('dia-chinh-1', DIA_CHINH_1);
    const { case: c } = await fileCase(
      { cases: w.cases, now: w.clock.now, route: () => null, dueDate: (x) => x.receivedAt + 10 * DAY },
      { category: 'land', village: 'Thôn 1', content: 'Nhà bên cạnh lấn sang lối đi chung khoảng 1 mét.', ...CITIZEN },
    );
    expect(texts(await w.say(DIA_CHINH_1, `GIAO ${c.code} dia-chinh-1`))).toMatch(/chỉ Chủ tịch hoặc Phó Chủ tịch/);
    expect(texts(await w.say(CHAIR, `giao ${c.code} dia-chinh-1`))).toMatch(/Đã giao hồ sơ/);
    expect(w.changes.map((o) => o.case.status)).toEqual(['assigned']);
  });
});

describe('refusals', () => {
  test('when the code cannot be a case code, or no case has it, then the official is told the code is wrong', async () => {
    const w = await world();
    await w.link('dia-chinh-1', DIA_CHINH_1);
    expect(texts(await w.say(DIA_CHINH_1, 'NHAN PA-12'))).toMatch(/Mã hồ sơ "PA-12" không đúng/);
    expect(texts(await w.say(DIA_CHINH_1, 'NHAN PA-22222'))).toMatch(/Không tìm thấy hồ sơ PA-22222/);
    expect(texts(await w.tap(DIA_CHINH_1, 'OFFICIAL_VIEW:PA-22222'))).toMatch(/Không tìm thấy hồ sơ/);
  });

  test("when an official acts on someone else's case, then CASE_NOT_YOURS in words and nothing changes", async () => {
    const w = await world();
    await w.link('dia-chinh-2', DIA_CHINH_2);
    const c = await w.file();
    for (const text of [`NHAN ${c.code}`, `XONG ${c.code} ${ANSWER}`, `GHICHU ${c.code} xem giúp`, `GIAO ${c.code} cong-an-xa`]) {
      expect(texts(await w.say(DIA_CHINH_2, text))).toMatch(/không do đồng chí phụ trách/);
    }
    expect((await w.cases.get(c.id))?.version).toBe(c.version);
    expect(w.changes).toEqual([]);
  });

  test('when the case is closed, then the official is told it cannot change', async () => {
    const w = await world();
    await w.link('dia-chinh-1', DIA_CHINH_1);
    const c = await w.file();
    await w.say(DIA_CHINH_1, `XONG ${c.code} ${ANSWER}`);
    expect(texts(await w.say(DIA_CHINH_1, `XONG ${c.code} ${ANSWER}`))).toMatch(/đã kết thúc \(đã giải quyết\)/);
    expect(texts(await w.say(DIA_CHINH_1, `GHICHU ${c.code} thêm`))).toMatch(/đã kết thúc/);
    expect(w.changes).toHaveLength(1);
  });

  test('when XONG has no answer or one shorter than 10 characters, then the official is asked for it and nothing changes', async () => {
    const w = await world();
    await w.link('dia-chinh-1', DIA_CHINH_1);
    const c = await w.file();
    expect(texts(await w.say(DIA_CHINH_1, `XONG ${c.code}`))).toMatch(/nội dung trả lời công dân \(ít nhất 10 ký tự\)/);
    expect(texts(await w.say(DIA_CHINH_1, `XONG ${c.code} đã xong`))).toMatch(/ít nhất 10 ký tự/);
    expect((await w.cases.get(c.id))?.status).toBe('assigned');
  });

  test('when the official accepts twice, then the second time says it is already theirs', async () => {
    const w = await world();
    await w.link('dia-chinh-1', DIA_CHINH_1);
    const c = await w.file();
    await w.say(DIA_CHINH_1, `NHAN ${c.code}`);
    expect(texts(await w.say(DIA_CHINH_1, `NHAN ${c.code}`))).toMatch(/đã nhận hồ sơ .* rồi/);
  });

  test('when the linked official is no longer active, then commands are refused', async () => {
    const w = await world();
    await w.link('dia-chinh-1', DIA_CHINH_1);
    const me = await w.officials.get('dia-chinh-1');
    if (me) await w.officials.upsert({ ...me, active: false });
    expect(texts(await w.say(DIA_CHINH_1, 'HOSO'))).toMatch(/tạm ngưng/);
  });
});

describe('parseOfficialCommand', () => {
  test.each([
    ['NHAN PA-7K3M9', { kind: 'accept', code: { typed: 'PA-7K3M9', code: 'PA-7K3M9' } }],
    ['nhận pa 7k3m9 nhé', { kind: 'accept', code: { typed: 'pa 7k3m9', code: 'PA-7K3M9' } }],
    ['Tra cứu: PA7K3M9', { kind: 'view', code: { typed: 'PA7K3M9', code: 'PA-7K3M9' } }],
    ['GIAO PA-7K3M9   Hoàng Thị E', { kind: 'transfer', code: { typed: 'PA-7K3M9', code: 'PA-7K3M9' }, target: 'Hoàng Thị E' }],
    ['NHAN 7K3M9', { kind: 'accept', code: { typed: '7K3M9', code: null } }],
  ])('"%s" reads as %j', (text, command) => {
    expect(parseOfficialCommand(text)).toEqual(command);
  });

  test.each(['nhận 2 cái', 'xong rồi', 'giao hàng tận nơi', 'tra cứu thủ tục khai sinh'])('"%s" is not a command', (text) => {
    expect(parseOfficialCommand(text)).toBeNull();
  });
});

describe('HUONGDAN', () => {
  test('when hand-offs are open, then HUONGDAN lists their commands after the case commands', async () => {
    const w = await world();
    await w.link('dia-chinh-1', DIA_CHINH_1);
    const without = texts(await w.say(DIA_CHINH_1, 'huongdan'));
    expect(without).toContain('NHAN');
    expect(without).not.toContain('NHANHT');
    w.deps.moreHelp = handoffCommandList();
    const help = texts(await w.say(DIA_CHINH_1, 'HUONGDAN'));
    expect(help).toContain('NHANHT <mã>');
    expect(help).toContain('TL <mã> <nội dung>');
    expect(help.indexOf('NHANHT')).toBeGreaterThan(help.indexOf('XONG'));
  });
});
