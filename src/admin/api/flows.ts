import express, { type Router } from 'express';
import { z } from 'zod';
import { validateFlowSource } from '../../conversation';
import { AppError } from '../../shared/app-error';
import type { FlowStore } from '../../store/ports/flows';
import type { FlowPublishing } from '../flows';
import { requireAdminToken } from './auth';

const publishBody = z.object({ source: z.string().min(1).max(512 * 1024) }).strict();
const flowId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/);

/**
 * /admin/api/flows: list the flows in use, read one with its published history, publish a new
 * version. A version that does not pass the same checks as `npm run flows:check` is refused.
 */
export function createFlowsAdminRouter(deps: { adminToken?: string; publishing: FlowPublishing; flowStore: FlowStore; onPublished?: () => void; now?: () => number }): Router {
  const { publishing, flowStore, now = Date.now } = deps;
  const router = express.Router();
  router.use('/admin/api/flows', requireAdminToken(deps.adminToken), express.json({ limit: '600kb' }));

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
      const published = await publishing.publish({ flowId: id.data, source: body.data.source, by: 'admin-token', now: now() });
      deps.onPublished?.();
      res.status(201).json({ flowId: published.flowId, version: published.version, publishedAt: published.publishedAt });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
