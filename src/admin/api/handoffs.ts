/**
 * Hand-offs in the console: the open ones, one in full, take, reply, end.
 *   GET  /admin/api/handoffs                 open hand-offs (summary)
 *   GET  /admin/api/handoffs/:code           one, with its messages (admin, the holder, or anyone while it waits)
 *   POST /admin/api/handoffs/:code/take      { officialId } for the admin role; an official takes it as themselves
 *   POST /admin/api/handoffs/:code/reply     { text, id? }: to the citizen, as the official who holds it
 *   POST /admin/api/handoffs/:code/end
 * An official may reply to and end only the hand-offs they hold; the admin role acts for the holder.
 * Every change is in the audit log.
 */
import { randomUUID } from 'node:crypto';
import express, { type Response, type Router } from 'express';
import { z } from 'zod';
import type { HandoffService } from '../../civic/handoff/handoff-service';
import { AppError } from '../../shared/app-error';
import type { AuditLog } from '../../store/ports/audit';
import { normalizeHandoffCode, type Handoff, type HandoffStore } from '../../store/ports/handoffs';
import type { Official, OfficialStore } from '../../store/ports/officials';
import { recordChange } from '../audit-trail';
import { parsed, wrap } from './http';
import { principalOf, type AdminAuth, type Principal } from './roles';

export interface HandoffsAdminDeps {
  auth: AdminAuth;
  service: HandoffService;
  handoffs: HandoffStore;
  officials: OfficialStore;
  audit: AuditLog;
  now?: () => number;
}

const bodies = {
  take: z.strictObject({ officialId: z.string().trim().min(1).max(200).optional() }),
  reply: z.strictObject({ text: z.string().trim().min(1).max(2000), id: z.string().trim().min(1).max(100).optional() }),
  end: z.strictObject({}),
};


const summary = (h: Handoff) => ({
  code: h.code,
  status: h.status,
  channel: h.channel,
  topic: h.topic,
  village: h.village ?? null,
  officialId: h.officialId ?? null,
  notifiedIds: h.notifiedIds,
  createdAt: h.createdAt,
  takenAt: h.takenAt ?? null,
  lastActivityAt: h.lastActivityAt,
  waitingMessages: h.messages.filter((m) => m.from === 'citizen').length,
});
const detail = (h: Handoff) => ({ ...summary(h), endedAt: h.endedAt ?? null, endReason: h.endReason ?? null, caseCode: h.caseCode ?? null, messages: h.messages });
const auditView = (h: Handoff) => ({ status: h.status, officialId: h.officialId ?? null, endReason: h.endReason ?? null });

export function createHandoffsAdminRouter(deps: HandoffsAdminDeps): Router {
  const { auth, service, handoffs, officials, audit, now = Date.now } = deps;
  const router = express.Router();
  router.use('/admin/api/handoffs', auth.requireRole('admin', 'official'), express.json({ limit: '16kb' }));

  const officialOf = async (p: Principal): Promise<Official> => {
    const o = p.officialId ? await officials.get(p.officialId) : null;
    if (!o || !o.active) throw new AppError('FORBIDDEN', 'this account is not linked to an active official');
    return o;
  };
  const find = async (typed: string): Promise<Handoff> => {
    const code = normalizeHandoffCode(typed);
    const h = code ? await handoffs.findByCode(code) : null;
    if (!h) throw new AppError('HANDOFF_NOT_FOUND', `no hand-off ${typed}`);
    return h;
  };
  const changed = async (res: Response, action: string, before: Handoff, after: Handoff, extra: Record<string, unknown> = {}) => {
    await recordChange(audit, { actor: principalOf(res).username, action, target: `handoff:${before.code}`, before: auditView(before), after: auditView(after), at: now() });
    res.json({ handoff: detail(after), ...extra });
  };

  router.get(
    '/admin/api/handoffs',
    wrap(async (_req, res) => {
      res.json({ handoffs: (await handoffs.listOpen()).map(summary) });
    }),
  );

  router.get(
    '/admin/api/handoffs/:code',
    wrap(async (req, res) => {
      const p = principalOf(res);
      const h = await find(String(req.params.code));
      // The citizen's words are for the official who holds it (and the admins); a waiting one is open to any official.
      if (p.role !== 'admin' && h.status !== 'waiting' && h.officialId !== p.officialId) throw new AppError('HANDOFF_NOT_YOURS', `${h.code} is held by another official`);
      res.json({ handoff: detail(h) });
    }),
  );

  router.post(
    '/admin/api/handoffs/:code/take',
    wrap(async (req, res) => {
      const p = principalOf(res);
      const body = parsed(bodies.take, req.body);
      const h = await find(String(req.params.code));
      let official: Official;
      if (p.role === 'admin') {
        if (!body.officialId) throw new AppError('VALIDATION_FAILED', 'officialId is required', { problems: [{ message: 'officialId: required for the admin role' }] });
        const o = await officials.get(body.officialId);
        if (!o || !o.active) throw new AppError('UNKNOWN_OFFICIAL', `no active official "${body.officialId}"`);
        official = o;
      } else {
        official = await officialOf(p);
      }
      const after = await service.take(h.code, official);
      await changed(res, 'handoff.take', h, after);
    }),
  );

  router.post(
    '/admin/api/handoffs/:code/reply',
    wrap(async (req, res) => {
      const p = principalOf(res);
      const body = parsed(bodies.reply, req.body);
      const h = await find(String(req.params.code));
      const by = p.role === 'admin' ? { admin: true as const } : { official: await officialOf(p) };
      // A client-chosen id makes a retried request harmless; without one each request is a new message.
      const { handoff: after, delivered } = await service.reply(h.code, by, body.text, `console:${body.id ?? randomUUID()}`);
      await changed(res, 'handoff.reply', h, after, { delivered });
    }),
  );

  router.post(
    '/admin/api/handoffs/:code/end',
    wrap(async (req, res) => {
      const p = principalOf(res);
      parsed(bodies.end, req.body);
      const h = await find(String(req.params.code));
      const by = p.role === 'admin' ? { admin: true as const } : { official: await officialOf(p) };
      const after = await service.end(h.code, by);
      await changed(res, 'handoff.end', h, after);
    }),
  );

  return router;
}
