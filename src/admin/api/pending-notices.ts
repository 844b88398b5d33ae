import express, { type Router } from 'express';
import { wrap } from './http';
import type { AdminAuth } from './roles';

/** One notice waiting for a closed messaging window to open (the shape of jobs/pending-notices). */
export interface WaitingNotice {
  id: string;
  caseCode: string;
  kind: string;
  text: string;
  reason: string;
  /** when it was put aside (ms) */
  at: number;
}

/** Everyone with notices waiting: admin/ does not import jobs/, so main.ts passes this in. */
export type ListPendingNotices = () => Promise<{ channel: string; userId: string; notices: WaitingNotice[] }[]>;

/** The pending "channel" of an official without a linked chat account: the user id is the roster id. */
const UNLINKED = 'unlinked';

function maskUser(channel: string, userId: string): string {
  if (channel === UNLINKED) return userId;
  return userId.length <= 4 ? '••••' : `••••${userId.slice(-4)}`;
}

/**
 * GET /admin/api/pending-notices (admin): citizens and officials waiting for a message that could
 * not go out (the platform's window was closed, no template was configured, or the official has no
 * linked account). Each goes out at the person's next message; the list lets admins call instead.
 * Chat ids are masked. Without `list` (no case data), the list is empty.
 */
export function createPendingNoticesRouter(deps: { auth: AdminAuth; list?: ListPendingNotices }): Router {
  const router = express.Router();
  router.get(
    '/admin/api/pending-notices',
    deps.auth.requireRole('admin'),
    wrap(async (_req, res) => {
      const people = deps.list ? await deps.list() : [];
      res.json({
        people: people.map((p) => ({
          channel: p.channel,
          user: maskUser(p.channel, p.userId),
          notices: p.notices.map((n) => ({ caseCode: n.caseCode, kind: n.kind, text: n.text, reason: n.reason, at: n.at })),
        })),
        count: people.reduce((n, p) => n + p.notices.length, 0),
      });
    }),
  );
  return router;
}
