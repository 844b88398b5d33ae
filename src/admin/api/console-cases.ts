import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { assignCase, isCaseRuleError, resolveCase, transferCase, type CaseActor, type CaseOutcome } from '../../civic/cases';
import { issueLinkCode, randomLinkCode } from '../../civic/officials/link-account';
import { AppError } from '../../shared/app-error';
import type { AuditLog } from '../../store/ports/audit';
import { CASE_STATUSES, CLOSED_CASE_STATUSES, isCaseVersionConflict, normalizeCaseCode, type Case, type CaseListFilter, type CaseStore } from '../../store/ports/cases';
import type { OfficialStore } from '../../store/ports/officials';
import { recordChange } from '../audit-trail';
import { principalOf, type AdminAuth, type Principal } from './roles';

export interface ConsoleCasesDeps {
  auth: AdminAuth;
  cases: CaseStore;
  officials: OfficialStore;
  audit: AuditLog;
  /** called after every change with the outcome's notices; the job layer delivers them */
  onChange?: (outcome: CaseOutcome) => Promise<void> | void;
  now?: () => number;
}

const text = z.string().trim().min(1).max(200);
const listQuery = z.strictObject({
  status: z.enum(CASE_STATUSES).optional(),
  village: text.optional(),
  category: text.optional(),
  assignee: text.optional(),
  overdue: z.enum(['true', 'false']).optional(),
});
const bodies = {
  assign: z.strictObject({ officialId: text, note: z.string().max(4000).optional() }),
  transfer: z.strictObject({ officialId: text, note: z.string().max(4000).optional() }),
  resolve: z.strictObject({ answer: z.string().trim().min(1).max(8000) }),
};
const SUPERVISOR_ROLES = new Set(['chair', 'vice_chair']);
const EXPORT_LIMIT = 10_000;

function parsed<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new AppError('VALIDATION_FAILED', 'invalid request', { problems: r.error.issues.map((i) => ({ message: `${i.path.map(String).join('.') || 'body'}: ${i.message}` })) });
}

function toAppError(e: unknown): unknown {
  if (isCaseVersionConflict(e)) return new AppError('CASE_CHANGED', e.message);
  return isCaseRuleError(e) ? new AppError(e.code, e.message) : e;
}

type Handler = (req: Request, res: Response) => Promise<void>;
const wrap = (h: Handler) => (req: Request, res: Response, next: NextFunction) => h(req, res).catch((e: unknown) => next(toAppError(e)));

const isOverdue = (c: Case, now: number) => !CLOSED_CASE_STATUSES.includes(c.status) && c.dueAt < now;
const summary = (c: Case, now: number) => ({
  code: c.code,
  kind: c.kind,
  category: c.category,
  village: c.village,
  status: c.status,
  assigneeId: c.assigneeId ?? null,
  createdAt: c.createdAt,
  dueAt: c.dueAt,
  overdue: isOverdue(c, now),
  rating: c.rating?.score ?? null,
});
const auditView = (c: Case) => ({ status: c.status, assigneeId: c.assigneeId ?? null, backupId: c.backupId ?? null, resolution: c.resolution ?? null, version: c.version });

/** A CSV field: quoted, and a leading = + - @ neutralised so a spreadsheet never runs it as a formula. */
function csvField(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

async function allCases(cases: CaseStore, filter: CaseListFilter): Promise<Case[]> {
  const out: Case[] = [];
  let after: string | undefined;
  do {
    const page = await cases.list({ ...filter, limit: 500, ...(after ? { after } : {}) });
    out.push(...page.cases);
    after = page.next;
  } while (after && out.length < EXPORT_LIMIT);
  return out;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * The console's case desk. Admins see and work every case (as a supervisor); officials see and work
 * only the cases assigned to them or backed up by them (supervising only when their roster role is
 * chair or vice_chair). Routes: GET /admin/api/console/cases (filters status, village, category,
 * assignee, overdue), GET /admin/api/console/cases/:code, POST …/:code/assign|transfer|resolve,
 * GET /admin/api/cases.csv (UTF-8 with BOM, the same filters), GET /admin/api/dashboard (every
 * role), GET /admin/api/officials (admin, official), POST /admin/api/officials/:id/link-code (admin).
 * Every change is written to the audit log with the case before and after.
 */
export function createConsoleCasesRouter(deps: ConsoleCasesDeps): Router {
  const { auth, cases, officials, audit, onChange, now = Date.now } = deps;
  const workers = auth.requireRole('admin', 'official');
  const router = express.Router();
  router.use(['/admin/api/console/cases', '/admin/api/cases.csv', '/admin/api/officials'], workers);
  router.use(['/admin/api/console/cases', '/admin/api/officials'], express.json({ limit: '64kb' }));

  const actorOf = async (p: Principal): Promise<CaseActor> => {
    if (p.role === 'admin') return { kind: 'official', officialId: p.officialId ?? p.username, supervisor: true };
    const o = p.officialId ? await officials.get(p.officialId) : null;
    if (!o || !o.active) throw new AppError('FORBIDDEN', 'this account is not linked to an active official');
    return { kind: 'official', officialId: o.id, supervisor: SUPERVISOR_ROLES.has(o.role) };
  };
  const mayRead = (p: Principal, c: Case) => p.role === 'admin' || (p.officialId !== undefined && (c.assigneeId === p.officialId || c.backupId === p.officialId));
  const caseFor = async (p: Principal, typed: unknown): Promise<Case> => {
    const code = typeof typed === 'string' ? normalizeCaseCode(typed) : null;
    const found = code === null ? null : await cases.findByCode(code);
    // Another official's case answers like a missing one: no hint of which codes exist.
    if (!found || !mayRead(p, found)) throw new AppError('CASE_NOT_FOUND', `no case with code ${String(typed)}`);
    return found;
  };
  const filterFor = (p: Principal, q: z.output<typeof listQuery>): CaseListFilter => {
    const f: CaseListFilter = {};
    if (q.status) f.status = [q.status];
    if (q.village) f.village = q.village;
    if (q.category) f.category = q.category;
    if (q.assignee) f.assigneeId = q.assignee;
    if (q.overdue === 'true') f.overdueAt = now();
    if (p.role === 'official') f.assigneeId = p.officialId ?? '\u0000none';
    return f;
  };
  const activeOfficial = async (id: string): Promise<string> => {
    const o = await officials.get(id);
    if (!o || !o.active) throw new AppError('UNKNOWN_OFFICIAL', `no active official "${id}"`);
    return o.id;
  };
  const changed = async (res: Response, action: string, before: Case, outcome: CaseOutcome) => {
    await recordChange(audit, { actor: principalOf(res).username, action, target: `case:${before.code}`, before: auditView(before), after: auditView(outcome.case), at: now() });
    await onChange?.(outcome);
    res.json({ case: { ...summary(outcome.case, now()), history: outcome.case.history }, notices: outcome.notices });
  };

  router.get(
    '/admin/api/console/cases',
    wrap(async (req, res) => {
      const p = principalOf(res);
      const list = await allCases(cases, filterFor(p, parsed(listQuery, req.query)));
      const t = now();
      res.json({ cases: list.slice(0, 500).map((c) => summary(c, t)) });
    }),
  );

  router.get(
    '/admin/api/console/cases/:code',
    wrap(async (req, res) => {
      const c = await caseFor(principalOf(res), req.params.code);
      res.json({ case: { ...summary(c, now()), content: c.content, contact: c.contact ?? null, resolution: c.resolution ?? null, history: c.history, version: c.version } });
    }),
  );

  router.post(
    '/admin/api/console/cases/:code/assign',
    wrap(async (req, res) => {
      const p = principalOf(res);
      const body = parsed(bodies.assign, req.body);
      const c = await caseFor(p, req.params.code);
      const assigneeId = await activeOfficial(body.officialId);
      await changed(res, 'case.assign', c, await assignCase({ cases, now }, { caseId: c.id, assigneeId, by: await actorOf(p), ...(body.note ? { note: body.note } : {}) }));
    }),
  );

  router.post(
    '/admin/api/console/cases/:code/transfer',
    wrap(async (req, res) => {
      const p = principalOf(res);
      const body = parsed(bodies.transfer, req.body);
      const c = await caseFor(p, req.params.code);
      const toOfficialId = await activeOfficial(body.officialId);
      await changed(res, 'case.transfer', c, await transferCase({ cases, now }, { caseId: c.id, toOfficialId, by: await actorOf(p), ...(body.note ? { note: body.note } : {}) }));
    }),
  );

  router.post(
    '/admin/api/console/cases/:code/resolve',
    wrap(async (req, res) => {
      const p = principalOf(res);
      const body = parsed(bodies.resolve, req.body);
      const c = await caseFor(p, req.params.code);
      await changed(res, 'case.resolve', c, await resolveCase({ cases, now }, { caseId: c.id, by: await actorOf(p), answer: body.answer }));
    }),
  );

  router.get(
    '/admin/api/cases.csv',
    wrap(async (req, res) => {
      const list = await allCases(cases, filterFor(principalOf(res), parsed(listQuery, req.query)));
      const t = now();
      const header = ['code', 'kind', 'category', 'village', 'status', 'assignee', 'created_at', 'due_at', 'overdue', 'rating'];
      const rows = list.map((c) => {
        const s = summary(c, t);
        return [s.code, s.kind, s.category, s.village, s.status, s.assigneeId, new Date(s.createdAt).toISOString(), new Date(s.dueAt).toISOString(), s.overdue, s.rating];
      });
      // The BOM makes Excel read the file as UTF-8, so Vietnamese names survive.
      const csv = '\uFEFF' + [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
      res.setHeader('Content-Disposition', 'attachment; filename="cases.csv"');
      res.type('text/csv; charset=utf-8').send(csv);
    }),
  );

  router.get(
    '/admin/api/dashboard',
    auth.requireRole('admin', 'official', 'viewer'),
    wrap(async (_req, res) => {
      const list = await allCases(cases, {});
      const t = now();
      const open = list.filter((c) => !CLOSED_CASE_STATUSES.includes(c.status));
      const resolvedIn = list.flatMap((c) => (c.resolution ? [c.resolution.at - c.createdAt] : []));
      const ratings = list.flatMap((c) => (c.rating ? [c.rating.score] : []));
      res.json({
        open: open.length,
        overdue: open.filter((c) => isOverdue(c, t)).length,
        medianResolveMs: median(resolvedIn),
        satisfaction: ratings.length ? { average: ratings.reduce((a, b) => a + b, 0) / ratings.length, count: ratings.length } : null,
      });
    }),
  );

  router.get(
    '/admin/api/officials',
    wrap(async (_req, res) => {
      res.json({ officials: (await officials.list()).map((o) => ({ id: o.id, name: o.name, role: o.role, villages: o.villages, onDuty: o.onDuty, active: o.active, linked: o.accounts.length })) });
    }),
  );

  router.post(
    '/admin/api/officials/:id/link-code',
    auth.requireRole('admin'),
    wrap(async (req, res) => {
      const id = parsed(text, req.params.id);
      const issued = await issueLinkCode({ officials, now, randomCode: randomLinkCode }, id);
      // The code itself stays out of the log: it is a credential until used.
      await recordChange(audit, { actor: principalOf(res).username, action: 'official.link-code', target: `official:${id}`, before: null, after: { expiresAt: issued.expiresAt }, at: now() });
      res.status(201).json(issued);
    }),
  );
  return router;
}
