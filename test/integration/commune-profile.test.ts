import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChatSession, localCivic, type ChatSession } from '../../src/cli/chat';
import { loadCommuneData } from '../../src/commune-data';
import { createCommuneDataInUse } from '../../src/commune-data-in-use';
import { loadFlowRegistry } from '../../src/conversation';
import { createFlowsInUse } from '../../src/flows-in-use';
import { createTranslator } from '../../src/i18n';
import { LOCALES_DIR } from '../../src/paths';
import { silentLogger } from '../../src/shared/logger';
import { createMemoryStores } from '../../src/store/memory';

const FLOWS = join(__dirname, '../../flows');
/** Monday 2 March 2026, 09:00 in Vietnam */
const MONDAY_9 = Date.UTC(2026, 2, 2, 2, 0);

const ADDRESS = 'Số 18 đường Lê Lợi, thôn Trung Hòa';
const CENTRE = '0237 3861 234';
const DISASTER = '0237 3861 999';
const WASTE = 'Công ty Môi trường Hoa Lộc, 0237 3861 555';

/** The bundled flows and data, with a commune profile as a commune would fill it in. */
function communeWithFacts(): string {
  const dir = mkdtempSync(join(tmpdir(), 'commune-profile-'));
  cpSync(FLOWS, dir, { recursive: true });
  const profile = readFileSync(join(FLOWS, 'data', 'commune.yaml'), 'utf8')
    .replace('address: ""', `address: "${ADDRESS}"`)
    .replace('centrePhone: ""', `centrePhone: "${CENTRE}"`)
    .replace('dutyPhone: ""', 'dutyPhone: "0237 3861 000"')
    .replace('disasterLine: ""', `disasterLine: "${DISASTER}"`)
    .replace('wasteCollector: { vi: "", en: "" }', `wasteCollector: { vi: "${WASTE}", en: "${WASTE}" }`)
    .replace('  days: ""', '  days: "Thứ Năm hằng tuần, buổi sáng"')
    .replace('  place: ""', '  place: "Phòng tiếp công dân, tầng 1 trụ sở UBND xã"')
    .replace(/controller: \{ vi: "UBND xã Hoa Lộc, tỉnh Thanh Hóa"/, 'controller: { vi: "Ủy ban nhân dân xã Hoa Lộc"');
  writeFileSync(join(dir, 'data', 'commune.yaml'), profile);
  return dir;
}

async function chatIn(dir: string, now = MONDAY_9): Promise<{ chat: ChatSession; say: (line: string) => Promise<string>; tap: (title: RegExp) => Promise<string> }> {
  const clock = () => now;
  const civic = await localCivic(dir, clock);
  const registry = loadFlowRegistry(dir).withCommune(loadCommuneData(dir).texts);
  const chat = createChatSession({ registry, t: await createTranslator(LOCALES_DIR), ...civic, platform: 'messenger', now: clock });
  const text = (shown: { text: string }[]) => shown.map((s) => s.text).join('\n');
  return {
    chat,
    say: async (line) => text(await chat.type(line)),
    tap: async (title) => {
      const i = chat.offered().findIndex((o) => title.test(o.title));
      if (i < 0) throw new Error(`no choice ${String(title)} in ${JSON.stringify(chat.offered())}`);
      return text(await chat.type(`/tap ${i + 1}`));
    },
  };
}

describe('the commune profile (flows/data/commune.yaml) is the one source of the commune facts citizens see', () => {
  const dir = communeWithFacts();

  it('when the address and the centre phone are filled in, then a procedure explanation says where, with the phone and the desk hours', async () => {
    const { chat, say } = await chatIn(dir);
    await chat.send({ type: 'follow' });
    const answer = await say('lam giay khai sinh cho con');
    expect(answer).toContain(`Nơi nộp: Trung tâm Phục vụ hành chính công xã, ${ADDRESS} (điện thoại ${CENTRE})`);
    expect(answer).toContain('Thời gian tiếp nhận: Thứ Hai - Thứ Sáu: 7h30-11h30, 13h30-17h00');
    expect(answer).not.toContain('cập nhật');
  });

  it('when an appointment is booked, then the consent notice names the controller with its address and phone, and the confirmation the place', async () => {
    const { chat, say, tap } = await chatIn(dir);
    await chat.send({ type: 'follow' });
    const notice = await tap(/Đặt lịch hẹn/);
    expect(notice).toContain(`Bên kiểm soát dữ liệu cá nhân: Ủy ban nhân dân xã Hoa Lộc, ${ADDRESS}, điện thoại ${CENTRE}.`);
    await tap(/^Đồng ý/);
    await tap(/Hộ tịch/);
    await chat.type('/tap 1');
    await chat.type('/tap 1');
    await say('Nguyễn Văn An');
    await say('0912345678');
    const confirmation = await tap(/^Có$/);
    expect(confirmation).toContain(ADDRESS);
  });

  it('when a flood is reported, then the emergency answer gives the commune disaster line of the profile', async () => {
    const { say } = await chatIn(dir);
    expect(await say('vỡ đê rồi nước dâng cao lắm')).toContain(`gọi ngay ${DISASTER} (Ban chỉ huy phòng chống thiên tai xã)`);
  });

  it('when a citizen asks when the waste truck comes, then the waste collector of the profile is named', async () => {
    const { say } = await chatIn(dir);
    expect(await say('xe rác mấy giờ tới vậy ad')).toContain(`do đơn vị thu gom của xã phụ trách: ${WASTE}`);
  });

  it('when the citizen asks for an official or is greeted, then the texts name the controller of the profile', async () => {
    const { chat, say } = await chatIn(dir);
    expect((await chat.send({ type: 'follow' })).map((s) => s.text).join('\n')).toContain('Ủy ban nhân dân xã Hoa Lộc');
    expect(await say('gặp cán bộ')).toContain('Ủy ban nhân dân xã Hoa Lộc là bên kiểm soát');
  });

  it('when a citizen-reception appointment is chosen, then the reception days of the profile are said', async () => {
    const { chat, tap } = await chatIn(dir);
    await chat.send({ type: 'follow' });
    await tap(/Đặt lịch hẹn/);
    await tap(/^Đồng ý/);
    expect(await tap(/Tiếp công dân/)).toContain('Lịch tiếp công dân của Chủ tịch UBND xã: Thứ Năm hằng tuần, buổi sáng, tại Phòng tiếp công dân');
  });

  it('when the shipped demo profile has no disaster line, then the flood answer gives 112 and never an unfilled placeholder', async () => {
    const { say } = await chatIn(FLOWS);
    const answer = await say('lu lut ngap sau qua');
    expect(answer).toContain('gọi ngay 112');
    expect(answer).not.toMatch(/cập nhật|\{\{/);
  });

  it('when an admin publishes a new commune.yaml, then the texts and the catalogue in use say the new address without a restart', async () => {
    const { flows: flowStore } = createMemoryStores();
    const data = createCommuneDataInUse({ dir: FLOWS, flowStore, log: silentLogger });
    const flows = createFlowsInUse({ dir: FLOWS, flowStore, log: silentLogger, commune: () => data.current().texts });
    const before = flows.current();
    expect(before.commune?.vi.address).toBe('');
    await flowStore.publish('data:commune', readFileSync(join(FLOWS, 'data', 'commune.yaml'), 'utf8').replace('address: ""', `address: "${ADDRESS}"`), 'lan', 1);
    await data.refresh();
    expect(flows.current().commune?.vi.address).toBe(ADDRESS);
    expect(flows.current()).toBe(flows.current());
    const birth = data.live.catalogue.procedures.find((p) => p.id === 'khai-sinh')!;
    expect(birth.where.vi).toBe(`Trung tâm Phục vụ hành chính công xã, ${ADDRESS}`);
    expect(data.live.texts.vi.address).toBe(ADDRESS);
  });

  it('when procedures.yaml writes its own office address beside commune.yaml, then the data are refused naming the file and line', () => {
    const twice = mkdtempSync(join(tmpdir(), 'commune-profile-'));
    cpSync(FLOWS, twice, { recursive: true });
    const file = join(twice, 'data', 'procedures.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  portal: https://dichvucong.gov.vn', '  address: "Thôn 1"\n  portal: https://dichvucong.gov.vn'));
    expect(() => loadCommuneData(twice)).toThrow(/procedures\.yaml:\d+: office\.address: the address is written once, in commune\.yaml/);
  });

  it('when the profile says demo: false and a value is still empty, then the data are refused with the file and line', () => {
    const real = mkdtempSync(join(tmpdir(), 'commune-profile-'));
    cpSync(FLOWS, real, { recursive: true });
    const file = join(real, 'data', 'commune.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^demo: true$/m, 'demo: false'));
    expect(() => loadCommuneData(real)).toThrow(/commune\.yaml:\d+: placeholder: an empty value: address/);
  });

  it('when a phone number in the profile is not a number, then the file is refused', () => {
    const bad = mkdtempSync(join(tmpdir(), 'commune-profile-'));
    cpSync(FLOWS, bad, { recursive: true });
    const file = join(bad, 'data', 'commune.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('centrePhone: ""', 'centrePhone: "gọi trưởng thôn"'));
    expect(() => loadCommuneData(bad)).toThrow(/commune\.yaml:\d+: centrePhone: a phone number/);
  });
});

describe('office facts (hôm nay xã có làm việc không, giờ làm việc, địa chỉ, số điện thoại) from the commune data', () => {
  const dir = communeWithFacts();
  const at = (y: number, m: number, d: number, h: number, min = 0) => Date.UTC(y, m - 1, d, h - 7, min);

  it.each([
    ['hôm nay xã có làm việc không', at(2026, 3, 2, 9), ['Hôm nay, Thứ Hai, 02/03/2026, xã có làm việc: 7h30-11h30, 13h30-17h00.', 'Bây giờ đang trong giờ làm việc (đến 11h30).']],
    ['hom nay xa co lam viec khong', at(2026, 3, 2, 12), ['xã có làm việc', 'Bây giờ ngoài giờ làm việc; xã làm việc lại lúc 13h30 hôm nay.']],
    ['hôm nay ủy ban có làm việc không ạ', at(2026, 3, 7, 8), ['Hôm nay, Thứ Bảy, 07/03/2026, xã nghỉ (ngày nghỉ cuối tuần), không làm việc.', 'Xã làm việc lại từ 7h30 Thứ Hai, 09/03/2026.']],
    ['hom nay xa co nghi khong', at(2026, 2, 17, 9), ['Hôm nay, Thứ Ba, 17/02/2026, xã nghỉ Tết Nguyên đán (mùng 1), không làm việc.', 'Xã làm việc lại từ 7h30 Thứ Hai, 23/02/2026.']],
    ['hôm nay xã có làm việc không', at(2026, 1, 10, 8), ['Hôm nay, Thứ Bảy, 10/01/2026, xã có làm việc (ngày làm bù', '7h30-11h30, 13h30-17h00']],
    ['hôm nay xã có làm việc không', at(2026, 3, 2, 18), ['Xã làm việc lại từ 7h30 Thứ Ba, 03/03/2026.']],
  ])('"%s" at a fixed time answers from office-hours.yaml and holidays.yaml', async (question, now, expected) => {
    const { say } = await chatIn(dir, now);
    const answer = await say(question);
    for (const e of expected) expect(answer).toContain(e);
    expect(answer).toContain(ADDRESS);
  });

  it.each(['mấy giờ ủy ban mở cửa vậy', 'may gio uy ban mo cua vay', 'giờ làm việc của xã thế nào'])('"%s" gives the desk hours and today', async (question) => {
    const { say } = await chatIn(dir, at(2026, 3, 2, 9));
    const answer = await say(question);
    expect(answer).toContain('Giờ làm việc của Trung tâm Phục vụ hành chính công xã: Thứ Hai - Thứ Sáu: 7h30-11h30, 13h30-17h00');
    expect(answer).toContain('Hôm nay, Thứ Hai, 02/03/2026');
  });

  it.each(['ủy ban xã ở đâu', 'uy ban xa o dau', 'cho mình xin địa chỉ xã'])('"%s" gives the address of the profile', async (question) => {
    const { say } = await chatIn(dir);
    expect(await say(question)).toContain(`Trung tâm Phục vụ hành chính công xã: ${ADDRESS}`);
  });

  it.each(['số điện thoại xã là gì', 'so dien thoai uy ban', 'cho xin sđt xã'])('"%s" gives the phone numbers of the profile', async (question) => {
    const { say } = await chatIn(dir);
    const answer = await say(question);
    expect(answer).toContain(`Trung tâm Phục vụ hành chính công xã: ${CENTRE}`);
    expect(answer).toContain(`Phòng chống thiên tai: ${DISASTER}`);
    expect(answer).toContain('113');
  });

  it('when the commune has not given its address yet, then the answer says so instead of guessing', async () => {
    const { say } = await chatIn(FLOWS);
    const answer = await say('xã ở đâu');
    expect(answer).toContain('xã chưa cập nhật thông tin này');
    expect(answer).not.toContain('Số 18');
  });

  it('when asked in English, then the answer is in English', async () => {
    const { say } = await chatIn(dir, at(2026, 3, 7, 8));
    const answer = await say('is the office open today?');
    expect(answer).toContain('Today, Saturday, 07/03/2026, the commune office is closed (weekend).');
    expect(answer).toContain('It opens again at 7:30 on Monday, 09/03/2026.');
  });

  it('when asked about the citizen reception, then the days and place of the profile are said with the law', async () => {
    const { say } = await chatIn(dir);
    const answer = await say('lịch tiếp công dân của chủ tịch xã');
    expect(answer).toContain('Lịch tiếp công dân của Chủ tịch UBND xã: Thứ Năm hằng tuần, buổi sáng, tại Phòng tiếp công dân');
    expect(answer).toContain('Điều 15');
  });
});
