import { z } from 'zod';
import { AppError } from '../shared/app-error';
import type { User, UserRole, UserStore } from '../store/ports/users';
import type { PasswordHashing } from './password-hash';

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,39}$/, '3 to 40 of a-z 0-9 . _ -, starting with a letter or digit');

// bcrypt read only the first 72 bytes: older hashes would silently cut a longer password, so the limit stays.
export const passwordSchema = z
  .string()
  .min(10, 'at least 10 characters')
  .refine((p) => Buffer.byteLength(p, 'utf8') <= 72, 'at most 72 bytes');

/** A user as the API shows it: never the hash. */
export type PublicUser = Omit<User, 'passwordHash'>;

export function publicUser(u: User): PublicUser {
  const { passwordHash: _hash, ...rest } = u;
  return rest;
}

/**
 * Failed logins counted per key (username + IP): after `limit` failures within `windowMs`, the key
 * is refused for `lockMs`, right password or not. Redis in production (every web process shares
 * it), memory in unit tests.
 */
export interface LoginThrottle {
  /** ms until the key may try again; 0 when it may try now */
  lockedFor(key: string): Promise<number>;
  /** counts one failure; locks the key when it reaches the limit */
  fail(key: string): Promise<void>;
  /** forgets the failures after a successful login */
  clear(key: string): Promise<void>;
}

export const LOCKOUT = { limit: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 } as const;

/** The throttle in this process's memory (tests, single process). */
export function createMemoryLoginThrottle(now: () => number = Date.now): LoginThrottle {
  const failures = new Map<string, { count: number; endsAt: number }>();
  const locks = new Map<string, number>();
  return {
    async lockedFor(key) {
      const until = locks.get(key) ?? 0;
      return Math.max(0, until - now());
    },
    async fail(key) {
      const t = now();
      let f = failures.get(key);
      if (!f || f.endsAt <= t) f = { count: 0, endsAt: t + LOCKOUT.windowMs };
      f.count += 1;
      failures.set(key, f);
      if (f.count >= LOCKOUT.limit) {
        locks.set(key, t + LOCKOUT.lockMs);
        failures.delete(key);
      }
    },
    async clear(key) {
      failures.delete(key);
    },
  };
}

export type LoginResult = { ok: true; user: User } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'locked'; retryAfterMs: number };

export interface Accounts {
  /** Creates an account with a scrypt hash of `password` (password-hash.ts); VALIDATION_FAILED when the name is taken or the input is invalid. */
  create(input: { username: string; password: string; role: UserRole; officialId?: string }): Promise<User>;
  /** Checks a login; counts failures per username + `ip` and refuses while locked. A match against an older kind of hash stores a new one. */
  login(input: { username: string; password: string; ip: string }): Promise<LoginResult>;
  hash(password: string): Promise<string>;
}

export interface AccountsDeps {
  users: UserStore;
  throttle: LoginThrottle;
  /** how passwords are hashed and checked, off the event loop */
  hashing: PasswordHashing;
  now?: () => number;
}

export function createAccounts(deps: AccountsDeps): Accounts {
  const { users, throttle, hashing, now = Date.now } = deps;
  // Checked against when the username does not exist, so both cases take the same time.
  let dummyHash: Promise<string> | null = null;
  const hash = (password: string) => hashing.hash(password);

  return {
    hash,
    async create(input) {
      const username = usernameSchema.safeParse(input.username);
      const password = passwordSchema.safeParse(input.password);
      const problems = [
        ...(username.success ? [] : username.error.issues.map((i) => ({ message: `username: ${i.message}` }))),
        ...(password.success ? [] : password.error.issues.map((i) => ({ message: `password: ${i.message}` }))),
      ];
      if (input.role === 'official' && !input.officialId) problems.push({ message: 'officialId: an official account names its roster id' });
      if (!username.success || !password.success || problems.length > 0) throw new AppError('VALIDATION_FAILED', 'invalid account', { problems });
      const t = now();
      const user: User = {
        username: username.data,
        role: input.role,
        passwordHash: await hash(password.data),
        ...(input.officialId ? { officialId: input.officialId } : {}),
        active: true,
        createdAt: t,
        updatedAt: t,
      };
      if (!(await users.create(user))) throw new AppError('VALIDATION_FAILED', 'username taken', { problems: [{ message: `username: "${user.username}" is taken` }] });
      return user;
    },
    async login({ username, password, ip }) {
      const name = usernameSchema.safeParse(username);
      const key = `${name.success ? name.data : username.slice(0, 60)}|${ip}`;
      const wait = await throttle.lockedFor(key);
      if (wait > 0) return { ok: false, reason: 'locked', retryAfterMs: wait };
      const user = name.success ? await users.get(name.data) : null;
      const { matches, outdated } = await hashing.verify(password, user?.passwordHash ?? (await (dummyHash ??= hash('not-a-password-of-anyone'))));
      if (!user || !matches || !user.active) {
        await throttle.fail(key);
        return { ok: false, reason: 'invalid' };
      }
      await throttle.clear(key);
      if (outdated) {
        // An older hash (bcrypt, or a lower scrypt cost) is replaced while the password is at hand.
        const upgraded = await users.update(user.username, { passwordHash: await hash(password) }, now());
        return { ok: true, user: upgraded ?? user };
      }
      return { ok: true, user };
    },
  };
}
