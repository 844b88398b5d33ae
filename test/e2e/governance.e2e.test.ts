import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Page } from 'playwright-core';
import { CHROMIUM, HAS_CHROMIUM, suiteBrowser } from '../helpers/browser';
import request from 'supertest';
import { loadCatalogue } from '../../src/civic/procedures/catalogue';
import { createRedisProcedureAsks } from '../../src/jobs/procedure-asks';
import { createMemoryStores } from '../../src/store/memory';
import type { Case } from '../../src/store/ports/cases';
import { startConsoleApp } from '../helpers/console-app';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis';
import { ROOT, shippedCalendar } from '../unit/civic/calendar/shipped-calendar';

const ARTIFACTS = join(__dirname, '../../artifacts/e2e');
const AXE = require.resolve('axe-core/axe.min.js');
const ADMIN_TOKEN = 'gov-e2e-admin-token-0123456789abcdef';
const PASSWORD = 'mat-khau-dai-2025';
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const CHARTS = ['heatmap', 'onTimeCategory', 'onTimeVillage', 'onTimeOfficial', 'overdue', 'months', 'asked', 'booked', 'appointments'];

// Debian's chromium is installed by .ci/run; without it this suite cannot run, and says so.
const describeIfChromium = HAS_CHROMIUM ? describe : describe.skip; // skipped: no chromium at /usr/bin/chromium (apt-get install -y chromium)
if (!HAS_CHROMIUM) console.warn(`governance e2e skipped: chromium is not installed at ${CHROMIUM} (apt-get install -y chromium)`);

jest.setTimeout(120_000);
jest.retryTimes(1, { logErrorsBeforeRetry: true });

/** 09:00 in Vietnam on a yyyy-mm-dd day. */
const at = (day: string, hour = 9) => Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00+07:00`);

describeIfChromium('the governance page and the console pages in headless Chromium', () => {
  const stores = createMemoryStores();
  const prefix = uniquePrefix();
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  let consoleApp: Awaited<ReturnType<typeof startConsoleApp>>;
  const browser = suiteBrowser();
  const liveBrowser = () => browser.live();

  /** March 2025, a closed month: five petitions (one rejected, one resolved late), desk appointments, questions asked. */
  async function seed() {
    await stores.officials.upsert({ id: 'dia-chinh-1', name: 'Nguyễn Văn Địa', role: 'official', villages: [], categories: ['land'], onDuty: true, active: true });
    await stores.officials.upsert({ id: 'truong-thon-2', name: 'Trần Thị Hai', role: 'village_head', villages: ['Thôn 2'], categories: [], onDuty: false, active: true });
    const file = (p: { filed: string; due: string; category: string; village: string; assignee: string }) =>
      stores.cases.create({ kind: 'petition', petitionType: 'feedback', category: p.category, village: p.village, content: 'Nội dung.', attachments: [], channel: 'zalo', userId: 'u1', status: 'assigned', assigneeId: p.assignee, dueAt: at(p.due, 17), createdAt: at(p.filed), history: [] });
    const close = (c: Case, status: 'resolved' | 'rejected', day: string, score?: number) =>
      stores.cases.update(c.id, { status, resolution: { answer: 'Trả lời.', by: c.assigneeId!, at: at(day) }, ...(score ? { rating: { score, at: at(day, 15) } } : {}) }, { at: at(day), by: c.assigneeId!, what: status });
    const a = await file({ filed: '2025-03-03', due: '2025-03-17', category: 'land', village: 'Thôn 1', assignee: 'dia-chinh-1' });
    const b = await file({ filed: '2025-03-04', due: '2025-03-10', category: 'land', village: 'Thôn 1', assignee: 'dia-chinh-1' });
    const c = await file({ filed: '2025-03-05', due: '2025-03-19', category: 'environment', village: 'Thôn 2', assignee: 'truong-thon-2' });
    await file({ filed: '2025-03-06', due: '2025-03-20', category: 'environment', village: 'Thôn 2', assignee: 'truong-thon-2' }); // open: 12 days late on 31/3
    await file({ filed: '2025-03-07', due: '2025-03-21', category: 'land', village: 'Thôn 2', assignee: 'dia-chinh-1' });
    await close(a, 'resolved', '2025-03-10', 5);
    await close(b, 'resolved', '2025-03-14', 2); // late
    await close(c, 'rejected', '2025-03-06');
    const book = async (day: string, hour: number, procedureId: string, n: number) => {
      const start = at(day, hour);
      const r = await stores.appointments.book({ key: `${day}T${hour}:00`, day, start, end: start + 1800_000 }, 5, { id: `a${n}`, code: `LH-E2E${n}`, procedureId, name: 'Lê Thị Hoa', channel: 'zalo', userId: `z${n}`, locale: 'vi', createdAt: start - 86_400_000 });
      if (!r.ok) throw new Error(r.reason);
      return r.appointment;
    };
    await stores.appointments.markAttendance((await book('2025-03-10', 8, 'khai-sinh', 1)).id, 'attended', 'mot-cua', at('2025-03-10', 10));
    await stores.appointments.markAttendance((await book('2025-03-10', 9, 'khai-sinh', 2)).id, 'no_show', 'mot-cua', at('2025-03-10', 10));
    await stores.appointments.markAttendance((await book('2025-03-11', 8, 'ket-hon', 3)).id, 'attended', 'mot-cua', at('2025-03-11', 10));
    const asks = createRedisProcedureAsks(redis, { prefix });
    for (const [id, n] of [['ket-hon', 3], ['khai-sinh', 2], ['khai-tu', 1]] as const) for (let i = 0; i < n; i++) await asks.record(id, at('2025-03-12'));
    return asks;
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const asks = await seed();
    consoleApp = await startConsoleApp({
      prefix,
      adminToken: ADMIN_TOKEN,
      stores,
      catalogue: loadCatalogue(join(ROOT, 'flows/data/procedures.yaml')),
      askedProcedures: (days) => asks.counts(days),
      appointments: { appointments: stores.appointments, officials: stores.officials, calendar: shippedCalendar() },
    });
    const bearer = (path: string, body: object) => request(consoleApp.url).post(path).set('Authorization', `Bearer ${ADMIN_TOKEN}`).send(body);
    expect((await bearer('/admin/api/setup', { username: 'lan', password: PASSWORD })).status).toBe(201);
    expect((await bearer('/admin/api/users', { username: 'hoa', password: PASSWORD, role: 'viewer' })).status).toBe(201);
    await browser.live();
  });

  afterAll(async () => {
    await browser.close();
    await consoleApp?.close();
    redis.disconnect();
    await deleteKeys(prefix);
  });

  async function loginAs(username: string, viewport: { width: number; height: number }, opts: { bypassCSP?: boolean } = {}): Promise<Page> {
    const context = await (await liveBrowser()).newContext({ viewport, acceptDownloads: true, ...(opts.bypassCSP ? { bypassCSP: true } : {}) });
    const page = await context.newPage();
    page.on('close', () => void context.close());
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${consoleApp.url}/admin`);
    await page.fill('#login input[name=username]', username);
    await page.fill('#login input[name=password]', PASSWORD);
    await page.click('#login button[type=submit]');
    await page.waitForSelector(`#who:has-text("${username}")`);
    return page;
  }

  async function showMarch(page: Page) {
    await page.click('nav a[href="#governance"]');
    await page.waitForSelector('#gov-period-shown:not(:empty)');
    await page.selectOption('#gov-period select[name=preset]', 'custom');
    await page.fill('#gov-period input[name=from]', '2025-03-01');
    await page.fill('#gov-period input[name=to]', '2025-03-31');
    await page.click('#gov-period button[type=submit]');
    await page.waitForSelector('#gov-period-shown:has-text("01/03/2025 – 31/03/2025 · quá hạn tính đến hết ngày 31/03/2025")');
  }

  /** The rows of a chart's table of numbers, cell texts. */
  const tableOf = (page: Page, chart: string) =>
    page.$$eval(`table[data-chart="${chart}"] tbody tr`, (rows) => rows.map((r) => [...r.children].map((c) => (c.textContent ?? '').trim())));

  async function canvasSizes(page: Page) {
    return page.$$eval('.chart-canvas', (divs) => divs.map((d) => {
      const c = d.querySelector('canvas');
      return [d.getAttribute('data-chart'), c ? c.width > 100 && c.height > 100 : false] as const;
    }));
  }

  it('when an admin opens the governance page at desktop width for March 2025, then every chart is drawn from the figures of that month, people by name and role, rejected apart from resolved', async () => {
    const page = await loginAs('lan', DESKTOP);
    const problems: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    page.on('pageerror', (e) => void problems.push(e.message));
    await showMarch(page);
    expect(await canvasSizes(page)).toEqual(CHARTS.map((c) => [c, true]));
    expect(await page.$$eval('.chart h2', (hs) => hs.map((h) => h.textContent))).toEqual([
      'Phản ánh, kiến nghị theo lĩnh vực và thôn',
      'Tỷ lệ trả lời đúng hạn theo lĩnh vực',
      'Tỷ lệ trả lời đúng hạn theo thôn',
      'Tỷ lệ trả lời đúng hạn theo cán bộ',
      'Hồ sơ quá hạn theo số ngày quá hạn',
      'Hồ sơ và mức hài lòng theo tháng',
      'Thủ tục người dân hỏi nhiều nhất',
      'Thủ tục được đặt lịch nhiều nhất',
      'Lịch hẹn: đến, vắng theo tháng',
    ]);
    expect(await tableOf(page, 'heatmap')).toEqual([
      ['Môi trường (rác, chăn nuôi, đốt rơm)', '0', '2'],
      ['Đất đai (tranh chấp, lấn chiếm, cấp sổ)', '2', '1'],
    ]);
    expect(await page.$$eval('table[data-chart="heatmap"] thead th', (th) => th.map((x) => x.textContent))).toEqual(['Lĩnh vực', 'Thôn 1', 'Thôn 2']);
    expect(await tableOf(page, 'onTimeOfficial')).toEqual([
      ['Nguyễn Văn Địa — Công chức chuyên môn', '2', '1', '50%'],
      ['Trần Thị Hai — Trưởng thôn', '1', '1', '100%'],
    ]);
    expect(await tableOf(page, 'months')).toEqual([['03/2025', '5', '2', '1', '2', '3.5']]);
    expect(await page.$$eval('table[data-chart="months"] thead th', (th) => th.map((x) => x.textContent))).toContain('Từ chối (không tiếp nhận)');
    expect(await tableOf(page, 'overdue')).toEqual([['1–3 ngày', '0'], ['4–7 ngày', '0'], ['8–15 ngày', '2'], ['16–30 ngày', '0'], ['trên 30 ngày', '0']]);
    expect(await tableOf(page, 'asked')).toEqual([['Đăng ký kết hôn', '3'], ['Đăng ký khai sinh', '2'], ['Đăng ký khai tử', '1']]);
    expect(await tableOf(page, 'booked')).toEqual([['Đăng ký khai sinh', '2'], ['Đăng ký kết hôn', '1']]);
    expect(await tableOf(page, 'appointments')).toEqual([['03/2025', '2', '1', '0', '0']]);
    await page.screenshot({ path: join(ARTIFACTS, 'gov-01-desktop.png'), fullPage: true });

    // In English, the same figures in English words.
    await page.click('#lang');
    await page.waitForSelector('.chart h2:has-text("Petitions by category and village")');
    expect((await tableOf(page, 'onTimeOfficial'))[0][0]).toBe('Nguyễn Văn Địa — Specialist official');
    expect((await tableOf(page, 'asked'))[0][0]).toBe('Marriage registration');
    await page.click('#lang');
    await page.waitForSelector('.chart h2:has-text("Phản ánh, kiến nghị theo lĩnh vực và thôn")');

    // Another period: April 2025 has no petitions, and says so.
    await page.fill('#gov-period input[name=from]', '2025-04-01');
    await page.fill('#gov-period input[name=to]', '2025-04-30');
    await page.click('#gov-period button[type=submit]');
    await page.waitForSelector('#gov-period-shown:has-text("01/04/2025")');
    expect(await tableOf(page, 'heatmap')).toEqual([]);
    expect(await page.textContent('.chart[data-chart=heatmap] .no-data')).toBe('Không có số liệu trong kỳ này.');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('when each chart is exported, then the CSV is UTF-8 with a BOM and the numbers of the table, and the PNG is an image; the keyboard alone reaches and presses the buttons', async () => {
    const page = await loginAs('lan', DESKTOP);
    // Chromium lets one tab start ten downloads: each chart is exported from a tab of its own (same session).
    for (const chart of CHARTS) {
      const tab = await page.context().newPage();
      await tab.goto(`${consoleApp.url}/admin`);
      await tab.waitForSelector('#who:has-text("lan")');
      await showMarch(tab);
      const [csv] = await Promise.all([tab.waitForEvent('download'), tab.click(`.chart[data-chart=${chart}] button[data-export=csv]`)]);
      expect(csv.suggestedFilename()).toBe(`${chart}-2025-03-01-2025-03-31.csv`);
      const bytes = readFileSync((await csv.path())!);
      expect([chart, ...bytes.subarray(0, 3)]).toEqual([chart, 0xef, 0xbb, 0xbf]);
      const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
      expect(lines.slice(1).map((l) => l.split('","')[0].replace(/^"/, ''))).toEqual((await tableOf(tab, chart)).map((r) => r[0]));
      const [png] = await Promise.all([tab.waitForEvent('download'), tab.click(`.chart[data-chart=${chart}] button[data-export=png]`)]);
      expect(png.suggestedFilename()).toBe(`${chart}-2025-03-01-2025-03-31.png`);
      expect([...readFileSync((await png.path())!).subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      await tab.close();
    }
    await showMarch(page);
    const heat = readFileSync((await (await Promise.all([page.waitForEvent('download'), page.click('.chart[data-chart=heatmap] button[data-export=csv]')]))[0].path())!, 'utf8');
    expect(heat).toBe('\uFEFF"Lĩnh vực","Thôn 1","Thôn 2"\r\n"Môi trường (rác, chăn nuôi, đốt rơm)","0","2"\r\n"Đất đai (tranh chấp, lấn chiếm, cấp sổ)","2","1"\r\n');

    // Keyboard: from the period's button, Tab reaches the first chart's CSV button, and Enter downloads.
    await page.focus('#gov-period button[type=submit]');
    await page.keyboard.press('Tab');
    expect(await page.$eval(':focus', (e) => e.getAttribute('aria-label'))).toBe('Tải CSV: Phản ánh, kiến nghị theo lĩnh vực và thôn');
    const [byKey] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(byKey.suggestedFilename()).toBe('heatmap-2025-03-01-2025-03-31.csv');
    await page.close();
  });

  it('when a viewer opens the governance page at phone width, then the keyboard reaches it from the menu and the charts fit the screen without sideways scrolling', async () => {
    const page = await loginAs('hoa', PHONE);
    // The keyboard reaches the page from the menu: Tab from "Tổng quan", Enter.
    await page.focus('nav a[href="#dashboard"]');
    await page.keyboard.press('Tab');
    expect(await page.$eval(':focus', (e) => e.getAttribute('href'))).toBe('#governance');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#governance:not([hidden]) .chart canvas');
    await showMarch(page);
    expect(await canvasSizes(page)).toEqual(CHARTS.map((c) => [c, true]));
    const widths = { page: await page.$eval('html', (h) => h.scrollWidth), screen: PHONE.width, charts: await page.$$eval('.chart', (fs) => fs.map((f) => f.getBoundingClientRect().right)) };
    expect(widths.page).toBeLessThanOrEqual(widths.screen);
    for (const right of widths.charts) expect(right).toBeLessThanOrEqual(widths.screen);
    await page.screenshot({ path: join(ARTIFACTS, 'gov-02-phone.png'), fullPage: true });
    await page.close();
  });

  it('when an admin filters the cases by rejected, resolved or both, then each is worded and marked apart, the export follows the filter, and the assignee is named with the id in the tooltip', async () => {
    const page = await loginAs('lan', DESKTOP);
    await page.click('nav a[href="#cases"]');
    await page.waitForSelector('#case-table tbody tr');
    const rows = () => page.$$eval('#case-table tbody tr', (trs) => trs.map((tr) => {
      const cells = [...tr.querySelectorAll('td')];
      return { status: tr.getAttribute('data-status'), word: cells[3]?.textContent, cls: cells[3]?.className, assignee: cells[5]?.textContent, id: cells[5]?.getAttribute('title') };
    }));
    const filter = async (value: string) => {
      await page.selectOption('#case-filters select[name=status]', value);
      await page.click('#case-filters button[type=submit]');
      const others = ['received', 'assigned', 'in_progress', 'transferred', 'resolved', 'rejected'].filter((x) => !value.split(',').includes(x));
      await page.waitForSelector(others.map((x) => `#case-table tbody tr[data-status=${x}]`).join(', '), { state: 'detached' });
    };
    await filter('rejected');
    expect(await rows()).toEqual([{ status: 'rejected', word: 'Từ chối (không tiếp nhận)', cls: 'status status-rejected', assignee: 'Trần Thị Hai — Trưởng thôn', id: 'truong-thon-2' }]);
    expect(await page.getAttribute('#csv', 'href')).toBe('/admin/api/cases.csv?status=rejected');
    await filter('resolved');
    expect((await rows()).map((r) => [r.word, r.cls])).toEqual([['Đã giải quyết', 'status status-resolved'], ['Đã giải quyết', 'status status-resolved']]);
    await filter('resolved,rejected');
    expect((await rows()).map((r) => r.word).sort()).toEqual(['Đã giải quyết', 'Đã giải quyết', 'Từ chối (không tiếp nhận)'].sort());
    expect(await page.$$eval('#case-filters select[name=status] option', (os) => os.map((o) => o.textContent))).toEqual(expect.arrayContaining(['Đã giải quyết', 'Từ chối (không tiếp nhận)', 'Đã đóng (giải quyết hoặc từ chối)']));
    await page.close();
  });

  it('when an admin changed an official, then the audit log names the official by name and role, the stored target in the tooltip', async () => {
    const bearer = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    expect((await request(consoleApp.url).patch('/admin/api/officials/truong-thon-2').set(bearer).send({ onDuty: true })).status).toBe(200);
    const page = await loginAs('lan', DESKTOP);
    await page.click('nav a[href="#audit"]');
    const line = page.locator('#audit-list li[data-action="official.update"]').first();
    await line.waitFor();
    expect(await line.textContent()).toMatch(/ · sửa thông tin cán bộ · Trần Thị Hai — Trưởng thôn$/);
    expect(await line.locator('span').getAttribute('title')).toBe('truong-thon-2');
    await page.close();
  });

  it('when axe-core checks every console page (labels, contrast, keyboard), then none has a serious or critical violation', async () => {
    const found: { page: string; id: string; impact: string; targets: string[] }[] = [];
    const audit = async (page: Page, name: string) => {
      await page.addScriptTag({ path: AXE });
      type AxeResult = { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
      const result = await page.evaluate(async () => {
        const g = globalThis as unknown as { axe: { run: (ctx: unknown, opts: object) => Promise<AxeResult> }; document: unknown };
        return g.axe.run(g.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
      });
      for (const v of result.violations) if (v.impact === 'serious' || v.impact === 'critical') found.push({ page: name, id: v.id, impact: v.impact, targets: v.nodes.flatMap((n) => n.target).slice(0, 5) });
    };
    // The test page only skips the CSP to let axe's script in; the console itself is unchanged.
    for (const viewport of [DESKTOP, PHONE]) {
      const login = await (await liveBrowser()).newPage({ viewport, bypassCSP: true });
      await login.goto(`${consoleApp.url}/admin`);
      await login.waitForSelector('#login:not([hidden])');
      await audit(login, `login@${viewport.width}`);
      await login.close();
      const page = await loginAs('lan', viewport, { bypassCSP: true });
      for (const section of ['dashboard', 'governance', 'flows', 'data', 'cases', 'appointments', 'officials', 'users', 'pending', 'audit']) {
        await page.click(`nav a[href="#${section}"]`);
        await page.waitForSelector(`#${section}:not([hidden])`);
        if (section === 'governance') await page.waitForSelector('.chart canvas');
        await page.waitForLoadState('networkidle');
        await audit(page, `${section}@${viewport.width}`);
      }
      // What opens inside a page: a case's detail with its forms, an official's edit form, a flow in the editor.
      await page.click('nav a[href="#cases"]');
      await page.click('#case-table tbody tr');
      await page.waitForSelector('#case-detail:not([hidden]) #case-history li');
      await audit(page, `case-detail@${viewport.width}`);
      await page.click('nav a[href="#officials"]');
      await page.click('#roster tbody tr');
      await page.waitForSelector('#official-form:not([hidden])');
      await audit(page, `official-form@${viewport.width}`);
      await page.click('nav a[href="#flows"]');
      await page.click('a[data-flow="main-menu"]');
      await page.waitForSelector('#check-status.ok');
      await audit(page, `flow-editor@${viewport.width}`);
      await page.screenshot({ path: join(ARTIFACTS, `gov-03-audit-${viewport.width}.png`), fullPage: true });
      await page.close();
    }
    expect(found).toEqual([]);
  });
});
