import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Page } from 'playwright-core';
import { CHROMIUM, HAS_CHROMIUM, suiteBrowser } from '../helpers/browser';
import request from 'supertest';
import { loadDeskSettings } from '../../src/civic/appointments/desk-settings';
import { isWorkingLocalDay, stepWorkingDay } from '../../src/civic/calendar/working-days';
import { isoOfDay, localDayOf } from '../../src/civic/calendar/vietnam-time';
import type { CaseOutcome } from '../../src/civic/cases';
import { loadCatalogue } from '../../src/civic/procedures/catalogue';
import { createAppointmentReminders, type AppointmentReminders } from '../../src/jobs/appointment-reminders';
import { createResultDateJobs, type ResultDateJobs } from '../../src/jobs/result-date-jobs';
import type { RunningApp } from '../../src/main';
import { silentLogger } from '../../src/shared/logger';
import { createMemoryStores } from '../../src/store/memory';
import type { Stores } from '../../src/store/ports';
import { SECRETS, startTestApp } from '../helpers/app';
import { caseApiApp } from '../helpers/case-api-app';
import { startConsoleApp } from '../helpers/console-app';
import { startFakePlatforms } from '../helpers/fake-platforms';
import { messengerTextBody } from '../helpers/messenger-bodies';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis';
import { HOUR, recordingSender, until, type SentMessage } from '../integration/case-jobs-fixture';
import { ROOT, shippedCalendar } from '../unit/civic/calendar/shipped-calendar';

const ARTIFACTS = join(__dirname, '../../artifacts/e2e');
const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';
const PASSWORD = 'mat-khau-dai-2025';
const mainMenu = readFileSync(join(__dirname, '../../flows/main-menu.yaml'), 'utf8');
const holidays = readFileSync(join(__dirname, '../../flows/data/holidays.yaml'), 'utf8');
const calendar = shippedCalendar();

// Debian's chromium is installed by .ci/run; without it this suite cannot run, and says so.
const describeIfChromium = HAS_CHROMIUM ? describe : describe.skip; // skipped: no chromium at /usr/bin/chromium (apt-get install -y chromium)
if (!HAS_CHROMIUM) console.warn(`console e2e skipped: chromium is not installed at ${CHROMIUM} (apt-get install -y chromium)`);

jest.setTimeout(120_000);
jest.retryTimes(1, { logErrorsBeforeRetry: true });

describeIfChromium('the admin console in headless Chromium', () => {
  let fake: Awaited<ReturnType<typeof startFakePlatforms>>;
  let prefix: string;
  let app: RunningApp & { url: string };
  let consoleApp: Awaited<ReturnType<typeof startConsoleApp>>;
  let world: Awaited<ReturnType<typeof caseApiApp>>;
  const browser = suiteBrowser();
  const liveBrowser = () => browser.live();
  let queue: Queue;
  let stores: Stores;
  // The desk's reminder and result-date jobs, on a Redis prefix of their own (the app's workers stay out).
  let apptPrefix: string;
  let apptRedis: Redis;
  let reminders: AppointmentReminders;
  let results: ResultDateJobs;
  const chatSent: SentMessage[] = [];
  const notices: CaseOutcome['notices'] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    fake = await startFakePlatforms();
    prefix = uniquePrefix();
    world = await caseApiApp();
    stores = { ...createMemoryStores(), cases: world.cases, officials: world.officials };
    app = await startTestApp({ prefix, fake, stores, env: { ADMIN_TOKEN } });
    queue = new Queue('case-deadlines', { connection: { url: TEST_REDIS_URL }, prefix });
    apptPrefix = uniquePrefix();
    apptRedis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const jobs = {
      redis: apptRedis,
      redisUrl: TEST_REDIS_URL,
      prefix: apptPrefix,
      appointments: stores.appointments,
      conversations: stores.conversations,
      officials: stores.officials,
      catalogue: loadCatalogue(join(ROOT, 'flows/data/procedures.yaml')),
      desk: loadDeskSettings(join(ROOT, 'flows/data/desk.yaml')),
      calendar,
      senders: { zalo: recordingSender('zalo', chatSent), messenger: recordingSender('messenger', chatSent) },
      log: silentLogger,
    };
    reminders = createAppointmentReminders({ ...jobs, backoffBaseMs: 50 });
    results = createResultDateJobs(jobs);
    await queue.add('remind', { caseId: 'e2e' }, { delay: 3_600_000, jobId: 'e2e-remind' });
    consoleApp = await startConsoleApp({
      prefix,
      adminToken: ADMIN_TOKEN,
      stores,
      queues: [queue],
      onCaseChange: (o) => void notices.push(...o.notices),
      handoffs: { store: stores.handoffs, routing: world.routing },
      appointments: {
        appointments: stores.appointments,
        officials: stores.officials,
        calendar,
        reminders: reminders.planner,
        undeliverable: (limit) => reminders.undeliverable(limit),
        resultNotifier: results.notifier,
      },
    });
    const bearer = (path: string, body: object) => request(consoleApp.url).post(path).set('Authorization', `Bearer ${ADMIN_TOKEN}`).send(body);
    expect((await bearer('/admin/api/setup', { username: 'lan', password: PASSWORD })).status).toBe(201);
    expect((await bearer('/admin/api/users', { username: 'hoa', password: PASSWORD, role: 'viewer' })).status).toBe(201);
    // Two officials with console accounts: the office (on duty in routing.yaml) and the one-stop desk.
    expect((await bearer('/admin/api/users', { username: 'minh', password: PASSWORD, role: 'official', officialId: 'van-phong' })).status).toBe(201);
    expect((await bearer('/admin/api/users', { username: 'tuan', password: PASSWORD, role: 'official', officialId: 'mot-cua' })).status).toBe(201);
    await browser.live();
  });

  afterAll(async () => {
    await browser.close();
    await consoleApp?.close();
    await queue?.close();
    await reminders?.close();
    await results?.close();
    apptRedis?.disconnect();
    if (apptPrefix) await deleteKeys(apptPrefix);
    await app?.stop();
    await fake?.close();
    await deleteKeys(prefix);
  });

  /** `clock`: the page's timers wait for the test (page.clock), so the 10-second refresh runs only when told. */
  async function loginAs(username: string, opts: { clock?: boolean } = {}): Promise<Page> {
    const page = await (await liveBrowser()).newPage({ viewport: { width: 390, height: 844 } }); // a phone screen
    page.on('dialog', (d) => void d.accept());
    if (opts.clock) await page.clock.install();
    await page.goto(`${consoleApp.url}/admin`);
    await page.fill('#login input[name=username]', username);
    await page.fill('#login input[name=password]', PASSWORD);
    await page.click('#login button[type=submit]');
    await page.waitForSelector('#who:has-text("' + username + '")');
    return page;
  }

  async function greet(psid: string): Promise<string> {
    const { raw, signature } = messengerTextBody({ psid, mid: `m_${psid}`, text: 'Xin chào' }, SECRETS.MESSENGER_APP_SECRET);
    expect((await request(app.url).post('/webhooks/messenger').set('Content-Type', 'application/json').set('X-Hub-Signature-256', signature).send(raw)).status).toBe(200);
    const to = () => fake.sent('messenger').filter((r) => (r.body.recipient as { id: string }).id === psid);
    await fake.waitFor(() => to().some((r) => JSON.stringify(r.body).includes('MENU_PROCEDURES')));
    return JSON.stringify(to().map((r) => r.body));
  }

  it('when an admin breaks the main menu, sees the problem, fixes it and publishes, then a citizen gets the new greeting', async () => {
    const page = await loginAs('lan');
    await page.screenshot({ path: join(ARTIFACTS, '01-admin-dashboard.png'), fullPage: true });
    await page.click('nav a[href="#flows"]');
    await page.click('a[data-flow="main-menu"]');
    await page.waitForSelector('#check-status.ok');

    await page.fill('#source', mainMenu.replace('    next: menu', '    next: [menu'));
    await page.waitForSelector('#check-status.bad');
    expect(await page.locator('#problems li').first().textContent()).toMatch(/dòng \d+: YAML/);
    expect(await page.isDisabled('#publish')).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, '02-flow-error-shown.png'), fullPage: true });

    await page.fill('#source', mainMenu.replace('Kính chào ông/bà!', 'Xin kính chào bà con!'));
    await page.waitForSelector('#check-status.ok');
    await page.click('#show-diff');
    expect(await page.locator('#diff .add').first().textContent()).toContain('Xin kính chào bà con!');
    await page.screenshot({ path: join(ARTIFACTS, '03-flow-fixed-diff.png'), fullPage: true });
    await page.click('#publish');
    await page.waitForSelector('#message:has-text("Đã xuất bản phiên bản 1")');
    await page.screenshot({ path: join(ARTIFACTS, '04-flow-published.png'), fullPage: true });

    // The app process picks the new version up from the shared store on its next refresh (every 3 s).
    const deadline = Date.now() + 10_000;
    let text = '';
    for (let i = 0; Date.now() < deadline; i++) {
      text = await greet(`e2e-citizen-${i}`);
      if (text.includes('Xin kính chào bà con!')) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(text).toContain('Xin kính chào bà con!');
    await page.close();
  });

  it('when an admin breaks holidays.yaml in Commune data, sees the error with its line, fixes it and publishes, then the app counts the new day off', async () => {
    const page = await loginAs('lan');
    await page.click('nav a[href="#data"]');
    await page.click('a[data-file="holidays"]');
    await page.waitForSelector('#data-check-status.ok');
    expect(await page.textContent('#data-file-hint')).toContain('Lịch hẹn đã đặt');

    const broken = holidays.replace('date: 2025-01-01', 'date: 2025-02-30');
    await page.fill('#data-source', broken);
    await page.waitForSelector('#data-check-status.bad');
    const problem = (await page.locator('#data-problems li').first().textContent())!;
    const line = Number(/^dòng (\d+): /.exec(problem)?.[1]);
    expect(broken.split('\n')[line - 1]).toContain('2025-02-30');
    expect(problem).toContain('is not a date on the calendar');
    expect(await page.isDisabled('#data-publish')).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, '13-data-holidays-error.png'), fullPage: true });

    const fixed = `${holidays.trimEnd()}\n  - { date: 2031-03-12, kind: day_off, name: { vi: Nghỉ theo quyết định của xã, en: Commune day off } }\n`;
    await page.fill('#data-source', fixed);
    await page.waitForSelector('#data-check-status.ok');
    await page.click('#data-show-diff');
    expect(await page.locator('#data-diff .add').first().textContent()).toContain('2031-03-12');
    await page.click('#data-publish');
    await page.waitForSelector('#message:has-text("Đã xuất bản phiên bản 1")');
    await page.waitForSelector('#data-history button[data-version="1"]');
    await page.screenshot({ path: join(ARTIFACTS, '14-data-holidays-published.png'), fullPage: true });

    // The app process takes the published calendar from the shared store on its next refresh.
    const deadline = Date.now() + 10_000;
    while (!app.communeData().cases!.calendar.holidays.days.some((d) => d.date === '2031-03-12') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(app.communeData().cases!.calendar.holidays.days.some((d) => d.date === '2031-03-12')).toBe(true);
    await page.close();
  });

  it('when an admin assigns a case in the console, then the official is notified', async () => {
    const code = await world.file({ category: 'environment', village: 'Thôn 2', content: 'Rác thải đổ ven đường liên thôn gần cầu.' });
    const current = (await world.cases.findByCode(code))?.assigneeId;
    const target = (await world.officials.list()).find((o) => o.active && o.id !== current)!;
    const page = await loginAs('lan');
    await page.click('nav a[href="#cases"]');
    await page.click(`tr[data-code="${code}"]`);
    // The official is picked by name and role; the id shows only in the tooltip.
    await page.selectOption('#assign-form select[name=officialId]', target.id);
    await page.click('#assign-form button');
    await page.waitForSelector(`#case-code:has-text("${target.name}")`);
    expect(await page.textContent('#case-code')).not.toContain(target.id);
    expect(await page.getAttribute('#case-code', 'title')).toBe(target.id);
    expect(await page.textContent(`tr[data-code="${code}"]`)).toContain(target.name);
    expect(await page.textContent(`tr[data-code="${code}"]`)).not.toContain(target.id);
    await page.screenshot({ path: join(ARTIFACTS, '05-case-assigned.png'), fullPage: true });
    expect(notices).toEqual(expect.arrayContaining([expect.objectContaining({ to: 'official', officialId: target.id })]));
    await page.close();
  });

  it('when an admin filters the cases by "Kiến nghị", then only proposals are listed, each named so, and the detail names the type', async () => {
    const lamp = await world.file({ petition_type: 'proposal', category: 'infrastructure', village: 'Thôn 4', content: 'Đề nghị lắp đèn đường ở đoạn đường ra đồng.' });
    const road = await world.file({ petition_type: 'feedback', category: 'infrastructure', village: 'Thôn 4', content: 'Đường liên thôn bị sạt lở một đoạn.' });
    const page = await loginAs('lan');
    await page.click('nav a[href="#cases"]');
    await page.waitForSelector(`tr[data-code="${road}"]`);
    await page.selectOption('#case-filters select[name=type]', 'proposal');
    await page.click('#case-filters button[type=submit]');
    await page.waitForSelector(`tr[data-code="${road}"]`, { state: 'detached' });
    const rows = await page.$$eval('#case-table tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-code'), tr.children[1].textContent]));
    expect(rows).toContainEqual([lamp, 'Kiến nghị']);
    expect(rows.every(([, type]) => type === 'Kiến nghị')).toBe(true);
    expect(await page.getAttribute('#csv', 'href')).toContain('type=proposal');
    await page.click(`tr[data-code="${lamp}"]`);
    await page.waitForSelector(`#case-code:has-text("${lamp} — Kiến nghị")`);
    expect(await page.textContent('#case-content')).toBe('Đề nghị lắp đèn đường ở đoạn đường ra đồng.');
    await page.close();
  });

  it('when an admin tries the draft in the flow editor, then "xin chao" gets the draft greeting and its buttons answer', async () => {
    const page = await loginAs('lan');
    await page.click('nav a[href="#flows"]');
    await page.click('a[data-flow="main-menu"]');
    await page.waitForSelector('#check-status.ok');
    const live = await page.inputValue('#source');
    const draft = live.replace(/(Kính chào ông\/bà!|Xin kính chào bà con!)/, 'Chào mừng bà con đến với bản nháp!');
    expect(draft).not.toBe(live);
    await page.fill('#source', draft);
    await page.fill('#try-form input[name=text]', 'xin chao');
    await page.click('#try-form button[type=submit]');
    await page.waitForSelector('#try-log li.bot:has-text("Chào mừng bà con đến với bản nháp!")');
    expect(await page.locator('#try-log li.bot', { hasText: 'Kính chào ông/bà!' }).count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, '07-try-draft-greeting.png'), fullPage: true });
    const button = page.locator('#try-log button[data-payload="MENU_PROCEDURES"]').first();
    const title = (await button.textContent())!;
    await button.click();
    await page.waitForSelector(`#try-log li.me:has-text("${title}")`);
    await page.locator('#try-log li').last().and(page.locator('#try-log li.bot')).waitFor();
    expect(await page.locator('#try-log li.bot').count()).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: join(ARTIFACTS, '08-try-draft-button.png'), fullPage: true });
    // Nothing was published: the live flow still has the old greeting.
    const stored = await request(consoleApp.url).get('/admin/api/flows/main-menu').set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(stored.body.source).toBe(live);
    await page.close();
  });

  it('when an admin opens the queues, then bull-board shows them; a viewer is refused', async () => {
    const page = await loginAs('lan');
    await page.goto(`${consoleApp.url}/admin/queues`);
    await page.waitForSelector('text=case-deadlines', { timeout: 30_000 });
    await page.screenshot({ path: join(ARTIFACTS, '09-queues-admin.png'), fullPage: true });
    await page.close();

    const viewer = await loginAs('hoa');
    expect(await viewer.locator('nav a[href="/admin/queues"]').count()).toBe(0);
    const res = await viewer.goto(`${consoleApp.url}/admin/queues`);
    expect(res?.status()).toBe(403);
    expect(await viewer.textContent('body')).toContain('FORBIDDEN');
    await viewer.screenshot({ path: join(ARTIFACTS, '10-queues-viewer-refused.png'), fullPage: true });
    await viewer.close();

    const anonymous = await (await liveBrowser()).newPage({ viewport: { width: 390, height: 844 } });
    await anonymous.goto(`${consoleApp.url}/admin/queues`);
    await anonymous.waitForSelector('#login:not([hidden])');
    expect(anonymous.url()).toBe(`${consoleApp.url}/admin#queues`);
    await anonymous.close();
  });

  it('when an admin opens the officials page, then the roster shows each official with villages and duty, and a link code can be issued', async () => {
    const page = await loginAs('lan');
    await page.click('nav a[href="#officials"]');
    const officials = await world.officials.list();
    await page.waitForSelector(`#roster tr[data-official="${officials[0].id}"]`);
    expect(await page.locator('#roster tbody tr').count()).toBe(officials.length);
    expect(await page.locator(`#roster tr[data-official="${officials[0].id}"]`).textContent()).toContain(officials[0].name);
    await page.click(`#roster tr[data-official="${officials[0].id}"]`);
    await page.click('#link-code');
    await page.waitForSelector('#link-code-shown:has-text("LIENKET")');
    // Put the first official on duty and give them village 2 too; the row shows it after saving.
    const first = officials[0];
    await page.setChecked('#official-form input[name=onDuty]', !first.onDuty);
    await page.fill('#official-form input[name=villages]', [...first.villages, 'Thôn 2'].filter((v, i, a) => a.indexOf(v) === i).join(', '));
    await page.click('#official-form button[type=submit]');
    await page.waitForSelector('#message:has-text("Đã lưu")');
    expect((await world.officials.get(first.id))!.onDuty).toBe(!first.onDuty);
    expect(await page.locator(`#roster tr[data-official="${first.id}"]`).textContent()).toContain('Thôn 2');
    await page.screenshot({ path: join(ARTIFACTS, '11-officials-roster.png'), fullPage: true });
    await page.click('nav a[href="#users"]');
    await page.waitForSelector('#user-table tr[data-user="hoa"]');
    await page.screenshot({ path: join(ARTIFACTS, '12-users.png'), fullPage: true });
    await page.close();
  });

  it('when a citizen asks for an official, then the official sees it within 10 s, takes it, replies, the citizen is sent the words, and ends it; another official is told it is not theirs', async () => {
    const handoffs = consoleApp.handoffs!;
    const page = await loginAs('minh', { clock: true });
    await page.click('nav a[href="#handoffs"]');
    await page.waitForSelector('#handoff-none:not([hidden])');
    // The other official has the list open while it still waits.
    const other = await loginAs('tuan', { clock: true });
    await other.click('nav a[href="#handoffs"]');
    await other.waitForSelector('#handoff-none:not([hidden])');

    const { handoff } = await handoffs.service.request({ channel: 'messenger', userId: 'psid-e2e-citizen', topic: 'Hỏi thủ tục cấp lại giấy khai sinh bị mất', locale: 'vi' });
    await handoffs.service.citizenWrote(handoff, { id: 'm-e2e-1', at: Date.now(), text: 'Con tôi sinh năm 2020 ở trạm y tế xã' });
    expect(handoffs.relayed).toContainEqual({ kind: 'opened', code: handoff.code, officialIds: expect.arrayContaining(['van-phong']) });
    const row = `#handoff-table tr[data-code="${handoff.code}"]`;
    expect(await page.locator(row).count()).toBe(0);
    await page.clock.runFor(10_000); // the open list refreshes by itself every 10 s
    await page.waitForSelector(row);
    expect(await page.locator(row).textContent()).toContain('Đang chờ cán bộ');
    expect(await page.locator(row).textContent()).toContain('Hỏi thủ tục cấp lại giấy khai sinh bị mất');
    expect(await page.locator(row).textContent()).toContain('Messenger');
    await page.screenshot({ path: join(ARTIFACTS, '15-handoff-waiting-listed.png'), fullPage: true });
    await other.clock.runFor(10_000);
    await other.click(row);
    await other.waitForSelector('#handoff-take:not([hidden])');

    await page.click(row);
    await page.waitForSelector('#handoff-messages li[data-from="citizen"]:has-text("Con tôi sinh năm 2020")');
    expect(await page.isHidden('#handoff-reply')).toBe(true);
    expect(await page.locator('#handoff-take select').count()).toBe(0); // an official takes it as themselves
    await page.screenshot({ path: join(ARTIFACTS, '16-handoff-detail-waiting.png'), fullPage: true });
    await page.click('#handoff-take button[type=submit]');
    await page.waitForSelector('#handoff-title:has-text("Đang trao đổi")');
    expect(await page.textContent('#message')).toContain(`Đã nhận yêu cầu ${handoff.code}`);
    const vanPhong = (await world.officials.get('van-phong'))!;
    expect(await page.locator(row).textContent()).toContain(vanPhong.name);
    expect(await page.locator(row).textContent()).not.toContain('van-phong');
    expect(handoffs.relayed).toContainEqual(expect.objectContaining({ kind: 'taken', code: handoff.code, officialId: 'van-phong' }));
    await page.screenshot({ path: join(ARTIFACTS, '17-handoff-taken.png'), fullPage: true });

    // The other official, still on the waiting one, tries to take it too: told in Vietnamese, and nothing changes.
    await other.click('#handoff-take button[type=submit]');
    await other.waitForSelector('#message:has-text("đã có cán bộ khác nhận")');
    await other.waitForSelector('#handoff-detail', { state: 'hidden' });
    expect((await handoffs.store.findByCode(handoff.code))!.officialId).toBe('van-phong');
    await other.screenshot({ path: join(ARTIFACTS, '18-handoff-taken-by-another.png'), fullPage: true });
    await other.click(row);
    await other.waitForSelector('#message:has-text("do cán bộ khác tiếp nhận")');

    const words = 'Chào ông/bà, ông/bà mang giấy chứng sinh và CCCD đến bộ phận một cửa của xã nhé.';
    await page.fill('#handoff-reply textarea', words);
    await page.press('#handoff-reply textarea', 'Control+Enter');
    await page.waitForSelector(`#handoff-messages li[data-from="official"]:has-text("giấy chứng sinh")`);
    expect(await page.locator('#handoff-messages li[data-from="official"] .who').first().textContent()).toContain((await world.officials.get('van-phong'))!.name);
    expect(await page.textContent('#message')).toBe('Đã gửi cho người dân.');
    expect(await page.inputValue('#handoff-reply textarea')).toBe('');
    expect(handoffs.relayed).toContainEqual({ kind: 'message', code: handoff.code, to: 'citizen', channel: 'messenger', userId: 'psid-e2e-citizen', officialId: 'van-phong', text: words });
    await page.screenshot({ path: join(ARTIFACTS, '19-handoff-replied.png'), fullPage: true });

    // The citizen answers: the open conversation shows it on the next refresh, the words being typed stay.
    await page.fill('#handoff-reply textarea', 'Ông/bà cần');
    await handoffs.service.citizenWrote((await handoffs.store.findByCode(handoff.code))!, { id: 'm-e2e-2', at: Date.now(), text: 'Cảm ơn cán bộ, mai tôi lên xã' });
    await page.clock.runFor(10_000);
    await page.waitForSelector('#handoff-messages li[data-from="citizen"]:has-text("mai tôi lên xã")');
    expect(await page.inputValue('#handoff-reply textarea')).toBe('Ông/bà cần');
    // With the platform's window closed the words are kept, and the official is told so.
    handoffs.window.open = false;
    await page.fill('#handoff-reply textarea', 'Vâng, xã làm việc từ 7 giờ 30.');
    await page.click('#handoff-reply button[type=submit]');
    await page.waitForSelector('#message:has-text("sẽ gửi khi người dân nhắn lại")');
    handoffs.window.open = true;

    await page.click('#handoff-end');
    await page.waitForSelector('#handoff-title:has-text("Đã kết thúc")');
    expect(await page.textContent('#handoff-meta')).toContain('Cán bộ kết thúc trao đổi');
    expect(await page.isHidden('#handoff-reply')).toBe(true);
    await page.waitForSelector(row, { state: 'detached' });
    expect(await handoffs.store.findByCode(handoff.code)).toMatchObject({ status: 'ended', endReason: 'official' });
    expect(handoffs.relayed).toContainEqual(expect.objectContaining({ kind: 'ended', code: handoff.code }));
    await page.screenshot({ path: join(ARTIFACTS, '20-handoff-ended.png'), fullPage: true });
    await other.close();
    await page.close();
  });

  it('when an admin takes a hand-off for the official they pick, then it is held by that official; a viewer has no such section and the API refuses', async () => {
    const handoffs = consoleApp.handoffs!;
    const { handoff } = await handoffs.service.request({ channel: 'zalo', userId: 'zalo-e2e-citizen', topic: 'Xin hỏi lịch tiêm chủng', locale: 'vi' });
    const page = await loginAs('lan');
    await page.click('nav a[href="#handoffs"]');
    await page.click(`#handoff-table tr[data-code="${handoff.code}"]`);
    await page.waitForSelector('#handoff-take:not([hidden])');
    await page.selectOption('#handoff-take select[name=officialId]', 'mot-cua');
    await page.click('#handoff-take button[type=submit]');
    await page.waitForSelector('#handoff-title:has-text("Đang trao đổi")');
    expect((await handoffs.store.findByCode(handoff.code))!.officialId).toBe('mot-cua');
    expect(await page.locator(`#handoff-table tr[data-code="${handoff.code}"]`).textContent()).toContain('Zalo');
    await page.screenshot({ path: join(ARTIFACTS, '21-handoff-admin-took-for-official.png'), fullPage: true });
    // In English the same page speaks English.
    await page.click('#lang');
    await page.waitForSelector('#handoff-title:has-text("In conversation")');
    await page.click('#lang');
    await page.close();

    const viewer = await loginAs('hoa');
    expect(await viewer.locator('nav a[href="#handoffs"]').count()).toBe(0);
    expect(await viewer.locator('#handoffs').count()).toBe(0);
    await viewer.goto(`${consoleApp.url}/admin#handoffs`);
    await viewer.waitForSelector('#dashboard:not([hidden])');
    const status = await viewer.evaluate(async () => (await fetch('/admin/api/handoffs')).status);
    expect(status).toBe(403);
    await viewer.screenshot({ path: join(ARTIFACTS, '22-handoff-viewer-no-section.png'), fullPage: true });
    await viewer.close();
  });

  /** An appointment straight in the store, as the booking flow leaves it. */
  async function bookAppointment(start: number, code: string, who: { name: string; channel?: string; userId?: string; phone?: string }) {
    const day = isoOfDay(localDayOf(start));
    const r = await stores.appointments.book({ key: `${day}-${start}`, day, start, end: start + HOUR }, 4, {
      id: `appt-${code}`,
      code,
      procedureId: 'khai-sinh',
      name: who.name,
      ...(who.phone ? { phone: who.phone } : {}),
      channel: who.channel ?? 'zalo',
      userId: who.userId ?? `zalo-${code}`,
      locale: 'vi',
      createdAt: start - 48 * HOUR,
    });
    if (!r.ok) throw new Error(r.reason);
    return r.appointment;
  }
  const codeFor = (start: number, tail: string) => `LH-${isoOfDay(localDayOf(start)).slice(5).replace('-', '')}-${tail}`;

  it('when the desk official opens the day of an appointment, then marks the citizen attended, records a result date and marks the result ready, the stored appointment follows; a no-show before the time is refused with the reason', async () => {
    const now = Date.now();
    const came = await bookAppointment(now - 5 * 60_000, codeFor(now - 5 * 60_000, 'E2EA'), { name: 'Lê Thị Hoa', phone: '+84987654321' });
    const later = await bookAppointment(now + 50 * HOUR, codeFor(now + 50 * HOUR, 'E2EB'), { name: 'Trần Văn Bình' });
    const cameDay = isoOfDay(localDayOf(came.slot.start));
    const page = await loginAs('tuan');
    await page.click('nav a[href="#appointments"]');
    await page.waitForSelector('#appt-title:not(:empty)');
    // Today in Vietnam by default, whatever the zone of the machine.
    expect(await page.inputValue('#appt-day input[name=day]')).toBe(isoOfDay(localDayOf(Date.now())));
    await page.fill('#appt-day input[name=day]', cameDay);
    const row = `#appt-table tr[data-code="${came.code}"]`;
    await page.waitForSelector(row);
    expect(await page.locator(row).textContent()).toContain('Lê Thị Hoa');
    expect(await page.locator(row).textContent()).toContain('khai-sinh');
    expect(await page.locator(row).textContent()).toContain('Đã hẹn');
    await page.screenshot({ path: join(ARTIFACTS, '23-appointments-day.png'), fullPage: true });

    await page.click(`${row} button[data-action="attended"]`);
    await page.waitForSelector(`${row}[data-status="attended"]`);
    await page.waitForSelector(`#message:has-text("Đã ghi: người dân đã đến — ${came.code}")`);
    expect(await stores.appointments.get(came.id)).toMatchObject({ status: 'attended', markedBy: 'mot-cua' });
    expect(await page.locator(`${row} button[data-action="no_show"]`).count()).toBe(0);

    // A day off is refused with the API's words; nothing is recorded.
    let dayOff = localDayOf(Date.now()) + 1;
    while (isWorkingLocalDay(calendar, dayOff)) dayOff++;
    await page.fill(`${row} .result-form input[name=day]`, isoOfDay(dayOff));
    await page.click(`${row} .result-form button[data-action="result-date"]`);
    await page.waitForSelector('#message:has-text("phải là ngày làm việc")');
    expect((await stores.appointments.get(came.id))!.result).toBeUndefined();

    const resultDay = isoOfDay(stepWorkingDay(calendar, localDayOf(Date.now()), 1));
    const shown = resultDay.split('-').reverse().join('/');
    await page.fill(`${row} .result-form input[name=day]`, resultDay);
    await page.click(`${row} .result-form button[data-action="result-date"]`);
    await page.waitForSelector(`${row} td.resultDate:has-text("${shown} (hẹn trả")`);
    await page.waitForSelector(`#message:has-text("Đã ghi ngày hẹn trả kết quả; người dân được báo — ${came.code}")`);
    expect((await stores.appointments.get(came.id))!.result).toMatchObject({ day: resultDay, status: 'promised', officialId: 'mot-cua' });
    await page.screenshot({ path: join(ARTIFACTS, '24-appointment-result-date.png'), fullPage: true });

    await page.click(`${row} button[data-action="ready"]`);
    await page.waitForSelector(`${row} td.resultDate:has-text("${shown} (đã có kết quả")`);
    expect((await stores.appointments.get(came.id))!.result).toMatchObject({ day: resultDay, status: 'ready' });
    expect(await page.locator(`${row} .result-form`).count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, '25-appointment-result-ready.png'), fullPage: true });

    // Two days ahead: the citizen cannot be absent yet; the API's reason is shown and nothing changes.
    await page.fill('#appt-day input[name=day]', isoOfDay(localDayOf(later.slot.start)));
    const laterRow = `#appt-table tr[data-code="${later.code}"]`;
    await page.click(`${laterRow} button[data-action="no_show"]`);
    await page.waitForSelector('#message:has-text("Chưa đến giờ hẹn")');
    expect(await page.locator(laterRow).getAttribute('data-status')).toBe('booked');
    expect((await stores.appointments.get(later.id))!.status).toBe('booked');
    await page.screenshot({ path: join(ARTIFACTS, '26-appointment-no-show-too-early.png'), fullPage: true });

    // The day buttons step over the weekend: Friday 8 January 2027 → Monday 11 → back to Friday.
    await page.fill('#appt-day input[name=day]', '2027-01-08');
    await page.waitForSelector('#appt-title:has-text("08/01/2027")');
    await page.click('#appt-next');
    await page.waitForSelector('#appt-title:has-text("11/01/2027")');
    expect(await page.inputValue('#appt-day input[name=day]')).toBe('2027-01-11');
    await page.click('#appt-prev');
    await page.waitForSelector('#appt-title:has-text("08/01/2027")');
    await page.close();
  });

  it('when an admin records a result date, then they name the official answerable, and a later move carries the reason the citizen is told; someone marked absent who comes late is marked attended after all', async () => {
    const now = Date.now();
    const a = await bookAppointment(now - 10 * 60_000, codeFor(now - 10 * 60_000, 'E2EC'), { name: 'Phạm Thị Cúc' });
    const page = await loginAs('lan');
    await page.click('nav a[href="#appointments"]');
    await page.fill('#appt-day input[name=day]', isoOfDay(localDayOf(a.slot.start)));
    const row = `#appt-table tr[data-code="${a.code}"]`;
    await page.click(`${row} button[data-action="attended"]`);
    await page.waitForSelector(`${row}[data-status="attended"]`);
    expect((await stores.appointments.get(a.id))!.markedBy).toBe('lan');

    const first = stepWorkingDay(calendar, localDayOf(Date.now()), 1);
    const second = stepWorkingDay(calendar, first, 1);
    await page.fill(`${row} .result-form input[name=day]`, isoOfDay(first));
    await page.selectOption(`${row} .result-form select[name=officialId]`, 'mot-cua');
    await page.click(`${row} .result-form button[data-action="result-date"]`);
    await page.waitForSelector(`${row} td.resultDate:has-text("${(await world.officials.get('mot-cua'))!.name}")`);
    expect((await stores.appointments.get(a.id))!.result).toMatchObject({ day: isoOfDay(first), officialId: 'mot-cua', moves: 0 });

    // Moving it: no official to pick any more, a reason instead.
    expect(await page.locator(`${row} .result-form select`).count()).toBe(0);
    await page.fill(`${row} .result-form input[name=day]`, isoOfDay(second));
    await page.fill(`${row} .result-form input[name=reason]`, 'chờ chữ ký lãnh đạo');
    await page.click(`${row} .result-form button[data-action="result-date"]`);
    await page.waitForSelector(`${row} td.resultDate:has-text("1 lần dời")`);
    await page.waitForSelector(`#message:has-text("Đã dời ngày hẹn trả kết quả; người dân được báo kèm lời xin lỗi — ${a.code}")`);
    const moved = (await stores.appointments.get(a.id))!.result!;
    expect(moved).toMatchObject({ day: isoOfDay(second), officialId: 'mot-cua', moves: 1 });
    expect(moved.history[moved.history.length - 1]).toMatchObject({ what: 'moved', reason: 'chờ chữ ký lãnh đạo' });
    await page.screenshot({ path: join(ARTIFACTS, '28-appointment-result-moved-by-admin.png'), fullPage: true });

    // Someone whose time has passed is marked absent; turning up late, attended after all.
    const late = await bookAppointment(now - 20 * 60_000, codeFor(now - 20 * 60_000, 'E2ED'), { name: 'Ngô Văn Đức' });
    await page.fill('#appt-day input[name=day]', isoOfDay(localDayOf(late.slot.start)));
    const lateRow = `#appt-table tr[data-code="${late.code}"]`;
    await page.click(`${lateRow} button[data-action="no_show"]`);
    await page.waitForSelector(`${lateRow}[data-status="no_show"]`);
    expect(await page.locator(lateRow).textContent()).toContain('Vắng');
    expect((await stores.appointments.get(late.id))!.status).toBe('no_show');
    await page.click(`${lateRow} button[data-action="attended"]`);
    await page.waitForSelector(`${lateRow}[data-status="attended"]`);
    expect((await stores.appointments.get(late.id))!.status).toBe('attended');
    await page.close();
  });

  it('when a Messenger citizen has not written for 30 hours at reminder time, then the desk sees who will not be reminded and why, and opens the day', async () => {
    const now = Date.now();
    await stores.conversations.touchInbound('messenger', 'psid-e2e-far', now - 30 * HOUR);
    const start = now + 120 * 60_000 + 300; // the two-hour reminder falls due at once
    const far = await bookAppointment(start, codeFor(start, 'FARR'), { name: 'Đỗ Thị Xa', channel: 'messenger', userId: 'psid-e2e-far' });
    await reminders.planner.plan(far);
    const worker = reminders.startWorker();
    await until(async () => (await reminders.undeliverable()).some((r) => r.code === far.code));
    await worker.close();
    expect(chatSent.filter((m) => m.userId === 'psid-e2e-far')).toEqual([]);

    const page = await loginAs('tuan');
    await page.click('nav a[href="#appointments"]');
    const entry = page.locator(`#undeliverable-list li[data-code="${far.code}"]`);
    await entry.waitFor();
    const text = (await entry.textContent())!;
    expect(text).toContain('Đỗ Thị Xa');
    expect(text).toContain('Messenger');
    expect(text).toContain('nhắc trước 2 giờ');
    expect(text).toContain('không nhắn cho trang trong 24 giờ');
    await page.screenshot({ path: join(ARTIFACTS, '27-appointment-reminders-undeliverable.png'), fullPage: true });
    await entry.locator('a').click();
    await page.waitForSelector(`#appt-table tr[data-code="${far.code}"]`);
    await page.click('#lang');
    await page.waitForSelector(`#undeliverable-list li[data-code="${far.code}"]:has-text("reminder 2 hours before")`);
    expect(await entry.textContent()).toContain('had not written to the Page in the 24 hours before');
    await page.click('#lang');
    await page.close();
  });

  it('when a viewer opens the console, then there is no appointments section and the API refuses the list', async () => {
    const viewer = await loginAs('hoa');
    expect(await viewer.locator('nav a[href="#appointments"]').count()).toBe(0);
    expect(await viewer.locator('#appointments').count()).toBe(0);
    await viewer.goto(`${consoleApp.url}/admin#appointments`);
    await viewer.waitForSelector('#dashboard:not([hidden])');
    const status = await viewer.evaluate(async () => (await fetch('/admin/api/appointments')).status);
    expect(status).toBe(403);
    await viewer.close();
  });

  it('when a viewer opens the console, then there is no publish button and the API refuses a publish', async () => {
    const page = await loginAs('hoa');
    expect(await page.locator('nav a[href="#flows"]').count()).toBe(0);
    expect(await page.locator('#publish').count()).toBe(0);
    expect(await page.locator('nav a[href="#data"]').count()).toBe(0);
    expect(await page.locator('#data-publish').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, '06-viewer-dashboard.png'), fullPage: true });
    const status = await page.evaluate(async (source) => {
      const session = (await (await fetch('/admin/api/session')).json()) as { csrf: string };
      const res = await fetch('/admin/api/flows/main-menu', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf }, body: JSON.stringify({ source }) });
      return res.status;
    }, mainMenu);
    expect(status).toBe(403);
    await page.close();
  });
});
