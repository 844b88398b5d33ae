import bcrypt from 'bcryptjs';
import { createAccounts, createMemoryLoginThrottle } from '../../../src/admin/accounts';
import { createPasswordHashing, type PasswordHashing } from '../../../src/admin/password-hash';
import { MemoryUserStore } from '../../../src/store/memory/user-store';
import type { User } from '../../../src/store/ports/users';

const PASSWORD = 'mật khẩu của Lan 2026';

function account(username: string, passwordHash: string): User {
  return { username, role: 'admin', passwordHash, active: true, createdAt: 1, updatedAt: 1 };
}

describe('password hashing', () => {
  let hashing: PasswordHashing;
  beforeEach(() => {
    hashing = createPasswordHashing({ cost: 10 });
  });
  afterEach(async () => {
    await hashing.close();
  });

  it('when a password is hashed, then the hash is scrypt, salted, and only that password matches', async () => {
    const a = await hashing.hash(PASSWORD);
    const b = await hashing.hash(PASSWORD);
    expect(a).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(a).not.toBe(b);
    await expect(hashing.verify(PASSWORD, a)).resolves.toEqual({ matches: true, outdated: false });
    await expect(hashing.verify(`${PASSWORD}x`, a)).resolves.toEqual({ matches: false, outdated: false });
  });

  it('when a bcrypt hash from before is checked, then the right password matches and the hash is outdated', async () => {
    const old = bcrypt.hashSync(PASSWORD, 4);
    await expect(hashing.verify(PASSWORD, old)).resolves.toEqual({ matches: true, outdated: true });
    await expect(hashing.verify('wrong password!', old)).resolves.toEqual({ matches: false, outdated: false });
  });

  it('when a scrypt hash of a lower cost matches, then it is outdated', async () => {
    const weak = await createPasswordHashing({ cost: 8 }).hash(PASSWORD);
    await expect(hashing.verify(PASSWORD, weak)).resolves.toEqual({ matches: true, outdated: true });
  });

  it('when many logins arrive at once, then they are hashed one at a time and all of them answered', async () => {
    const one = await hashing.hash(PASSWORD);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => hashing.verify(i % 2 ? PASSWORD : 'wrong password!', one)));
    expect(results.map((r) => r.matches)).toEqual([false, true, false, true, false, true, false, true]);
  });

  it('when the stored hash is of no known kind or damaged, then nothing matches', async () => {
    await expect(hashing.verify(PASSWORD, 'plain text')).resolves.toEqual({ matches: false, outdated: false });
    await expect(hashing.verify(PASSWORD, '$scrypt$ln=99,r=8,p=1$AAAA$AAAA')).resolves.toEqual({ matches: false, outdated: false });
    await expect(hashing.verify(PASSWORD, '$2b$04$tooshort')).resolves.toEqual({ matches: false, outdated: false });
  });

  it('when a costly bcrypt hash is checked, then the event loop keeps turning meanwhile', async () => {
    // bcryptjs at cost 10 holds a thread for tens of ms: on the loop, no timer could fire until it ended.
    const old = bcrypt.hashSync(PASSWORD, 10);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const started = Date.now();
    const result = await hashing.verify(PASSWORD, old);
    const tookMs = Date.now() - started;
    clearInterval(timer);
    expect(result.matches).toBe(true);
    // a 1 ms timer fires at least every few ms of the check while the loop is free
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(tookMs / 10));
    expect(ticks).toBeGreaterThan(2);
  });

  it('when scrypt hashes, then the event loop keeps turning meanwhile', async () => {
    const strong = createPasswordHashing({ cost: 15 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const started = Date.now();
    await strong.hash(PASSWORD);
    const tookMs = Date.now() - started;
    clearInterval(timer);
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(tookMs / 10));
    expect(ticks).toBeGreaterThan(2);
  });
});

describe('console login with both kinds of hash', () => {
  let hashing: PasswordHashing;
  beforeEach(() => {
    hashing = createPasswordHashing({ cost: 10 });
  });
  afterEach(async () => {
    await hashing.close();
  });

  it('when an account made before logs in with its bcrypt hash, then it is let in and its hash becomes scrypt', async () => {
    const users = new MemoryUserStore();
    await users.create(account('lan', bcrypt.hashSync(PASSWORD, 4)));
    const accounts = createAccounts({ users, throttle: createMemoryLoginThrottle(), hashing, now: () => 5_000 });

    const first = await accounts.login({ username: 'lan', password: PASSWORD, ip: '10.0.0.1' });
    expect(first.ok).toBe(true);
    const stored = await users.get('lan');
    expect(stored?.passwordHash).toMatch(/^\$scrypt\$ln=10,/);
    expect(stored?.updatedAt).toBe(5_000);
    // the same password still opens the account, now through the new hash
    await expect(accounts.login({ username: 'lan', password: PASSWORD, ip: '10.0.0.1' })).resolves.toMatchObject({ ok: true });
    expect((await users.get('lan'))?.passwordHash).toBe(stored?.passwordHash);
  });

  it('when a bcrypt account is given a wrong password, then it is refused and its hash is left as it was', async () => {
    const users = new MemoryUserStore();
    const old = bcrypt.hashSync(PASSWORD, 4);
    await users.create(account('lan', old));
    const accounts = createAccounts({ users, throttle: createMemoryLoginThrottle(), hashing });
    await expect(accounts.login({ username: 'lan', password: 'not her password', ip: '10.0.0.1' })).resolves.toEqual({ ok: false, reason: 'invalid' });
    expect((await users.get('lan'))?.passwordHash).toBe(old);
  });

  it('when an account is created, then its hash is scrypt and it logs in; an unknown name is refused like a wrong password', async () => {
    const users = new MemoryUserStore();
    const accounts = createAccounts({ users, throttle: createMemoryLoginThrottle(), hashing });
    await accounts.create({ username: 'minh', password: PASSWORD, role: 'viewer' });
    expect((await users.get('minh'))?.passwordHash).toMatch(/^\$scrypt\$/);
    await expect(accounts.login({ username: 'minh', password: PASSWORD, ip: '10.0.0.2' })).resolves.toMatchObject({ ok: true, user: { username: 'minh' } });
    await expect(accounts.login({ username: 'nobody', password: PASSWORD, ip: '10.0.0.2' })).resolves.toEqual({ ok: false, reason: 'invalid' });
  });

  it('when a bcrypt account fails five times, then it is locked even with the right password', async () => {
    const users = new MemoryUserStore();
    await users.create(account('lan', bcrypt.hashSync(PASSWORD, 4)));
    const accounts = createAccounts({ users, throttle: createMemoryLoginThrottle(), hashing });
    for (let i = 0; i < 5; i++) await accounts.login({ username: 'lan', password: 'wrong one', ip: '10.0.0.3' });
    await expect(accounts.login({ username: 'lan', password: PASSWORD, ip: '10.0.0.3' })).resolves.toMatchObject({ ok: false, reason: 'locked' });
  });
});
