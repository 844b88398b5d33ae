import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import request from 'supertest';
import { MemoryAuditLog, MemoryConversationStore, MemoryFlowStore, MemoryUserStore } from '../../src/store/memory';
import { caseApiApp } from '../helpers/case-api-app';
import { startConsoleApp } from '../helpers/console-app';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis';

const ADMIN_TOKEN = 'console-admin-token-0123456789';
const PASSWORD = 'mat-khau-dai-2025';
const mainMenu = readFileSync(join(__dirname, '../../flows/main-menu.yaml'), 'utf8');
const deskYaml = readFileSync(join(__dirname, '../../flows/data/desk.yaml'), 'utf8');

type Who = 'anonymous' | 'viewer' | 'official' | 'admin';
interface Agent {
  cookie?: string;
  csrf?: string;
}

describe('console roles, sessions, CSRF, lockout and audit', () => {
  let prefix: string;
  let world: Awaited<ReturnType<typeof caseApiApp>>;
  let users: MemoryUserStore;
  let audit: MemoryAuditLog;
  let flows: MemoryFlowStore;
  let conversations: MemoryConversationStore;
  let queue: Queue;
  let consoleApp: Awaited<ReturnType<typeof startConsoleApp>>;
  let officialId: string;
  let ownCode: string;
  const pending = [{ channel: 'zalo', userId: 'zalo-user-55501234', notices: [{ id: 'n1', caseId: 'c1', caseCode: 'PA-2603-0001', kind: 'resolved', text: 'Hồ sơ PA-2603-0001 đã được giải quyết.', reason: 'window_closed', at: Date.UTC(2026, 2, 2) }] }];
  const agents: Record<Who, Agent> = { anonymous: {}, viewer: {}, official: {}, admin: {} };

  async function login(username: string, password = PASSWORD, ip = '10.0.0.1') {
    return request(consoleApp.url).post('/admin/api/login').set('X-Forwarded-For', ip).send({ username, password });
  }
  function asAgent(a: Agent, method: 'get' | 'post' | 'patch' | 'put' | 'delete', path: string, opts: { csrf?: boolean } = {}) {
    let r = request(consoleApp.url)[method](path);
    if (a.cookie) r = r.set('Cookie', a.cookie);
    if (a.csrf && opts.csrf !== false) r = r.set('X-CSRF-Token', a.csrf);
    return r;
  }
  const token = (method: 'get' | 'post', path: string) => request(consoleApp.url)[method](path).set('Authorization', `Bearer ${ADMIN_TOKEN}`);

  beforeAll(async () => {
    prefix = uniquePrefix();
    world = await caseApiApp();
    users = new MemoryUserStore();
    audit = new MemoryAuditLog();
    flows = new MemoryFlowStore();
    conversations = new MemoryConversationStore();
    queue = new Queue('case-deadlines', { connection: { url: TEST_REDIS_URL }, prefix });
    consoleApp = await startConsoleApp({
      prefix,
      adminToken: ADMIN_TOKEN,
      stores: { users, audit, flows, conversations, cases: world.cases, officials: world.officials },
      queues: [queue],
      pendingNotices: async () => pending,
    });
    const code = await world.file({ category: 'land', village: 'thon mot', content: 'Nhà bên cạnh lấn sang lối đi chung.' });
    officialId = (await world.cases.findByCode(code))!.assigneeId!;
    ownCode = code;

    expect((await token('post', '/admin/api/setup').send({ username: 'lan', password: PASSWORD })).status).toBe(201);
    expect((await token('post', '/admin/api/users').send({ username: 'hoa', password: PASSWORD, role: 'viewer' })).status).toBe(201);
    expect((await token('post', '/admin/api/users').send({ username: 'minh', password: PASSWORD, role: 'official', officialId })).status).toBe(201);
    expect((await token('post', '/admin/api/users').send({ username: 'spare', password: PASSWORD, role: 'viewer' })).status).toBe(201);
    for (const [who, name] of [['admin', 'lan'], ['viewer', 'hoa'], ['official', 'minh']] as const) {
      const res = await login(name);
      expect(res.status).toBe(200);
      agents[who] = { cookie: String(res.headers['set-cookie']).split(';')[0], csrf: res.body.csrf };
    }
  });

  afterAll(async () => {
    await consoleApp.close();
    await queue.close();
    await deleteKeys(prefix);
  });

  it('when an account logs in, then the cookie is httpOnly, SameSite=Strict, scoped to /admin, and Secure behind https', async () => {
    const plain = await login('hoa');
    expect(String(plain.headers['set-cookie'])).toMatch(/commune_admin=[^;]+; Max-Age=\d+; Path=\/admin; Expires=.*; HttpOnly; SameSite=Strict/);
    expect(String(plain.headers['set-cookie'])).not.toContain('Secure');
    const https = await request(consoleApp.url).post('/admin/api/login').set('X-Forwarded-Proto', 'https').send({ username: 'hoa', password: PASSWORD });
    expect(String(https.headers['set-cookie'])).toContain('; Secure');
    expect(plain.body.user).toEqual(expect.objectContaining({ username: 'hoa', role: 'viewer' }));
    expect(JSON.stringify(plain.body)).not.toContain('passwordHash');
  });

  // Each row: a route family, the request, and the status each principal gets.
  const families: { family: string; method: 'get' | 'post' | 'patch'; path: () => string; body?: () => object; accept?: string; expect: Record<Who, number> }[] = [
    { family: 'flows read', method: 'get', path: () => '/admin/api/flows', expect: { anonymous: 401, viewer: 403, official: 200, admin: 200 } },
    { family: 'flows check', method: 'post', path: () => '/admin/api/flows/main-menu/check', body: () => ({ source: mainMenu }), expect: { anonymous: 401, viewer: 403, official: 403, admin: 200 } },
    { family: 'flows publish', method: 'post', path: () => '/admin/api/flows/main-menu', body: () => ({ source: mainMenu }), expect: { anonymous: 401, viewer: 403, official: 403, admin: 201 } },
    { family: 'commune data read', method: 'get', path: () => '/admin/api/commune-data/desk', expect: { anonymous: 401, viewer: 403, official: 200, admin: 200 } },
    { family: 'commune data check', method: 'post', path: () => '/admin/api/commune-data/desk/check', body: () => ({ source: deskYaml }), expect: { anonymous: 401, viewer: 403, official: 403, admin: 200 } },
    { family: 'commune data publish', method: 'post', path: () => '/admin/api/commune-data/desk', body: () => ({ source: deskYaml }), expect: { anonymous: 401, viewer: 403, official: 403, admin: 201 } },
    { family: 'commune data rollback', method: 'post', path: () => '/admin/api/commune-data/desk/rollback', body: () => ({ version: 1 }), expect: { anonymous: 401, viewer: 403, official: 403, admin: 201 } },
    { family: 'cases read', method: 'get', path: () => '/admin/api/console/cases', expect: { anonymous: 401, viewer: 403, official: 200, admin: 200 } },
    { family: 'cases export', method: 'get', path: () => '/admin/api/cases.csv', expect: { anonymous: 401, viewer: 403, official: 200, admin: 200 } },
    { family: 'users', method: 'get', path: () => '/admin/api/users', expect: { anonymous: 401, viewer: 403, official: 403, admin: 200 } },
    { family: 'audit', method: 'get', path: () => '/admin/api/audit', expect: { anonymous: 401, viewer: 403, official: 403, admin: 200 } },
    { family: 'dashboard', method: 'get', path: () => '/admin/api/dashboard', expect: { anonymous: 401, viewer: 200, official: 200, admin: 200 } },
    { family: 'officials link code', method: 'post', path: () => `/admin/api/officials/${officialId}/link-code`, body: () => ({}), expect: { anonymous: 401, viewer: 403, official: 403, admin: 201 } },
    { family: 'flows try', method: 'post', path: () => '/admin/api/flows/main-menu/try', body: () => ({ source: mainMenu, state: null, input: { type: 'text', text: 'xin chao' } }), expect: { anonymous: 401, viewer: 403, official: 403, admin: 200 } },
    { family: 'cases API (scripts)', method: 'get', path: () => '/admin/api/cases', expect: { anonymous: 401, viewer: 403, official: 200, admin: 200 } },
    { family: 'cases API detail', method: 'get', path: () => `/admin/api/cases/${ownCode}`, expect: { anonymous: 401, viewer: 403, official: 200, admin: 200 } },
    { family: 'officials roster', method: 'get', path: () => '/admin/api/officials', expect: { anonymous: 401, viewer: 403, official: 200, admin: 200 } },
    { family: 'officials edit', method: 'patch', path: () => `/admin/api/officials/${officialId}`, body: () => ({ onDuty: true }), expect: { anonymous: 401, viewer: 403, official: 403, admin: 200 } },
    { family: 'users create', method: 'post', path: () => '/admin/api/users', body: () => ({ username: `u${Date.now()}${Math.floor(Math.random() * 1000)}`, password: PASSWORD, role: 'viewer' }), expect: { anonymous: 401, viewer: 403, official: 403, admin: 201 } },
    { family: 'users change', method: 'patch', path: () => '/admin/api/users/spare', body: () => ({ active: true }), expect: { anonymous: 401, viewer: 403, official: 403, admin: 200 } },
    { family: 'pending notices', method: 'get', path: () => '/admin/api/pending-notices', expect: { anonymous: 401, viewer: 403, official: 403, admin: 200 } },
    { family: 'queues page', method: 'get', path: () => '/admin/queues', accept: 'text/html', expect: { anonymous: 302, viewer: 403, official: 403, admin: 200 } },
    { family: 'queues API', method: 'get', path: () => '/admin/queues/api/queues', accept: 'application/json', expect: { anonymous: 401, viewer: 403, official: 403, admin: 200 } },
  ];
  for (const f of families) {
    for (const who of ['anonymous', 'viewer', 'official', 'admin'] as const) {
      it(`when ${who} calls ${f.family}, then ${f.expect[who]}`, async () => {
        let r = asAgent(agents[who], f.method, f.path());
        if (f.accept) r = r.set('Accept', f.accept);
        if (f.body) r = r.send(f.body());
        expect((await r).status).toBe(f.expect[who]);
      });
    }
  }

  it('when each role changes a case, then the viewer is refused, the official works only their own, the admin any', async () => {
    const own = await world.file({ category: 'land', village: 'thon mot', content: 'Tranh chấp ranh giới đất.' });
    const other = await world.file({ category: 'environment', village: 'Thôn 2', content: 'Rác thải ven đường.' });
    const resolve = (who: Who, code: string) => asAgent(agents[who], 'post', `/admin/api/console/cases/${code}/resolve`).send({ answer: 'Đã xử lý xong.' });
    expect((await resolve('anonymous', own)).status).toBe(401);
    expect((await resolve('viewer', own)).status).toBe(403);
    expect((await resolve('official', other)).status).toBe(404);
    expect((await resolve('official', own)).status).toBe(200);
    const assign = await asAgent(agents.admin, 'post', `/admin/api/console/cases/${other}/assign`).send({ officialId });
    expect(assign.status).toBe(200);
    expect(assign.body.case.assigneeId).toBe(officialId);
    // Now it is the official's: they see it in their list.
    const mine = await asAgent(agents.official, 'get', '/admin/api/console/cases');
    expect(mine.body.cases.map((c: { code: string }) => c.code)).toEqual(expect.arrayContaining([other]));
  });

  it('when a session request changes something without the CSRF header or with a wrong one, then 403 and nothing changes', async () => {
    const before = await flows.history('main-menu');
    expect((await asAgent(agents.admin, 'post', '/admin/api/flows/main-menu', { csrf: false }).send({ source: mainMenu })).status).toBe(403);
    expect((await asAgent({ cookie: agents.admin.cookie, csrf: 'x'.repeat(43) }, 'post', '/admin/api/flows/main-menu').send({ source: mainMenu })).status).toBe(403);
    expect(await flows.history('main-menu')).toEqual(before);
  });

  it('when a login fails 5 times for one name from one address, then the right password is refused with 429 there, and not elsewhere', async () => {
    await token('post', '/admin/api/users').send({ username: 'tam', password: PASSWORD, role: 'viewer' });
    for (let i = 0; i < 5; i++) expect((await login('tam', 'wrong-password-1', '10.9.9.9')).status).toBe(401);
    const locked = await login('tam', PASSWORD, '10.9.9.9');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect((await login('tam', PASSWORD, '10.9.9.10')).status).toBe(200);
  });

  it('when a login is locked, then the 429 body carries the TOO_MANY_ATTEMPTS code and a message in the caller\'s language', async () => {
    await token('post', '/admin/api/users').send({ username: 'thu', password: PASSWORD, role: 'viewer' });
    for (let i = 0; i < 5; i++) await login('thu', 'wrong-password-2', '10.8.8.8');
    const vi = await login('thu', PASSWORD, '10.8.8.8');
    expect(vi.status).toBe(429);
    expect(vi.body.error).toEqual({ code: 'TOO_MANY_ATTEMPTS', message: expect.stringContaining('xin ông/bà thử lại') });
    expect(Number(vi.headers['retry-after'])).toBeGreaterThan(0);
    const en = await request(consoleApp.url).post('/admin/api/login').set('X-Forwarded-For', '10.8.8.8').set('Accept-Language', 'en').send({ username: 'thu', password: PASSWORD });
    expect(en.body.error).toEqual({ code: 'TOO_MANY_ATTEMPTS', message: expect.stringContaining('Too many failed logins') });
    expect(en.headers['set-cookie']).toBeUndefined();
  });

  it('when people log in, fail and get locked out, then each attempt is in the audit log with the name and address, never the password', async () => {
    await token('post', '/admin/api/users').send({ username: 'nam', password: PASSWORD, role: 'viewer' });
    expect((await login('nam', 'sai-mat-khau-bi-mat', '10.7.7.7')).status).toBe(401);
    expect((await login('nam', PASSWORD, '10.7.7.7')).status).toBe(200);
    for (let i = 0; i < 5; i++) await login('nam', 'sai-mat-khau-bi-mat', '10.7.7.8');
    expect((await login('nam', PASSWORD, '10.7.7.8')).status).toBe(429);
    const entries = (await asAgent(agents.admin, 'get', '/admin/api/audit?target=user:nam&limit=100')).body.entries as { action: string; actor: string; after: { ip: string } }[];
    const seen = entries.map((e) => `${e.action} ${e.actor} ${e.after?.ip}`).reverse();
    expect(seen).toEqual([
      'user.create admin-token undefined',
      'login.failure nam 10.7.7.7',
      'login.success nam 10.7.7.7',
      ...Array(5).fill('login.failure nam 10.7.7.8'),
      'login.locked nam 10.7.7.8',
    ]);
    const all = JSON.stringify((await asAgent(agents.admin, 'get', '/admin/api/audit?limit=1000')).body);
    expect(all).not.toContain('sai-mat-khau-bi-mat');
    expect(all).not.toContain(PASSWORD);
  });

  it('when an admin resets a password and disables an account, then the answer and the audit never hold the password, and the old one stops working', async () => {
    await token('post', '/admin/api/users').send({ username: 'vy-le', password: PASSWORD, role: 'viewer' });
    const fresh = 'mat-khau-moi-2026-rat-dai';
    const reset = await asAgent(agents.admin, 'patch', '/admin/api/users/vy-le').send({ password: fresh });
    expect(reset.status).toBe(200);
    expect(JSON.stringify(reset.body)).not.toContain(fresh);
    expect(JSON.stringify(reset.body)).not.toContain('passwordHash');
    expect((await login('vy-le', PASSWORD, '10.6.6.6')).status).toBe(401);
    expect((await login('vy-le', fresh, '10.6.6.6')).status).toBe(200);
    expect((await asAgent(agents.admin, 'patch', '/admin/api/users/vy-le').send({ active: false })).status).toBe(200);
    expect((await login('vy-le', fresh, '10.6.6.6')).status).toBe(401);
    const entries = (await asAgent(agents.admin, 'get', '/admin/api/audit?target=user:vy-le&action=user.update')).body.entries;
    expect(entries.map((e: { after: { passwordChanged: boolean; active: boolean } }) => [e.after.passwordChanged, e.after.active])).toEqual([[false, false], [true, true]]);
    expect(JSON.stringify(entries)).not.toContain(fresh);
    const list = await asAgent(agents.admin, 'get', '/admin/api/users');
    expect(list.body.users).toEqual(expect.arrayContaining([expect.objectContaining({ username: 'vy-le', active: false })]));
    expect(JSON.stringify(list.body)).not.toContain('passwordHash');
  });

  it('when an admin edits an official, then villages, categories, role and duty change, linked accounts stay, and the audit has before and after', async () => {
    const before = (await world.officials.get(officialId))!;
    await world.officials.upsert({ ...before, accounts: [{ channel: 'zalo', userId: 'zalo-official-77001234' }] });
    const res = await asAgent(agents.admin, 'patch', `/admin/api/officials/${officialId}`).send({ villages: ['Thôn 1', 'Thôn 2'], categories: ['land', 'environment'], role: 'village_head', onDuty: false });
    expect(res.status).toBe(200);
    expect(res.body.official).toMatchObject({ id: officialId, villages: ['Thôn 1', 'Thôn 2'], categories: ['land', 'environment'], role: 'village_head', onDuty: false, accounts: [{ channel: 'zalo', userId: '••••1234' }] });
    expect((await world.officials.get(officialId))!.accounts).toEqual([{ channel: 'zalo', userId: 'zalo-official-77001234' }]);
    const [entry] = (await asAgent(agents.admin, 'get', `/admin/api/audit?target=official:${officialId}&action=official.update`)).body.entries;
    expect(entry).toMatchObject({ actor: 'lan', before: { role: before.role }, after: { role: 'village_head', villages: ['Thôn 1', 'Thôn 2'] } });
    const roster = (await asAgent(agents.official, 'get', '/admin/api/officials')).body.officials;
    expect(roster.find((o: { id: string }) => o.id === officialId)).toMatchObject({ name: before.name, categories: ['land', 'environment'], linked: 1 });
    // A bad category or an unknown official changes nothing.
    expect((await asAgent(agents.admin, 'patch', `/admin/api/officials/${officialId}`).send({ categories: ['not-a-category'] })).status).toBe(400);
    expect((await asAgent(agents.admin, 'patch', '/admin/api/officials/nobody-here').send({ onDuty: true })).status).toBe(400);
    expect((await world.officials.get(officialId))!.categories).toEqual(['land', 'environment']);
    await world.officials.upsert(before);
  });

  it('when bull-board changes a queue, then only an admin from this server\'s own page may do it', async () => {
    const pause = (a: Agent, origin?: string) => {
      let r = asAgent(a, 'put', '/admin/queues/api/queues/case-deadlines/pause', { csrf: false });
      if (origin) r = r.set('Origin', origin);
      return r;
    };
    expect((await pause(agents.admin)).status).toBe(403);
    expect((await pause(agents.admin, 'https://evil.example')).status).toBe(403);
    expect((await pause(agents.viewer, consoleApp.url)).status).toBe(403);
    expect(await queue.isPaused()).toBe(false);
    expect((await pause(agents.admin, consoleApp.url)).status).toBeLessThan(300);
    expect(await queue.isPaused()).toBe(true);
    await queue.resume();
  });

  it('when notices wait for a closed window, then admins see them with the chat id masked', async () => {
    const res = await asAgent(agents.admin, 'get', '/admin/api/pending-notices');
    expect(res.body).toEqual({ count: 1, people: [{ channel: 'zalo', user: '••••1234', notices: [expect.objectContaining({ caseCode: 'PA-2603-0001', reason: 'window_closed', text: 'Hồ sơ PA-2603-0001 đã được giải quyết.' })] }] });
    expect(JSON.stringify(res.body)).not.toContain('zalo-user-55501234');
  });

  it('when people wrote on Zalo and Messenger, then the dashboard shows 14 days of messages in and replies sent per channel', async () => {
    const now = Date.now();
    const key = 'zalo:zalo-user-dash';
    await conversations.save({ key, channel: 'zalo', userId: 'zalo-user-dash', state: {} }, [
      { direction: 'in', at: now - 1000, id: 'd1', text: 'xin chao' },
      { direction: 'out', at: now - 900, id: 'd2', text: 'Kính chào', status: 'sent' },
      { direction: 'out', at: now - 800, id: 'd3', text: 'menu', status: 'failed' },
      { direction: 'in', at: now - 20 * 86_400_000, id: 'd0', text: 'old' },
    ], now);
    await conversations.save({ key: 'messenger:psid-dash', channel: 'messenger', userId: 'psid-dash', state: {} }, [{ direction: 'in', at: now - 86_400_000, id: 'm1', text: 'alo' }], now);
    const d = (await asAgent(agents.viewer, 'get', '/admin/api/dashboard')).body;
    expect(d.messages.days).toHaveLength(14);
    const today = new Date(now + 7 * 3600_000).toISOString().slice(0, 10);
    const yesterday = new Date(now - 86_400_000 + 7 * 3600_000).toISOString().slice(0, 10);
    expect(d.messages.days[13]).toBe(today);
    expect(d.messages.rows).toEqual(expect.arrayContaining([
      { day: today, channel: 'zalo', inbound: 1, outbound: 1 },
      { day: yesterday, channel: 'messenger', inbound: 1, outbound: 0 },
    ]));
    expect(d.messages.rows.reduce((n: number, r: { inbound: number }) => n + r.inbound, 0)).toBe(2);
  });

  it('when login bodies carry operators or non-strings, then 400 and no session', async () => {
    for (const body of [{ username: { $ne: '' }, password: PASSWORD }, { username: 'lan', password: { $gt: '' } }, { username: 'lan', password: PASSWORD, role: 'admin' }]) {
      const res = await request(consoleApp.url).post('/admin/api/login').send(body);
      expect(res.status).toBe(400);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('when the first admin exists, then setup is refused, and it never takes a session', async () => {
    expect((await token('post', '/admin/api/setup').send({ username: 'second', password: PASSWORD })).status).toBe(403);
    expect((await asAgent(agents.admin, 'post', '/admin/api/setup').send({ username: 'third', password: PASSWORD })).status).toBe(403);
  });

  it('when a flow is published and rolled back, and cases are assigned and resolved, then the audit log says who, when, what, before and after', async () => {
    const changed = mainMenu.replace('Kính chào ông/bà!', 'Xin kính chào bà con!');
    const v = await asAgent(agents.admin, 'post', '/admin/api/flows/main-menu').send({ source: changed });
    expect(v.status).toBe(201);
    const back = await asAgent(agents.admin, 'post', '/admin/api/flows/main-menu/rollback').send({ version: 1 });
    expect(back.status).toBe(201);
    expect((await flows.latest('main-menu'))?.source).toBe(mainMenu);

    const entries = (await asAgent(agents.admin, 'get', '/admin/api/audit?target=flow:main-menu')).body.entries;
    expect(entries[0]).toEqual({ id: expect.any(String), at: expect.any(Number), actor: 'lan', action: 'flow.rollback', target: 'flow:main-menu', before: expect.objectContaining({ source: changed }), after: expect.objectContaining({ source: mainMenu }) });
    expect(entries[1]).toMatchObject({ actor: 'lan', action: 'flow.publish', after: { source: changed } });

    const all = (await asAgent(agents.admin, 'get', '/admin/api/audit?limit=1000')).body.entries as { action: string; actor: string; before: { status?: string } | null; after: { status?: string; assigneeId?: string } }[];
    const assign = all.find((e) => e.action === 'case.assign');
    const resolved = all.find((e) => e.action === 'case.resolve');
    expect(assign).toMatchObject({ actor: 'lan', after: { assigneeId: officialId } });
    expect(resolved).toMatchObject({ actor: 'minh', after: { status: 'resolved' } });
    expect(resolved!.before!.status).not.toBe('resolved');
    expect(all.filter((e) => e.action === 'user.create').map((e) => e.actor)).toEqual(expect.arrayContaining(['admin-token']));
  });

  it('when anyone tries to edit or delete the audit log, then there is no such route', async () => {
    const [entry] = (await asAgent(agents.admin, 'get', '/admin/api/audit?limit=1')).body.entries;
    for (const method of ['put', 'patch', 'delete', 'post'] as const) {
      expect((await asAgent(agents.admin, method, `/admin/api/audit/${entry.id}`).send({ actor: 'nobody' })).status).toBe(404);
      expect((await asAgent(agents.admin, method, '/admin/api/audit').send({ actor: 'nobody' })).status).toBe(404);
    }
    expect((await asAgent(agents.admin, 'get', '/admin/api/audit?limit=1')).body.entries[0]).toEqual(entry);
  });

  it('when the cases are exported, then the CSV starts with the UTF-8 BOM and keeps Vietnamese names', async () => {
    const res = await asAgent(agents.admin, 'get', '/admin/api/cases.csv').buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.headers['content-type']).toContain('text/csv');
    const text = bytes.toString('utf8');
    expect(text.split('\r\n')[0]).toBe('\uFEFF"code","kind","petition_type","category","category_name","village","status","status_name","assignee","assignee_name","created_at","due_at","overdue","closed_at","rating"');
    expect(text).toMatch(/Thôn/);
  });

  it('when an account is deactivated, then its session stops working at once', async () => {
    expect((await asAgent(agents.admin, 'patch', '/admin/api/users/hoa').send({ active: false })).status).toBe(200);
    expect((await asAgent(agents.viewer, 'get', '/admin/api/dashboard')).status).toBe(401);
  });

  it('when someone logs out, then the session no longer works', async () => {
    const res = await login('minh');
    const me: Agent = { cookie: String(res.headers['set-cookie']).split(';')[0], csrf: res.body.csrf };
    expect((await asAgent(me, 'post', '/admin/api/logout')).status).toBe(204);
    expect((await asAgent(me, 'get', '/admin/api/dashboard')).status).toBe(401);
  });
});
