import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { signMessengerBody } from '../../src/channels/messenger';
import { dueDate } from '../../src/civic/calendar/due-date';
import { isoOfDay, localDayOf } from '../../src/civic/calendar/vietnam-time';
import type { RunningApp } from '../../src/main';
import { createMemoryStores } from '../../src/store/memory';
import type { Stores } from '../../src/store/ports';
import { SECRETS, startTestApp } from '../helpers/app';
import { startFakePlatforms } from '../helpers/fake-platforms';
import { deleteKeys, uniquePrefix } from '../helpers/redis';
import { until } from '../helpers/until';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
const DATA = join(__dirname, '../../flows/data');
const file = (name: string) => readFileSync(join(DATA, name), 'utf8');

/** A procedure the bundled catalogue does not have. */
const BEEKEEPING = `procedures:
  - id: dang-ky-nuoi-ong
    name: { vi: "Đăng ký nuôi ong mật", en: "Beekeeping registration" }
    short: { vi: "Nuôi ong mật", en: "Beekeeping" }
    aliases: [đăng ký nuôi ong mật, nuôi ong mật]
    keywords: [nuôi ong, ong mật]
    documents:
      - { vi: "Tờ khai đăng ký nuôi ong (theo mẫu của xã)", en: "The commune's beekeeping form" }
    processingTime: { vi: "03 ngày làm việc", en: "3 working days" }
    fee: { vi: Miễn phí, en: Free }
    legalBasis: { vi: "Quy định của UBND xã", en: "The commune's rule" }
`;

/** A Messenger body for a typed text or a quick-reply tap, escaped as Meta writes it. */
function body(psid: string, mid: string, text: string, payload?: string): string {
  const esc = (s: string) => s.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const qr = payload ? `,"quick_reply":{"payload":"${payload}"}` : '';
  const now = Date.now();
  return `{"object":"page","entry":[{"id":"PAGE","time":${now},"messaging":[{"sender":{"id":"${psid}"},"recipient":{"id":"PAGE"},"timestamp":${now},"message":{"mid":"${mid}","text":"${esc(text)}"${qr}}}]}]}`;
}

describe('commune data published from the console, live without a restart', () => {
  jest.setTimeout(60_000);
  let fake: Awaited<ReturnType<typeof startFakePlatforms>>;
  let prefix: string;
  let stores: Stores;
  let web: RunningApp & { url: string };
  let worker: RunningApp & { url: string };

  beforeEach(async () => {
    fake = await startFakePlatforms();
    prefix = uniquePrefix();
    // Two processes sharing one store, as with MongoDB: the admin publishes on the web one, the
    // worker one answers citizens and must pick the new data up by itself.
    stores = createMemoryStores();
    web = await startTestApp({ prefix, fake, role: 'web', stores, env: { ADMIN_TOKEN } });
    worker = await startTestApp({ prefix, fake, role: 'worker', stores, env: { ADMIN_TOKEN } });
  });

  afterEach(async () => {
    await web.stop();
    await worker.stop();
    await fake.close();
    await deleteKeys(prefix);
  });

  const publish = (name: string, source: string) => request(web.url).post(`/admin/api/commune-data/${name}`).set('Authorization', `Bearer ${ADMIN_TOKEN}`).send({ source });

  /** A citizen on Messenger: each message waits for the answer that contains `waitFor`. */
  function citizen(psid: string) {
    let n = 0;
    const said = () => fake.sent('messenger').filter((r) => (r.body.recipient as { id: string }).id === psid).map((r) => JSON.stringify(r.body.message));
    return {
      said,
      async send(text: string, payload?: string, waitFor?: string): Promise<string> {
        const before = said().length;
        const raw = body(psid, `m_${psid}_${++n}`, text, payload);
        const res = await request(web.url).post('/webhooks/messenger').set('Content-Type', 'application/json').set('X-Hub-Signature-256', signMessengerBody(raw, SECRETS.MESSENGER_APP_SECRET)).send(raw);
        expect(res.status).toBe(200);
        await fake.waitFor(() => said().length > before && (!waitFor || said().slice(before).join(' ').includes(waitFor)), 15_000);
        return said().slice(before).join(' ');
      },
    };
  }

  it('when an admin publishes a new procedure, then a citizen asking for it in chat gets its explanation, in the other process too', async () => {
    const before = await citizen('psid-bee-1').send('dang ky nuoi ong mat');
    expect(before).not.toContain('Tờ khai đăng ký nuôi ong');

    const res = await publish('procedures', file('procedures.yaml').replace(/^procedures:\n/m, BEEKEEPING));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'procedures', version: 1 });
    await until('the worker takes the catalogue', () => worker.communeData().catalogue.procedures.some((p) => p.id === 'dang-ky-nuoi-ong'));

    await citizen('psid-bee-2').send('dang ky nuoi ong mat', undefined, 'Miễn phí');
    const text = fake
      .sent('messenger')
      .filter((r) => (r.body.recipient as { id: string }).id === 'psid-bee-2')
      .map((r) => (r.body.message as { text?: string }).text ?? '')
      .join('\n');
    expect(text).toContain('Đăng ký nuôi ong mật');
    expect(text).toContain('Tờ khai đăng ký nuôi ong (theo mẫu của xã)');
    expect(text).toContain('Miễn phí');
  });

  it('when an admin publishes a day off, then a new petition\'s due date skips it', async () => {
    const calendar = worker.communeData().cases!.calendar;
    const usualDue = dueDate(calendar, { kind: 'feedback', category: 'land', receivedAt: Date.now() });
    const dayOff = isoOfDay(localDayOf(usualDue));
    // One entry a day: a swapped working Saturday on that date gives way to the day off.
    const others = file('holidays.yaml').split('\n').filter((l) => !l.includes(`date: ${dayOff}`)).join('\n');
    const holidays = `${others.trimEnd()}\n  - { date: ${dayOff}, kind: day_off, name: { vi: Nghỉ theo quyết định của xã, en: Commune day off } }\n`;
    expect((await publish('holidays', holidays)).status).toBe(201);
    await until('the worker takes the holidays', () => worker.communeData().cases!.calendar.holidays.days.some((d) => d.date === dayOff));

    const c = citizen('psid-petition-1');
    await c.send('Phản ánh, kiến nghị', 'MENU_PETITION', 'CONSENT_YES');
    await c.send('Đồng ý', 'CONSENT_YES', 'KIND_FEEDBACK');
    await c.send('Phản ánh', 'KIND_FEEDBACK', 'CAT_LAND');
    await c.send('Đất đai', 'CAT_LAND');
    await c.send('thon 1');
    await c.send('Nhà bên cạnh lấn chiếm lối đi chung của xóm từ tháng trước, đã nhắc nhưng không dỡ.');
    await c.send('Bỏ qua', 'SKIP');
    await c.send('Bỏ qua', 'SKIP');
    await c.send('Bỏ qua', 'SKIP');
    await c.send('0912 345 678', undefined, 'PETITION_SEND');
    await c.send('Gửi', 'PETITION_SEND', 'PA-');

    const filed = (await stores.cases.list({ limit: 10 })).cases.find((x) => x.userId === 'psid-petition-1');
    expect(filed).toBeDefined();
    expect(isoOfDay(localDayOf(filed!.dueAt))).not.toBe(dayOff);
    expect(filed!.dueAt).toBeGreaterThan(usualDue);
    // The same 10 working days, counted on the published calendar.
    expect(filed!.dueAt).toBe(dueDate(worker.communeData().cases!.calendar, { kind: 'feedback', category: 'land', receivedAt: filed!.createdAt }));
  });

  it('when an admin publishes one place per slot, then a slot someone booked is no longer offered', async () => {
    const book = async (psid: string) => {
      const c = citizen(psid);
      await c.send('Đặt lịch hẹn', 'MENU_BOOK', 'CONSENT_YES');
      await c.send('Đồng ý', 'CONSENT_YES', 'SERVICE_OTHER');
      const days = await c.send('Việc khác', 'SERVICE_OTHER', 'payload');
      const day = /"payload":"(\d{4}-\d{2}-\d{2})"/.exec(days)?.[1];
      expect(day).toBeDefined();
      const slots = await c.send(day!, day, 'payload');
      return { c, day: day!, slots: [...slots.matchAll(/"payload":"([^"]+)"/g)].map((m) => m[1]).filter((p) => p.startsWith(`${day!}T`)) };
    };
    const first = await book('psid-desk-1');
    const slot = first.slots[0];
    await first.c.send(slot, slot);
    await first.c.send('Nguyễn Văn An');
    await first.c.send('0912 345 678');
    await first.c.send('Có', undefined, first.day.slice(8));
    expect((await stores.appointments.listByDay(first.day)).filter((a) => a.status === 'booked')).toHaveLength(1);

    // Four places a slot: the booked slot is still offered to the next person.
    expect((await book('psid-desk-2')).slots).toContain(slot);

    const desk = file('desk.yaml').replace('capacityPerSlot: 4', 'capacityPerSlot: 1');
    expect((await publish('desk', desk)).status).toBe(201);
    await until('the worker takes the desk settings', () => worker.communeData().desk?.capacityPerSlot === 1);
    const after = await book('psid-desk-3');
    expect(after.slots).not.toContain(slot);
    expect(after.slots.length).toBeGreaterThan(0);
  });

  it('when a file does not pass the checks, then 400 with the file and line, nothing is stored, and citizens keep the data in use', async () => {
    const broken = file('holidays.yaml').replace('date: 2025-01-01', 'date: 2025-02-30');
    const res = await publish('holidays', broken);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.problems[0]).toMatchObject({ file: 'holidays.yaml (draft)', line: expect.any(Number), message: expect.stringContaining('2025-02-30') });
    const lines = broken.split('\n');
    expect(lines[res.body.error.problems[0].line - 1]).toContain('2025-02-30');

    // A procedure the desk books cannot disappear from the catalogue.
    const withoutKhaiTu = file('procedures.yaml').replace(/\n {2}- id: khai-tu\n[\s\S]*?(?=\n {2}- id: )/, '');
    const refused = await publish('procedures', withoutKhaiTu);
    expect(refused.status).toBe(400);
    expect(refused.body.error.problems).toEqual([expect.objectContaining({ file: 'desk.yaml', message: expect.stringContaining('"khai-tu"') })]);

    expect(await stores.flows.history('data:holidays')).toEqual([]);
    expect(await stores.flows.history('data:procedures')).toEqual([]);
    expect(worker.communeData().catalogue.procedures.some((p) => p.id === 'khai-tu')).toBe(true);
  });

  it('when a flow names a procedure that the catalogue does not have, then its publish is refused on that line', async () => {
    const flow = readFileSync(join(__dirname, '../../flows/procedures.yaml'), 'utf8');
    const fixed = flow.replace('  - id: take_best\n    set: { procedure_id: "{{found.data.matches.0.id}}" }', '  - id: take_best\n    set: { procedure_id: khai-sinh-cu }');
    expect(fixed).not.toBe(flow);
    const check = await request(web.url).post('/admin/api/flows/procedures/check').set('Authorization', `Bearer ${ADMIN_TOKEN}`).send({ source: fixed });
    expect(check.body.ok).toBe(false);
    const res = await request(web.url).post('/admin/api/flows/procedures').set('Authorization', `Bearer ${ADMIN_TOKEN}`).send({ source: fixed });
    expect(res.status).toBe(400);
    const problem = res.body.error.problems.find((p: { message: string }) => p.message.includes('khai-sinh-cu'));
    expect(problem).toMatchObject({ file: 'procedures (draft)', line: expect.any(Number) });
    expect(fixed.split('\n')[problem.line - 1]).toContain('khai-sinh-cu');
    expect(await stores.flows.history('procedures')).toEqual([]);
  });

  it('when an admin rolls back, then the earlier version is in use again and the audit log has both texts', async () => {
    const desk = file('desk.yaml');
    expect((await publish('desk', desk.replace('capacityPerSlot: 4', 'capacityPerSlot: 2'))).status).toBe(201);
    expect((await publish('desk', desk.replace('capacityPerSlot: 4', 'capacityPerSlot: 3'))).status).toBe(201);
    await until('the worker takes version 2', () => worker.communeData().desk?.capacityPerSlot === 3);

    const back = await request(web.url).post('/admin/api/commune-data/desk/rollback').set('Authorization', `Bearer ${ADMIN_TOKEN}`).send({ version: 1 });
    expect(back.status).toBe(201);
    expect(back.body).toMatchObject({ name: 'desk', version: 3 });
    await until('the worker takes the rollback', () => worker.communeData().desk?.capacityPerSlot === 2);

    const shown = await request(web.url).get('/admin/api/commune-data/desk').set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(shown.body).toMatchObject({ from: 'data:desk@3', history: [{ version: 1 }, { version: 2 }, { version: 3 }] });
    expect(shown.body.source).toContain('capacityPerSlot: 2');

    const entries = (await stores.audit.list()).filter((e) => e.target === 'data:desk');
    const rollback = entries.find((e) => e.action === 'data.rollback');
    expect(rollback).toMatchObject({ actor: 'admin-token', before: { from: 'data:desk@2' }, after: { from: 'data:desk@3', version: 3 } });
    expect(JSON.stringify(rollback!.before)).toContain('capacityPerSlot: 3');
    expect(JSON.stringify(rollback!.after)).toContain('capacityPerSlot: 2');
    expect(entries.find((e) => e.action === 'data.publish' && (e.before as { from: string }).from === 'desk.yaml')).toBeDefined();
  });
});
