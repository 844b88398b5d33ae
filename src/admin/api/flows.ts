import express, { type Router } from 'express';
import { z } from 'zod';
import { validateFlowSource } from '../../conversation';
import { AppError } from '../../shared/app-error';
import type { JsonObject } from '../../shared/json';
import type { AuditLog } from '../../store/ports/audit';
import type { FlowStore } from '../../store/ports/flows';
import { recordChange } from '../audit-trail';
import type { DraftChecker } from '../flow-draft';
import type { FlowTrial } from '../flow-try';
import type { FlowPublishing } from '../flows';
import { createAdminAuth, principalOf, type AdminAuth } from './roles';

const publishBody = z.object({ source: z.string().min(1).max(512 * 1024) }).strict();
const flowId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/);
const rollbackBody = z.strictObject({ version: z.number().int().min(1).max(1_000_000) });
const versionParam = z.string().regex(/^\d{1,7}$/).transform(Number);
const tryBody = z.strictObject({
  source: z.string().min(1).max(512 * 1024),
  /** the state the previous turn answered; null starts a new chat */
  state: z.record(z.string(), z.json()).nullable(),
  input: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('text'), text: z.string().min(1).max(2000), payload: z.string().max(1000).optional() }),
    z.strictObject({ type: z.literal('postback'), payload: z.string().min(1).max(1000), title: z.string().max(200).optional() }),
    z.strictObject({ type: z.literal('follow') }),
  ]),
  /** the turn's number in the panel, for event ids; default 0 */
  seq: z.number().int().min(0).max(1_000_000).optional(),
});

export interface FlowsAdminDeps {
  /** bearer token of the admin role; used only when `auth` is not given */
  adminToken?: string;
  /** sessions and roles; default: the bearer ADMIN_TOKEN only */
  auth?: AdminAuth;
  publishing: FlowPublishing;
  flowStore: FlowStore;
  /** POST /:id/check answers 404 without it */
  checkDraft?: DraftChecker;
  /** POST /:id/try answers 404 without it */
  tryDraft?: FlowTrial;
  /** where publishes and rollbacks are recorded */
  audit?: AuditLog;
  onPublished?: () => void;
  now?: () => number;
}

/**
 * /admin/api/flows: list the flows in use, read one with its published history, publish a new
 * version. A version that does not pass the same checks as `npm run flows:check` is refused.
 * Reading: admin and official; checking a draft, publishing, rolling back: admin.
 * POST /:id/check {source} answers {ok, problems} and stores nothing; POST /:id/rollback {version}
 * publishes that earlier version's source again (checked again, against today's other flows).
 * POST /:id/try {source, state, input} (admin) runs one turn of a chat on the draft (see flow-try):
 * answers {state, replies}; nothing is sent, queued, stored or filed.
 */
export function createFlowsAdminRouter(deps: FlowsAdminDeps): Router {
  const { publishing, flowStore, now = Date.now } = deps;
  const auth = deps.auth ?? createAdminAuth({ adminToken: deps.adminToken });
  const readers = auth.requireRole('admin', 'official');
  const editors = auth.requireRole('admin');
  const router = express.Router();
  const json = express.json({ limit: '600kb' });
  // The role first, then the body: nobody without the role gets 600 kB parsed.
  router.get(['/admin/api/flows', '/admin/api/flows/:id', '/admin/api/flows/:id/versions/:version'], readers);
  router.post(['/admin/api/flows/:id', '/admin/api/flows/:id/check', '/admin/api/flows/:id/rollback', '/admin/api/flows/:id/try'], editors, json);

  const published = async (id: string, source: string, by: string, action: string, res: express.Response) => {
    const before = (await publishing.currentSources()).get(id);
    const stored = await publishing.publish({ flowId: id, source, by, now: now() });
    deps.onPublished?.();
    await recordChange(deps.audit, {
      actor: by,
      action,
      target: `flow:${id}`,
      before: before ? { from: before.file, source: before.source } : null,
      after: { from: `${id}@${stored.version}`, version: stored.version, source: stored.source },
      at: stored.publishedAt,
    });
    res.status(201).json({ flowId: stored.flowId, version: stored.version, publishedAt: stored.publishedAt });
  };

  router.get('/admin/api/flows', async (_req, res, next) => {
    try {
      const sources = await publishing.currentSources();
      const flows = [...sources.entries()].map(([id, s]) => {
        const r = validateFlowSource(s.source, s.file);
        return { id, from: s.file, title: r.ok ? r.flow.title : null };
      });
      res.json({ flows });
    } catch (err) {
      next(err);
    }
  });

  router.get('/admin/api/flows/:id', async (req, res, next) => {
    try {
      const id = flowId.safeParse(req.params.id);
      const current = id.success ? (await publishing.currentSources()).get(id.data) : undefined;
      if (!id.success || !current) throw new AppError('NOT_FOUND');
      const history = (await flowStore.history(id.data)).map((v) => ({ version: v.version, publishedAt: v.publishedAt, publishedBy: v.publishedBy }));
      res.json({ id: id.data, from: current.file, source: current.source, history });
    } catch (err) {
      next(err);
    }
  });

  router.post('/admin/api/flows/:id', async (req, res, next) => {
    try {
      const id = flowId.safeParse(req.params.id);
      const body = publishBody.safeParse(req.body);
      if (!id.success) throw new AppError('VALIDATION_FAILED', 'flow id: lowercase letters, digits and dashes');
      if (!body.success) throw new AppError('VALIDATION_FAILED', 'body must be {"source": "<the flow YAML>"}', { problems: body.error.issues.map((i) => ({ message: `${i.path.join('.')}: ${i.message}` })) });
      await published(id.data, body.data.source, principalOf(res).username, 'flow.publish', res);
    } catch (err) {
      next(err);
    }
  });

  router.get('/admin/api/flows/:id/versions/:version', async (req, res, next) => {
    try {
      const id = flowId.safeParse(req.params.id);
      const version = versionParam.safeParse(req.params.version);
      const found = id.success && version.success ? await flowStore.get(id.data, version.data) : null;
      if (!found) throw new AppError('NOT_FOUND');
      res.json(found);
    } catch (err) {
      next(err);
    }
  });

  router.post('/admin/api/flows/:id/check', async (req, res, next) => {
    try {
      const id = flowId.safeParse(req.params.id);
      const body = publishBody.safeParse(req.body);
      if (!deps.checkDraft) throw new AppError('NOT_FOUND');
      if (!id.success) throw new AppError('VALIDATION_FAILED', 'flow id: lowercase letters, digits and dashes');
      if (!body.success) throw new AppError('VALIDATION_FAILED', 'body must be {"source": "<the flow YAML>"}');
      res.json(await deps.checkDraft(id.data, body.data.source));
    } catch (err) {
      next(err);
    }
  });

  router.post('/admin/api/flows/:id/try', async (req, res, next) => {
    try {
      const id = flowId.safeParse(req.params.id);
      if (!deps.tryDraft) throw new AppError('NOT_FOUND');
      if (!id.success) throw new AppError('VALIDATION_FAILED', 'flow id: lowercase letters, digits and dashes');
      const body = tryBody.safeParse(req.body);
      if (!body.success) throw new AppError('VALIDATION_FAILED', 'body must be {"source", "state", "input"}', { problems: body.error.issues.map((i) => ({ message: `${i.path.join('.')}: ${i.message}` })) });
      const { source, state, input, seq = 0 } = body.data;
      res.json(await deps.tryDraft({ flowId: id.data, source, state: state as JsonObject | null, content: input, seq }));
    } catch (err) {
      next(err);
    }
  });

  router.post('/admin/api/flows/:id/rollback', async (req, res, next) => {
    try {
      const id = flowId.safeParse(req.params.id);
      const body = rollbackBody.safeParse(req.body);
      if (!id.success || !body.success) throw new AppError('VALIDATION_FAILED', 'body must be {"version": <an earlier version number>}');
      const earlier = await flowStore.get(id.data, body.data.version);
      if (!earlier) throw new AppError('NOT_FOUND', `flow ${id.data} has no version ${body.data.version}`);
      await published(id.data, earlier.source, principalOf(res).username, 'flow.rollback', res);
    } catch (err) {
      next(err);
    }
  });
  return router;
}
