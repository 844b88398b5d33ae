import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../shared/app-error';
import type { AuditLog } from '../../store/ports/audit';
import type { UserStore } from '../../store/ports/users';
import { publicUser, type Accounts } from '../accounts';
import { recordChange } from '../audit-trail';
import type { SessionStore } from '../sessions';
import { principalOf, SESSION_COOKIE, type AdminAuth } from './roles';

export interface SessionRoutesDeps {
  auth: AdminAuth;
  accounts: Accounts;
  users: UserStore;
  sessions: SessionStore;
  audit?: AuditLog;
  /**
   * The cookie's Secure flag: 'auto' (default) sets it when the request came over https (directly
   * or per X-Forwarded-Proto, the server trusts its proxy); true or false forces it.
   */
  secureCookies?: boolean | 'auto';
  /** the session cookie's lifetime; default 8 hours, the same as the Redis session's */
  sessionTtlMs?: number;
  now?: () => number;
}

// Strings only: an object such as {"$ne": ""} fails here and never reaches a store.
const loginBody = z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) });
const setupBody = z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) });

/**
 * POST /admin/api/login {username, password}: sets the httpOnly SameSite=Strict session cookie and
 * answers {user, csrf}; 401 on a wrong name or password, 429 TOO_MANY_ATTEMPTS with Retry-After after 5
 * failures in 15 minutes for that name from that address (for 15 minutes). Every attempt, good or
 * bad, goes to the audit log as login.success / login.failure / login.locked with the address.
 * GET /admin/api/session: the logged-in account and its CSRF token (a reloaded page).
 * POST /admin/api/logout ends the session (needs X-CSRF-Token).
 * POST /admin/api/setup {username, password} with the bearer ADMIN_TOKEN creates the first admin;
 * 403 once an admin account exists.
 */
export function createSessionRouter(deps: SessionRoutesDeps): Router {
  const { auth, accounts, users, sessions, audit, secureCookies = 'auto', sessionTtlMs = 8 * 3600_000, now = Date.now } = deps;
  const router = express.Router();
  router.use(['/admin/api/login', '/admin/api/logout', '/admin/api/setup'], express.json({ limit: '8kb' }));

  const cookieOptions = (req: Request) => ({
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: secureCookies === 'auto' ? req.secure : secureCookies,
    path: '/admin',
  });

  router.post('/admin/api/login', async (req: Request, res: Response, next) => {
    try {
      const body = loginBody.safeParse(req.body);
      if (!body.success) throw new AppError('VALIDATION_FAILED', 'body must be {"username", "password"}');
      const ip = req.ip ?? 'unknown';
      const result = await accounts.login({ ...body.data, ip });
      // Every attempt is recorded with the name typed and the address, never the password.
      const typed = body.data.username.trim().toLowerCase().slice(0, 100);
      const action = result.ok ? 'login.success' : result.reason === 'locked' ? 'login.locked' : 'login.failure';
      await recordChange(audit, { actor: typed, action, target: `user:${typed}`, before: null, after: { ip }, at: now() });
      if (!result.ok && result.reason === 'locked') {
        res.setHeader('Retry-After', String(Math.ceil(result.retryAfterMs / 1000)));
        throw new AppError('TOO_MANY_ATTEMPTS', 'login locked for this name from this address');
      }
      if (!result.ok) throw new AppError('UNAUTHORIZED', 'wrong username or password');
      const { id, session } = await sessions.start(result.user.username, now());
      res.cookie(SESSION_COOKIE, id, { ...cookieOptions(req), maxAge: sessionTtlMs });
      res.json({ user: publicUser(result.user), csrf: session.csrf });
    } catch (err) {
      next(err);
    }
  });

  router.get('/admin/api/session', auth.requireRole('admin', 'official', 'viewer'), async (req, res, next) => {
    try {
      const p = principalOf(res);
      const found = await auth.sessionOf(req);
      const user = p.via === 'session' ? await users.get(p.username) : null;
      res.json({ user: user ? publicUser(user) : { username: p.username, role: p.role }, csrf: found?.session.csrf ?? null });
    } catch (err) {
      next(err);
    }
  });

  router.post('/admin/api/logout', auth.requireRole('admin', 'official', 'viewer'), async (req, res, next) => {
    try {
      const found = await auth.sessionOf(req);
      if (found) await sessions.end(found.id);
      res.clearCookie(SESSION_COOKIE, cookieOptions(req));
      res.status(204).end();
    } catch (err) {
      next(err);
    }
  });

  router.post('/admin/api/setup', auth.requireRole('admin'), async (req, res, next) => {
    try {
      if (principalOf(res).via !== 'token') throw new AppError('FORBIDDEN', 'setup takes the bearer ADMIN_TOKEN');
      const body = setupBody.safeParse(req.body);
      if (!body.success) throw new AppError('VALIDATION_FAILED', 'body must be {"username", "password"}');
      if ((await users.count('admin')) > 0) throw new AppError('FORBIDDEN', 'an admin account exists: add accounts from the console');
      const user = await accounts.create({ ...body.data, role: 'admin' });
      await recordChange(audit, { actor: 'admin-token', action: 'user.create', target: `user:${user.username}`, before: null, after: publicUser(user), at: now() });
      res.status(201).json({ user: publicUser(user) });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
