import bcrypt from 'bcryptjs';
import request from 'supertest';
import { MemoryAuditLog, MemoryCaseStore, MemoryFlowStore, MemoryOfficialStore, MemoryUserStore } from '../../src/store/memory';
import { startConsoleApp } from '../helpers/console-app';
import { deleteKeys, uniquePrefix } from '../helpers/redis';

const ADMIN_TOKEN = 'console-admin-token-0123456789';
const PASSWORD = 'mat-khau-cu-tu-2025';

describe('console login with the hashes of before and of now', () => {
  let prefix: string;
  let users: MemoryUserStore;
  let consoleApp: Awaited<ReturnType<typeof startConsoleApp>>;

  beforeEach(async () => {
    prefix = uniquePrefix();
    users = new MemoryUserStore();
    consoleApp = await startConsoleApp({ prefix, adminToken: ADMIN_TOKEN, stores: { users, audit: new MemoryAuditLog(), flows: new MemoryFlowStore(), cases: new MemoryCaseStore(), officials: new MemoryOfficialStore() } });
  });

  afterEach(async () => {
    await consoleApp.close();
    await deleteKeys(prefix);
  });

  const login = (username: string, password: string) => request(consoleApp.url).post('/admin/api/login').send({ username, password });

  it('when an account saved with a bcrypt hash logs in, then it gets a session, its hash becomes scrypt and the same password still works', async () => {
    await users.create({ username: 'lan', role: 'admin', passwordHash: bcrypt.hashSync(PASSWORD, 4), active: true, createdAt: 1, updatedAt: 1 });
    const first = await login('lan', PASSWORD);
    expect(first.status).toBe(200);
    expect(first.body.user).toMatchObject({ username: 'lan', role: 'admin' });
    expect(first.body.user.passwordHash).toBeUndefined();
    expect((await users.get('lan'))?.passwordHash).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$/);
    expect((await login('lan', PASSWORD)).status).toBe(200);
    expect((await login('lan', 'not the password')).status).toBe(401);
  });

  it('when an account is created through the API, then it is stored with a scrypt hash and logs in', async () => {
    const made = await request(consoleApp.url).post('/admin/api/users').set('Authorization', `Bearer ${ADMIN_TOKEN}`).send({ username: 'minh', password: PASSWORD, role: 'viewer' });
    expect(made.status).toBe(201);
    expect((await users.get('minh'))?.passwordHash).toMatch(/^\$scrypt\$/);
    expect((await login('minh', PASSWORD)).status).toBe(200);
  });
});
