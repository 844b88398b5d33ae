import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { assignCase, isCaseRuleError, rejectCase, resolveCase, transferCase, addNote, type CaseActor, type CaseOutcome } from '../../civic/cases';
import { findVillage, type RoutingRules } from '../../civic/officials/routing-rules';
import { AppError } from '../../shared/app-error';
import {
  CASE_STATUSES,
  CLOSED_CASE_STATUSES,
  decodeCaseCursor,
  isCaseVersionConflict,
  normalizeCaseCode,
  type Case,
  type CaseListFilter,
  type CaseStatus,
  type CaseStore,
} from '../../store/ports/cases';
import type { OfficialStore } from '../../store/ports/officials';
import { requireAdminToken } from './auth';

export interface CasesAdminDeps {
  /** bearer token of the admin role; unset = the API answers 401 */
  adminToken?: string;
  cases: CaseStore;
  officials: OfficialStore;
  /** the clock: overdue filter and the times of history lines; default Date.now */
  now?: () => number;
  /** when given, a village filter typed any way ("thon phu loc") matches routing.yaml's name */
  routing?: RoutingRules;
  /**
   * Called after every change with the outcome's notices (whom to tell); the job layer delivers
   * them. Default: nothing is delivered.
   */
  onChange?: (outcome: CaseOutcome) => Promise<void> | void;
  /**
   * The official id written in history lines for changes made through this API; it acts as a
   * supervisor (may assign, and resolve or reject any case). Default 'admin'.
   */
  actorId?: string;
}

// Only plain strings: `?status[$gt]=` or a repeated key is refused, never passed on as an operator.
const text = z.string().trim().min(1).max(200);
const listQuery = z.strictObject({
  /** one status or several, comma-separated */
  status: z
    .string()
    .max(200)
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(z.enum(CASE_STATUSES)).min(1))
    .optional(),
  assignee: text.optional(),
  village: text.optional(),
  category: text.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/)
    .transform(Number)
    .pipe(z.number().int().min(1).max(500))
    .optional(),
  cursor: z.string().max(500).optional(),
});

const bodies = {
  assign: z.strictObject({ officialId: text, backupId: text.optional(), note: z.string().max(4000).optional() }),
  transfer: z.strictObject({ officialId: text, note: z.string().max(4000).optional() }),
  note: z.strictObject({ note: z.string().max(4000) }),
  resolve: z.strictObject({ answer: z.string().max(8000) }),
  reject: z.strictObject({ reason: z.string().max(4000) }),
};

function parsed<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => ({ message: `${i.path.map(String).join('.') || what}: ${i.message}` }));
  throw new AppError('VALIDATION_FAILED', `invalid ${what}`, { problems });
}

/** A case rule's refusal as the API's error: the same code, its HTTP status from ERROR_CODES. */
function toAppError(e: unknown): unknown {
  if (isCaseVersionConflict(e)) return new AppError('CASE_CHANGED', e.message);
  if (!isCaseRuleError(e)) return e;
  const issues = Array.isArray(e.details?.issues) ? (e.details.issues as { field: string; problem: string }[]) : undefined;
  return new AppError(e.code, e.message, issues ? { problems: issues.map((i) => ({ message: `${i.field}: ${i.problem}` })) } : undefined);
}

/** What the list shows of a case: no content, no contact. */
function listItem(c: Case, now: number) {
  return {
    code: c.code,
    kind: c.kind,
    category: c.category,
    village: c.village,
    status: c.status,
    assigneeId: c.assigneeId ?? null,
    backupId: c.backupId ?? null,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    dueAt: c.dueAt,
    overdue: !CLOSED_CASE_STATUSES.includes(c.status) && c.dueAt < now,
    rated: c.rating !== undefined,
  };
}

/** The whole case for an official at work, but not the citizen's chat ids. */
function detail(c: Case, now: number) {
  return {
    ...listItem(c, now),
    content: c.content,
    attachments: c.attachments,
    contact: c.contact ?? null,
    channel: c.channel,
    resolution: c.resolution ?? null,
    rating: c.rating ?? null,
    history: c.history,
    version: c.version,
  };
}

type Handler = (req: Request, res: Response) => Promise<void>;
const wrap = (h: Handler) => (req: Request, res: Response, next: NextFunction) => h(req, res).catch((e: unknown) => next(toAppError(e)));

/**
 * /admin/api/cases: list (filters status, assignee, village, category, overdue; limit/cursor),
 * detail with history, and assign, transfer, note, resolve, reject by case code. Every change is
 * made by the admin-token holder acting as a supervisor (`actorId`, default 'admin', in history).
 * Case rule refusals keep their codes: 404 CASE_NOT_FOUND, 409 CASE_CLOSED / TRANSITION_NOT_ALLOWED
 * / ALREADY_ASSIGNED, 403 CASE_NOT_YOURS, 400 INVALID_CASE_INPUT / UNKNOWN_OFFICIAL / VALIDATION_FAILED.
 */
export function createCasesAdminRouter(deps: CasesAdminDeps): Router {
  const { cases, officials, now = Date.now, routing, onChange, actorId = 'admin' } = deps;
  const actor: CaseActor = { kind: 'official', officialId: actorId, supervisor: true };
  const router = express.Router();
  router.use('/admin/api/cases', requireAdminToken(deps.adminToken), express.json({ limit: '64kb' }));

  const caseByCode = async (typed: unknown): Promise<Case> => {
    const code = typeof typed === 'string' ? normalizeCaseCode(typed) : null;
    const found = code === null ? null : await cases.findByCode(code);
    if (!found) throw new AppError('CASE_NOT_FOUND', `no case with code ${String(typed)}`);
    return found;
  };
  const activeOfficial = async (id: string): Promise<string> => {
    const o = await officials.get(id);
    if (!o || !o.active) throw new AppError('UNKNOWN_OFFICIAL', `no active official "${id}"`, { problems: [{ message: `officialId: no active official "${id}"` }] });
    return o.id;
  };
  const changed = async (res: Response, outcome: CaseOutcome) => {
    await onChange?.(outcome);
    res.json({ case: detail(outcome.case, now()), notices: outcome.notices });
  };

  router.get(
    '/admin/api/cases',
    wrap(async (req, res) => {
      const q = parsed(listQuery, req.query, 'query');
      const filter: CaseListFilter = {};
      if (q.status) filter.status = q.status as CaseStatus[];
      if (q.assignee) filter.assigneeId = q.assignee;
      if (q.village) filter.village = (routing && findVillage(routing, q.village)) ?? q.village;
      if (q.category) filter.category = q.category;
      if (q.overdue === 'true') filter.overdueAt = now();
      if (q.limit) filter.limit = q.limit;
      if (q.cursor) {
        try {
          decodeCaseCursor(q.cursor);
        } catch {
          throw new AppError('VALIDATION_FAILED', 'not a cursor of this list', { problems: [{ message: 'cursor: not a cursor of this list' }] });
        }
        filter.after = q.cursor;
      }
      const page = await cases.list(filter);
      const t = now();
      res.json({ cases: page.cases.map((c) => listItem(c, t)), ...(page.next ? { next: page.next } : {}) });
    }),
  );

  router.get(
    '/admin/api/cases/:code',
    wrap(async (req, res) => {
      res.json({ case: detail(await caseByCode(req.params.code), now()) });
    }),
  );

  router.post(
    '/admin/api/cases/:code/assign',
    wrap(async (req, res) => {
      const body = parsed(bodies.assign, req.body, 'body');
      const c = await caseByCode(req.params.code);
      const assigneeId = await activeOfficial(body.officialId);
      const backupId = body.backupId === undefined ? undefined : await activeOfficial(body.backupId);
      await changed(res, await assignCase({ cases, now }, { caseId: c.id, assigneeId, by: actor, ...(backupId ? { backupId } : {}), ...(body.note ? { note: body.note } : {}) }));
    }),
  );

  router.post(
    '/admin/api/cases/:code/transfer',
    wrap(async (req, res) => {
      const body = parsed(bodies.transfer, req.body, 'body');
      const c = await caseByCode(req.params.code);
      const toOfficialId = await activeOfficial(body.officialId);
      await changed(res, await transferCase({ cases, now }, { caseId: c.id, toOfficialId, by: actor, ...(body.note ? { note: body.note } : {}) }));
    }),
  );

  router.post(
    '/admin/api/cases/:code/note',
    wrap(async (req, res) => {
      const body = parsed(bodies.note, req.body, 'body');
      const c = await caseByCode(req.params.code);
      await changed(res, await addNote({ cases, now }, { caseId: c.id, by: actor, note: body.note }));
    }),
  );

  router.post(
    '/admin/api/cases/:code/resolve',
    wrap(async (req, res) => {
      const body = parsed(bodies.resolve, req.body, 'body');
      const c = await caseByCode(req.params.code);
      await changed(res, await resolveCase({ cases, now }, { caseId: c.id, by: actor, answer: body.answer }));
    }),
  );

  router.post(
    '/admin/api/cases/:code/reject',
    wrap(async (req, res) => {
      const body = parsed(bodies.reject, req.body, 'body');
      const c = await caseByCode(req.params.code);
      await changed(res, await rejectCase({ cases, now }, { caseId: c.id, by: actor, reason: body.reason }));
    }),
  );

  return router;
}
