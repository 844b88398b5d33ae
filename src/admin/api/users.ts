import express, { type Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../shared/app-error';
import type { AuditLog } from '../../store/ports/audit';
import { USER_ROLES, type UserPatch, type UserStore } from '../../store/ports/users';
import { passwordSchema, publicUser, usernameSchema, type Accounts } from '../accounts';
import { recordChange } from '../audit-trail';
import { principalOf, type AdminAuth } from './roles';

export interface UsersRoutesDeps {
  auth: AdminAuth;
  accounts: Accounts;
  users: UserStore;
  audit: AuditLog;
  now?: () => number;
}

const officialId = z.string().trim().regex(/^[a-z0-9][a-z0-9-]{0,63}$/);
const createBody = z.strictObject({ username: z.string().max(100), password: z.string().max(200), role: z.enum(USER_ROLES), officialId: officialId.optional() });
const patchBody = z.strictObject({ role: z.enum(USER_ROLES).optional(), active: z.boolean().optional(), password: passwordSchema.optional(), officialId: officialId.nullable().optional() });
const auditQuery = z.strictObject({
  actor: z.string().max(100).optional(),
  target: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  limit: z.string().regex(/^\d{1,4}$/).transform(Number).pipe(z.number().int().min(1).max(1000)).optional(),
  before: z.string().regex(/^[0-9a-f]{1,40}$/).optional(),
});

function problems(e: z.ZodError) {
  return { problems: e.issues.map((i) => ({ message: `${i.path.map(String).join('.') || 'body'}: ${i.message}` })) };
}

/**
 * /admin/api/users (admin only): list, create {username, password, role, officialId?}, change
 * /:username {role?, active?, password?, officialId?}. /admin/api/audit (admin only): the audit log,
 * newest first, filtered by actor, target, action; read only — there is no route that edits it.
 */
export function createUsersRouter(deps: UsersRoutesDeps): Router {
  const { auth, accounts, users, audit, now = Date.now } = deps;
  const router = express.Router();
  router.use(['/admin/api/users', '/admin/api/audit'], auth.requireRole('admin'), express.json({ limit: '8kb' }));

  router.get('/admin/api/users', async (_req, res, next) => {
    try {
      res.json({ users: (await users.list()).map(publicUser) });
    } catch (err) {
      next(err);
    }
  });

  router.post('/admin/api/users', async (req, res, next) => {
    try {
      const body = createBody.safeParse(req.body);
      if (!body.success) throw new AppError('VALIDATION_FAILED', 'invalid account', problems(body.error));
      const user = await accounts.create(body.data);
      await recordChange(audit, { actor: principalOf(res).username, action: 'user.create', target: `user:${user.username}`, before: null, after: publicUser(user), at: now() });
      res.status(201).json({ user: publicUser(user) });
    } catch (err) {
      next(err);
    }
  });

  router.patch('/admin/api/users/:username', async (req, res, next) => {
    try {
      const name = usernameSchema.safeParse(req.params.username);
      const body = patchBody.safeParse(req.body);
      if (!body.success) throw new AppError('VALIDATION_FAILED', 'invalid change', problems(body.error));
      const before = name.success ? await users.get(name.data) : null;
      if (!name.success || !before) throw new AppError('NOT_FOUND', 'no such account');
      const { password, ...rest } = body.data;
      const patch: UserPatch = { ...rest, ...(password ? { passwordHash: await accounts.hash(password) } : {}) };
      const after = await users.update(before.username, patch, now());
      if (!after) throw new AppError('NOT_FOUND', 'no such account');
      const shown = (u: typeof before) => ({ ...publicUser(u), passwordChanged: password !== undefined && u === after });
      await recordChange(audit, { actor: principalOf(res).username, action: 'user.update', target: `user:${after.username}`, before: publicUser(before), after: shown(after), at: now() });
      res.json({ user: publicUser(after) });
    } catch (err) {
      next(err);
    }
  });

  router.get('/admin/api/audit', async (req, res, next) => {
    try {
      const q = auditQuery.safeParse(req.query);
      if (!q.success) throw new AppError('VALIDATION_FAILED', 'invalid query', problems(q.error));
      const { before, ...rest } = q.data;
      res.json({ entries: await audit.list({ ...rest, ...(before ? { beforeId: before } : {}) }) });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
