import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { MemoryAuditLog, MemoryFlowStore, MemoryUserStore } from '../../src/store/memory';
import { caseApiApp } from '../helpers/case-api-app';
import { startConsoleApp } from '../helpers/console-app';
import { deleteKeys, uniquePrefix } from '../helpers/redis';

const ADMIN_TOKEN = 'console-admin-token-0123456789';
const PASSWORD = 'mat-khau-dai-2025';
const mainMenu = readFileSync(join(__dirname, '../../flows/main-menu.yaml'), 'utf8');

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
  let consoleApp: Awaited<ReturnType<typeof startConsoleApp>>;
  let officialId: string;
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
    consoleApp = await startConsoleApp({ prefix, adminToken: ADMIN_TOKEN, stores: { users, audit, flows, cases: world.cases, officials: world.officials } });
    const code = await world.file({ category: 'land', village: 'thon mot', content: 'Nhà bên cạnh lấn sang lối đi chung.' });
    officialId = (await world.cases.findByCode(code))!.assigneeId!;

    expect((await token('post', '/admin/api/setup').send({ username: 'lan', password: PASSWORD })).status).toBe(201);
    expect((await token('post', '/admin/api/users').send({ username: 'hoa', password: PASSWORD, role: 'viewer' })).status).toBe(201);
    expect((await token('post', '/admin/api/users').send({ username: 'minh', password: PASSWORD, role: 'official', officialId })).status).toBe(201);
    for (const [who, name] of [['admin', 'lan'], ['viewer', 'hoa'], ['official', 'minh']] as const) {
      const res = await login(name);
      expect(res.status).toBe(200);
      agents[who] = { cookie: String(res.headers['set-cookie']).split(';')[0], csrf: res.body.csrf };
    }
  });

  afterAll(async () => {
    await consoleApp.close();
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
  const families: { family: string; method: 'get' | 'post'; path: () => string; body?: () => object; expect: Record<Who, number> }[] = [
    { family: 'flows read', method: 'get', path: () => '/admin/api/flows', expect: { anonymous: 401, viewer: 403, official: 200, admin: 200 } },
    { family: 'flows check', method: 'post', path: () => '/admin/api/flows/main-menu/check', body: () => ({ source: mainMenu }), expect: { anonymous: 401, viewer: 403, official: 403, admin: 200 } },
    { family: 'flows publish', method: 'post', path: () => '/admin/api/flows/main-menu', body: () => ({ source: mainMenu }), expect: { anonymous: 401, viewer: 403, official: 403, admin: 201 } },
    { family: 'cases read', method: 'get', path: () => '/admin/api/console/cases', expect: { anonymous: 401, viewer: 403, official: 200, admin: 200 } },
    { family: 'cases export', method: 'get', path: () => '/admin/api/cases.csv', expect: { anonymous: 401, viewer: 403, official: 200, admin: 200 } },
    { family: 'users', method: 'get', path: () => '/admin/api/users', expect: { anonymous: 401, viewer: 403, official: 403, admin: 200 } },
    { family: 'audit', method: 'get', path: () => '/admin/api/audit', expect: { anonymous: 401, viewer: 403, official: 403, admin: 200 } },
    { family: 'dashboard', method: 'get', path: () => '/admin/api/dashboard', expect: { anonymous: 401, viewer: 200, official: 200, admin: 200 } },
    { family: 'officials link code', method: 'post', path: () => `/admin/api/officials/${officialId}/link-code`, body: () => ({}), expect: { anonymous: 401, viewer: 403, official: 403, admin: 201 } },
  ];
  for (const f of families) {
    for (const who of ['anonymous', 'viewer', 'official', 'admin'] as const) {
      it(`when ${who} calls ${f.family}, then ${f.expect[who]}`, async () => {
        let r = asAgent(agents[who], f.method, f.path());
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
    expect(text.split('\r\n')[0]).toBe('\uFEFF"code","kind","category","village","status","assignee","created_at","due_at","overdue","rating"');
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
