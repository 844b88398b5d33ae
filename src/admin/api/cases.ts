import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import {
  PETITION_TYPES,
  addNote,
  assignCase,
  isCaseRuleError,
  petitionContent,
  petitionTypeName,
  rejectCase,
  resolveCase,
  transferCase,
  type CaseActor,
  type CaseOutcome,
} from '../../civic/cases';
import { findVillage, type RoutingRules } from '../../civic/officials/routing-rules';
import { LOCALES_DIR } from '../../paths';
import { AppError } from '../../shared/app-error';
import type { AuditLog } from '../../store/ports/audit';
import type { ConversationStore } from '../../store/ports/conversations';
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
import { recordChange } from '../audit-trail';
import { parsed, wrap as wrapHandler } from './http';
import { createAdminAuth, principalOf, type AdminAuth, type Principal } from './roles';

export interface CasesAdminDeps {
  /** sessions and roles; default: the bearer ADMIN_TOKEN only (`adminToken`) */
  auth?: AdminAuth;
  /** bearer token of the admin role; used only when `auth` is not given */
  adminToken?: string;
  cases: CaseStore;
  officials: OfficialStore;
  /** where every change is recorded with the case before and after; unset = not recorded */
  audit?: AuditLog;
  /** the chats: a case's detail shows the conversation it came from; unset = not shown */
  conversations?: Pick<ConversationStore, 'transcript'>;
  /** the clock: overdue filter and the times of history lines; default Date.now */
  now?: () => number;
  /** when given, a village filter typed any way ("thon phu loc") matches routing.yaml's name */
  routing?: RoutingRules;
  /** called after every change with the outcome's notices (whom to tell); the job layer delivers them */
  onChange?: (outcome: CaseOutcome) => Promise<void> | void;
  /**
   * The official id written in history lines for changes made with the bearer ADMIN_TOKEN; it acts
   * as a supervisor. Default 'admin'. A console admin writes its own username (or roster id).
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
  /** the petition type: feedback (phản ánh) or proposal (kiến nghị) */
  type: z.enum(PETITION_TYPES).optional(),
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

/** Roster roles that supervise: an official account with one of them may assign and close any case it sees. */
const SUPERVISOR_ROLES = new Set(['chair', 'vice_chair']);
const EXPORT_LIMIT = 10_000;
/** The console's Vietnamese words (locales/vi/console.json): the export names statuses, categories and roles as the console does. */
const consoleWords = JSON.parse(readFileSync(join(LOCALES_DIR, 'vi', 'console.json'), 'utf8')) as Record<string, string>;

/** A case rule's refusal as the API's error: the same code, its HTTP status from ERROR_CODES. */
function toAppError(e: unknown): unknown {
  if (isCaseVersionConflict(e)) return new AppError('CASE_CHANGED', e.message);
  if (!isCaseRuleError(e)) return e;
  const issues = Array.isArray(e.details?.issues) ? (e.details.issues as { field: string; problem: string }[]) : undefined;
  return new AppError(e.code, e.message, issues ? { problems: issues.map((i) => ({ message: `${i.field}: ${i.problem}` })) } : undefined);
}

const wrap = (h: (req: Request, res: Response) => Promise<void>) => wrapHandler(h, toAppError);

export const isOverdue = (c: Case, now: number) => !CLOSED_CASE_STATUSES.includes(c.status) && c.dueAt < now;

/** What the list shows of a case: no content, no contact. */
function listItem(c: Case, now: number) {
  return {
    code: c.code,
    kind: c.kind,
    petitionType: c.petitionType,
    category: c.category,
    village: c.village,
    status: c.status,
    assigneeId: c.assigneeId ?? null,
    backupId: c.backupId ?? null,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    dueAt: c.dueAt,
    overdue: isOverdue(c, now),
    rated: c.rating !== undefined,
  };
}

/** How many lines of the chat a case's detail shows, and how far back it looks for them. */
const CONVERSATION_LINES = 40;
const CONVERSATION_SCAN = 500;

/** The whole case for an official at work, but not the citizen's chat ids. */
function detail(c: Case, now: number) {
  return {
    ...listItem(c, now),
    // An old case's "[Kiến nghị] " lead is left out: the type is shown on its own.
    content: petitionContent(c),
    attachments: c.attachments,
    contact: c.contact ?? null,
    channel: c.channel,
    resolution: c.resolution ?? null,
    rating: c.rating ?? null,
    history: c.history,
    version: c.version,
  };
}

const auditView = (c: Case) => ({ status: c.status, assigneeId: c.assigneeId ?? null, backupId: c.backupId ?? null, resolution: c.resolution ?? null, version: c.version });

/** A CSV field: quoted, and a leading = + - @ neutralised so a spreadsheet never runs it as a formula. */
function csvField(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

/** Every case matching `filter`, page by page, up to `cap`. */
export async function allCases(cases: CaseStore, filter: CaseListFilter, cap = EXPORT_LIMIT): Promise<Case[]> {
  const out: Case[] = [];
  let after: string | undefined;
  do {
    const page = await cases.list({ ...filter, limit: 500, ...(after ? { after } : {}) });
    out.push(...page.cases);
    after = page.next;
  } while (after && out.length < cap);
  return out;
}

/** The two path families of the case desk: the API's (scripts) and the console page's. Same handlers. */
const FAMILIES = ['/admin/api/cases', '/admin/api/console/cases'] as const;
const paths = (suffix: string) => FAMILIES.map((f) => `${f}${suffix}`);

/**
 * The case desk, at /admin/api/cases… and /admin/api/console/cases… (one set of handlers): list
 * (filters status, assignee, village, category, type = feedback | proposal, overdue; limit/cursor), detail with history, and
 * assign, transfer, note, resolve, reject by case code; GET /admin/api/cases.csv exports the list
 * (UTF-8 with BOM). Admins (a console session or the bearer ADMIN_TOKEN) see and work every case as
 * supervisors; officials see and work only the cases assigned to them or backed up by them
 * (supervising when their roster role is chair or vice_chair); viewers are refused.
 * Case rule refusals keep their codes: 404 CASE_NOT_FOUND, 409 CASE_CLOSED / TRANSITION_NOT_ALLOWED
 * / ALREADY_ASSIGNED, 403 CASE_NOT_YOURS, 400 INVALID_CASE_INPUT / UNKNOWN_OFFICIAL / VALIDATION_FAILED.
 * Every change is written to the audit log with the case before and after.
 */
export function createCasesAdminRouter(deps: CasesAdminDeps): Router {
  const { cases, officials, audit, now = Date.now, routing, onChange, actorId = 'admin' } = deps;
  const auth = deps.auth ?? createAdminAuth({ adminToken: deps.adminToken });
  const router = express.Router();
  router.use([...FAMILIES, '/admin/api/cases.csv'], auth.requireRole('admin', 'official'));
  router.use([...FAMILIES], express.json({ limit: '64kb' }));

  const actorOf = async (p: Principal): Promise<CaseActor> => {
    if (p.role === 'admin') return { kind: 'official', officialId: p.via === 'token' ? actorId : (p.officialId ?? p.username), supervisor: true };
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
    if (q.status) f.status = q.status as CaseStatus[];
    if (q.assignee) f.assigneeId = q.assignee;
    if (q.village) f.village = (routing && findVillage(routing, q.village)) ?? q.village;
    if (q.category) f.category = q.category;
    if (q.type) f.petitionType = q.type;
    if (q.overdue === 'true') f.overdueAt = now();
    if (q.limit) f.limit = q.limit;
    if (q.cursor) {
      try {
        decodeCaseCursor(q.cursor);
      } catch {
        throw new AppError('VALIDATION_FAILED', 'not a cursor of this list', { problems: [{ message: 'cursor: not a cursor of this list' }] });
      }
      f.after = q.cursor;
    }
    if (p.role === 'official') f.assigneeId = p.officialId ?? '\u0000none';
    return f;
  };
  const activeOfficial = async (id: string): Promise<string> => {
    const o = await officials.get(id);
    if (!o || !o.active) throw new AppError('UNKNOWN_OFFICIAL', `no active official "${id}"`, { problems: [{ message: `officialId: no active official "${id}"` }] });
    return o.id;
  };
  const changed = async (res: Response, action: string, before: Case, outcome: CaseOutcome) => {
    await recordChange(audit, { actor: principalOf(res).username, action, target: `case:${before.code}`, before: auditView(before), after: auditView(outcome.case), at: now() });
    await onChange?.(outcome);
    res.json({ case: detail(outcome.case, now()), notices: outcome.notices });
  };
  /** One change route: parse the body, find the case the principal may see, run the rule as the principal. */
  const change = <T extends z.ZodType>(suffix: string, schema: T, action: string, run: (c: Case, body: z.output<T>, by: CaseActor) => Promise<CaseOutcome>) =>
    router.post(
      paths(`/:code/${suffix}`),
      wrap(async (req, res) => {
        const p = principalOf(res);
        const body = parsed(schema, req.body);
        const c = await caseFor(p, req.params.code);
        await changed(res, action, c, await run(c, body, await actorOf(p)));
      }),
    );

  router.get(
    paths(''),
    wrap(async (req, res) => {
      const page = await cases.list(filterFor(principalOf(res), parsed(listQuery, req.query, 'query')));
      const t = now();
      res.json({ cases: page.cases.map((c) => listItem(c, t)), ...(page.next ? { next: page.next } : {}) });
    }),
  );

  router.get(
    paths('/:code'),
    wrap(async (req, res) => {
      const c = await caseFor(principalOf(res), req.params.code);
      res.json({ case: { ...detail(c, now()), conversation: await conversationOf(c) } });
    }),
  );

  /**
   * The messages that led to the case: the last CONVERSATION_LINES of the citizen's chat up to a
   * minute after filing (later chat is not the case's). Only those who may see the case see it.
   */
  async function conversationOf(c: Case): Promise<{ direction: 'in' | 'out'; at: number; text: string }[]> {
    if (!deps.conversations) return [];
    const recent = await deps.conversations.transcript(`${c.channel}:${c.userId}`, CONVERSATION_SCAN);
    return recent
      .filter((e) => e.at <= c.createdAt + 60_000)
      .slice(-CONVERSATION_LINES)
      .map((e) => ({ direction: e.direction, at: e.at, text: e.text }));
  }

  const ctx = { cases, now };
  change('assign', bodies.assign, 'case.assign', async (c, body, by) => {
    const assigneeId = await activeOfficial(body.officialId);
    const backupId = body.backupId === undefined ? undefined : await activeOfficial(body.backupId);
    return assignCase(ctx, { caseId: c.id, assigneeId, by, ...(backupId ? { backupId } : {}), ...(body.note ? { note: body.note } : {}) });
  });
  change('transfer', bodies.transfer, 'case.transfer', async (c, body, by) =>
    transferCase(ctx, { caseId: c.id, toOfficialId: await activeOfficial(body.officialId), by, ...(body.note ? { note: body.note } : {}) }),
  );
  change('note', bodies.note, 'case.note', (c, body, by) => addNote(ctx, { caseId: c.id, by, note: body.note }));
  change('resolve', bodies.resolve, 'case.resolve', (c, body, by) => resolveCase(ctx, { caseId: c.id, by, answer: body.answer }));
  change('reject', bodies.reject, 'case.reject', (c, body, by) => rejectCase(ctx, { caseId: c.id, by, reason: body.reason }));

  router.get(
    '/admin/api/cases.csv',
    wrap(async (req, res) => {
      const { limit: _limit, cursor: _cursor, ...q } = parsed(listQuery, req.query, 'query');
      const list = await allCases(cases, filterFor(principalOf(res), q));
      const t = now();
      const header = ['code', 'kind', 'petition_type', 'category', 'category_name', 'village', 'status', 'status_name', 'assignee', 'assignee_name', 'created_at', 'due_at', 'overdue', 'closed_at', 'rating'];
      // The type, category, status and assignee in Vietnamese words ("Kiến nghị", "Từ chối (không tiếp nhận)",
      // "Nguyễn Văn Địa — Công chức chuyên môn"), as the commune's staff read them, beside the codes a script
      // reads: a rejected petition never reads like a resolved one.
      const roster = new Map((await officials.list()).map((o) => [o.id, `${o.name} — ${consoleWords[`role.${o.role}`] ?? o.role}`]));
      const rows = list.map((c) => [
        c.code,
        c.kind,
        petitionTypeName(c.petitionType, 'vi'),
        c.category,
        consoleWords[`category.${c.category}`] ?? c.category,
        c.village,
        c.status,
        consoleWords[`status.${c.status}`] ?? c.status,
        c.assigneeId ?? null,
        c.assigneeId ? (roster.get(c.assigneeId) ?? c.assigneeId) : null,
        new Date(c.createdAt).toISOString(),
        new Date(c.dueAt).toISOString(),
        isOverdue(c, t),
        c.resolution ? new Date(c.resolution.at).toISOString() : null,
        c.rating?.score ?? null,
      ]);
      // The BOM makes Excel read the file as UTF-8, so Vietnamese names survive.
      const csv = '\uFEFF' + [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
      res.setHeader('Content-Disposition', 'attachment; filename="cases.csv"');
      res.type('text/csv; charset=utf-8').send(csv);
    }),
  );

  return router;
}
