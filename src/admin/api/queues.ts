import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { type Router } from 'express';
import { isAppError } from '../../shared/app-error';
import type { AdminAuth } from './roles';

/** A BullMQ queue as bull-board takes it (admin/ does not import bullmq: jobs/ owns it). */
export type BoardQueue = ConstructorParameters<typeof BullMQAdapter>[0];

export interface QueuesBoardDeps {
  auth: AdminAuth;
  /** the application's queues; the lead wires them from main.ts */
  queues: readonly BoardQueue[];
}

export const QUEUES_PATH = '/admin/queues';

/**
 * bull-board at /admin/queues, for admins only: the job queues (inbound, outbound, effects, case
 * deadlines, appointment reminders) with their waiting, delayed and failed jobs, retry and clean.
 * Without a login a page request is sent to the console's login (/admin), an API request gets 401;
 * other roles get 403. bull-board's own page cannot send our X-CSRF-Token, so its changes are
 * accepted from this server's own origin only (AdminAuth.requireRoleSameOrigin).
 */
export function createQueuesBoardRouter(deps: QueuesBoardDeps): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUES_PATH);
  createBullBoard({
    queues: deps.queues.map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Hàng đợi / Queues' } },
  });
  const router = express.Router();
  const guard = deps.auth.requireRoleSameOrigin('admin');
  router.use(QUEUES_PATH, (req, res, next) => {
    guard(req, res, (err?: unknown) => {
      const wantsPage = req.method === 'GET' && !req.path.startsWith('/api/') && req.accepts(['html', 'json']) === 'html';
      if (isAppError(err) && err.code === 'UNAUTHORIZED' && wantsPage) return res.redirect(302, '/admin#queues');
      next(err);
    });
  });
  router.use(QUEUES_PATH, serverAdapter.getRouter() as Router);
  return router;
}
