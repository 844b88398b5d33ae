import express, { type Router } from 'express';
import { z } from 'zod';
import { CASE_CATEGORY_IDS } from '../../civic/cases/categories';
import { issueLinkCode, randomLinkCode } from '../../civic/officials/link-account';
import { findVillage, type RoutingRules } from '../../civic/officials/routing-rules';
import { AppError } from '../../shared/app-error';
import type { AuditLog } from '../../store/ports/audit';
import { OFFICIAL_ROLES, type Official, type OfficialStore } from '../../store/ports/officials';
import { recordChange } from '../audit-trail';
import { parsed, wrap } from './http';
import { principalOf, type AdminAuth } from './roles';

export interface OfficialsRoutesDeps {
  auth: AdminAuth;
  officials: OfficialStore;
  audit: AuditLog;
  /** when given, villages are checked against routing.yaml and stored under its spelling */
  routing?: RoutingRules;
  now?: () => number;
}

const officialId = z.string().trim().min(1).max(64);
const patchBody = z
  .strictObject({
    role: z.enum(OFFICIAL_ROLES).optional(),
    villages: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
    categories: z.array(z.enum(CASE_CATEGORY_IDS)).max(50).optional(),
    onDuty: z.boolean().optional(),
    active: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');

/** A chat id shown to admins: enough to tell two accounts apart, not enough to write to the person. */
function maskId(id: string): string {
  return id.length <= 4 ? '••••' : `••••${id.slice(-4)}`;
}

function rosterEntry(o: Official) {
  return {
    id: o.id,
    name: o.name,
    role: o.role,
    villages: o.villages,
    categories: o.categories,
    onDuty: o.onDuty,
    active: o.active,
    supervisorId: o.supervisorId ?? null,
    accounts: o.accounts.map((a) => ({ channel: a.channel, userId: maskId(a.userId) })),
    linked: o.accounts.length,
  };
}

const auditView = (o: Official) => ({ role: o.role, villages: o.villages, categories: o.categories, onDuty: o.onDuty, active: o.active });

/**
 * The roster. GET /admin/api/officials (admin, official): name, role, villages, categories, on duty,
 * linked chat accounts (ids masked). PATCH /admin/api/officials/:id {role?, villages?, categories?,
 * onDuty?, active?} (admin, audited): the linked accounts are never touched here, so a link made
 * meanwhile stays. POST /admin/api/officials/:id/link-code (admin, audited without the code): a
 * one-time code the official sends as "LIENKET <code>" from their own Zalo or Messenger.
 */
export function createOfficialsRouter(deps: OfficialsRoutesDeps): Router {
  const { auth, officials, audit, routing, now = Date.now } = deps;
  const router = express.Router();
  router.get('/admin/api/officials', auth.requireRole('admin', 'official'));
  router.use('/admin/api/officials/:id', auth.requireRole('admin'), express.json({ limit: '16kb' }));

  router.get(
    '/admin/api/officials',
    wrap(async (_req, res) => {
      res.json({ officials: (await officials.list()).map(rosterEntry) });
    }),
  );

  router.patch(
    '/admin/api/officials/:id',
    wrap(async (req, res) => {
      const id = parsed(officialId, req.params.id, 'id');
      const body = parsed(patchBody, req.body);
      const before = await officials.get(id);
      if (!before) throw new AppError('UNKNOWN_OFFICIAL', `no official "${id}"`);
      let villages = body.villages;
      if (villages && routing) {
        const unknown = villages.filter((v) => !findVillage(routing, v));
        if (unknown.length > 0) throw new AppError('VALIDATION_FAILED', 'unknown village', { problems: unknown.map((v) => ({ message: `villages: "${v}" is not a village of routing.yaml` })) });
        villages = villages.map((v) => findVillage(routing, v)!);
      }
      const { accounts: _accounts, ...rest } = before;
      const after = await officials.upsert({ ...rest, ...body, ...(villages ? { villages: [...new Set(villages)] } : {}), ...(body.categories ? { categories: [...new Set(body.categories)] } : {}) });
      await recordChange(audit, { actor: principalOf(res).username, action: 'official.update', target: `official:${id}`, before: auditView(before), after: auditView(after), at: now() });
      res.json({ official: rosterEntry(after) });
    }),
  );

  router.post(
    '/admin/api/officials/:id/link-code',
    wrap(async (req, res) => {
      const id = parsed(officialId, req.params.id, 'id');
      const issued = await issueLinkCode({ officials, now, randomCode: randomLinkCode }, id);
      // The code itself stays out of the log: it is a credential until used.
      await recordChange(audit, { actor: principalOf(res).username, action: 'official.link-code', target: `official:${id}`, before: null, after: { expiresAt: issued.expiresAt }, at: now() });
      res.status(201).json(issued);
    }),
  );
  return router;
}
