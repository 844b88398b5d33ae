/**
 * The case actions the petition, lookup and rating flows call: `case.create`, `case.lookup`,
 * `rating.record`. They map the flow's arguments onto the case use cases of civic/cases and answer
 * with a result the flow can branch on; a refused rule is its code, never a throw.
 */
import { z } from 'zod';
import { PETITION_TYPES, type CaseAttachment, type CaseStore, type PetitionType } from '../store/ports/cases';
import type { OfficialStore } from '../store/ports/officials';
import { localeOf, refuse, type ActionContext, type ActionHandler, type ActionResult } from './action-kit';
import type { Calendar } from './calendar/calendar';
import { dueDate } from './calendar/due-date';
import { formatDueDate } from './case-text';
import { findCode, readTypedCode } from './citizen-codes';
import { lookupOwnCode, type CodeLookupStores } from './code-lookup';
import { CASE_CATEGORY_IDS } from './cases/categories';
import { MemoryAttemptLimiter, type AttemptLimiter } from './cases/attempt-limiter';
import { isCaseRuleError } from './cases/errors';
import { fileCase } from './cases/file-case';
import type { CaseOutcome } from './cases';
import { rateCase } from './cases/rate-case';
import { routeCase } from './officials/route-case';
import { findVillage, type RoutingRules } from './officials/routing-rules';

export interface CaseActionDeps {
  cases: CaseStore;
  officials: OfficialStore;
  routing: RoutingRules;
  calendar: Calendar;
  /** with the catalogue and desk data: `case.lookup` shows the asker's appointments too */
  appointments?: CodeLookupStores['appointments'];
  /** `case.lookup` shows the asker's hand-offs too */
  handoffs?: CodeLookupStores['handoffs'];
  /** counts wrong codes (of any kind) per person; default a MemoryAttemptLimiter (one process only) */
  attempts?: AttemptLimiter;
  /** wrong codes one person may type per window before TOO_MANY_ATTEMPTS; default 5 */
  codeAttemptLimit?: number;
  /** the window of codeAttemptLimit, ms; default 10 minutes */
  codeAttemptWindowMs?: number;
  /**
   * Called with every change a citizen makes (filing, rating): the job layer plans the deadline
   * jobs and delivers the notices. A failure here does not undo the filing; the worker re-plans
   * every open case when it starts.
   */
  onCaseChange?: (outcome: CaseOutcome) => Promise<void>;
}

/** Result codes of the case actions, beside the case rule codes (CASE_CLOSED, ALREADY_RATED…). */
export const CASE_ACTION_CODES = {
  /** an unknown code, a malformed one, or someone else's case, appointment or hand-off: never told apart */
  notFound: 'NOT_FOUND',
  /** too many wrong codes from this person lately: try later or ask an official */
  tooManyAttempts: 'TOO_MANY_ATTEMPTS',
  invalidArguments: 'INVALID_ARGUMENTS',
  /** the sentence holds no case, appointment or hand-off code: ask for one (not counted as a wrong guess) */
  noCode: 'NO_CODE',
} as const;

const CONTENT_MAX = 2000;

const optionalText = z.string().nullish();
const createArgs = z
  .object({
    /** feedback (phản ánh) or proposal (kiến nghị): both are petitions; the type sets the time limit */
    petition_type: z.enum(PETITION_TYPES).optional(),
    /** the same, under the name flow versions published before `petition_type` still send */
    kind: z.enum(PETITION_TYPES).optional(),
    category: z.enum(CASE_CATEGORY_IDS),
    village: z.string(),
    content: z.string(),
    /** the image input's value: the platform's URL, or its asset id */
    photo: optionalText,
    /** the location input's value: a shared pin, or what the person typed */
    location: z.union([z.object({ lat: z.number(), lng: z.number(), title: z.string().optional() }), z.object({ text: z.string() })]).nullish(),
    name: optionalText,
    phone: optionalText,
    /** what consent.record answered when the person tapped "Đồng ý" */
    consent_version: optionalText,
    consent_at: z.number().nullish(),
  })
  .refine((a) => a.petition_type !== undefined || a.kind !== undefined, { path: ['petition_type'], message: 'required' })
  .transform(({ kind, petition_type, ...rest }) => ({ ...rest, petitionType: (petition_type ?? kind) as PetitionType }));

const rateArgs = z.object({
  case_code: optionalText,
  score: z.number(),
  trips: z.number().nullish(),
  comment: optionalText,
});

/** A refused case rule becomes its code (issues kept for INVALID_CASE_INPUT); anything else is rethrown. */
function ruleRefusal(e: unknown): ActionResult {
  if (!isCaseRuleError(e)) throw e;
  if (e.code === 'CASE_NOT_FOUND') return refuse(CASE_ACTION_CODES.notFound);
  return e.details?.issues ? refuse(e.code, { issues: e.details.issues }) : refuse(e.code);
}

function attachmentsOf(args: z.output<typeof createArgs>): CaseAttachment[] {
  const out: CaseAttachment[] = [];
  if (args.photo) out.push(/^https?:\/\//i.test(args.photo) ? { type: 'image', url: args.photo } : { type: 'image', platformId: args.photo });
  const loc = args.location;
  if (loc && 'lat' in loc) out.push(loc.title ? { type: 'location', lat: loc.lat, lng: loc.lng, label: loc.title } : { type: 'location', lat: loc.lat, lng: loc.lng });
  return out;
}

// The case keeps one content text: the citizen's words, then a place described in words, so the
// official reads everything the citizen gave. The citizen's own words are never cut.
function contentOf(args: z.output<typeof createArgs>): string {
  const place = args.location && 'text' in args.location ? `\nĐịa điểm: ${args.location.text}` : '';
  return (args.content + place).slice(0, Math.max(CONTENT_MAX, args.content.length));
}

function createCase(deps: CaseActionDeps): ActionHandler {
  return async (rawArgs, ctx) => {
    const parsed = createArgs.safeParse(rawArgs);
    if (!parsed.success) return refuse(CASE_ACTION_CODES.invalidArguments, { fields: parsed.error.issues.map((i) => i.path.join('.')) });
    const args = parsed.data;
    const officials = await deps.officials.list();
    const consent = args.consent_version && typeof args.consent_at === 'number' ? { version: args.consent_version, at: args.consent_at } : undefined;
    try {
      const outcome = await fileCase(
        {
          cases: deps.cases,
          now: () => ctx.now,
          route: (r) => routeCase(deps.routing, officials, r),
          // The petition type, not the case kind, names the legal time limit (timeLimits.feedback, .proposal).
          dueDate: (d) => dueDate(deps.calendar, { kind: d.petitionType, category: d.category, receivedAt: d.receivedAt }),
        },
        {
          petitionType: args.petitionType,
          category: args.category,
          village: findVillage(deps.routing, args.village) ?? args.village,
          content: contentOf(args),
          attachments: attachmentsOf(args),
          ...(args.name ? { name: args.name } : {}),
          ...(args.phone ? { phone: args.phone } : {}),
          ...(consent ? { consent } : {}),
          channel: ctx.channel,
          userId: ctx.userId,
        },
      );
      const c = outcome.case;
      await deps.onCaseChange?.(outcome).catch(() => undefined);
      const assigneeName = officials.find((o) => o.id === c.assigneeId)?.name;
      const locale = localeOf((rawArgs as { locale?: unknown }).locale, ctx);
      return { ok: true, data: { code: c.code, dueDate: c.dueAt, dueText: formatDueDate(c.dueAt, locale), ...(assigneeName ? { assigneeName } : {}) } };
    } catch (e) {
      return ruleRefusal(e);
    }
  };
}

/** A case code inside a sentence ("tra cứu PA-7K3M9", "TRACUU pa 7k3m9"), or null. */
export function findCaseCode(text: string): string | null {
  const found = findCode(text);
  return found?.kind === 'case' ? found.code : null;
}

function codeStores(deps: CaseActionDeps): CodeLookupStores {
  return { cases: deps.cases, ...(deps.appointments ? { appointments: deps.appointments } : {}), ...(deps.handoffs ? { handoffs: deps.handoffs } : {}) };
}

/**
 * `case.lookup`: a case, appointment or hand-off code, given as `code` (the answer to "mã hồ sơ hoặc
 * mã lịch hẹn") or inside `text` (the message that started the lookup). Answers `{ code, kind,
 * summary }` for the asker's own (`changeable` for a booked appointment still ahead); NOT_FOUND
 * (counted as a wrong guess) for an unknown or someone else's; NO_CODE when `text` holds none.
 */
function lookupCode(deps: CaseActionDeps, limit: number, windowMs: number, attempts: AttemptLimiter): ActionHandler {
  const stores = codeStores(deps);
  return async (args, ctx) => {
    // From a sentence: the code read from it is echoed back for the answer's wording (it is the asker's own text).
    const fromText = typeof args.text === 'string' && args.code === undefined;
    const typed = fromText ? findCode(args.text as string) : typeof args.code === 'string' ? readTypedCode(args.code) : null;
    if (fromText && !typed) return refuse(CASE_ACTION_CODES.noCode);
    const echo = fromText && typed ? { code: typed.code } : undefined;
    const looked = typed ? await lookupOwnCode(stores, typed, ctx, localeOf(args.locale, ctx), ctx.now) : null;
    // Only a failed lookup is counted: a success can only be the asker's own, which guessing cannot
    // reach, so a person who mistyped a few times still gets their answer.
    if (looked?.found) return { ok: true, data: { code: typed?.code, kind: typed?.kind, summary: looked.summary, ...(looked.changeable ? { changeable: true } : {}) } };
    if (looked?.guess === 'notGuessed') return refuse(CASE_ACTION_CODES.notFound, echo);
    const refused = await wrongCode(attempts, ctx, limit, windowMs);
    return echo ? { ...refused, data: echo } : refused;
  };
}

async function wrongCode(attempts: AttemptLimiter, ctx: ActionContext, limit: number, windowMs: number): Promise<ActionResult> {
  const allowed = await attempts.hit(`case-code:${ctx.channel}:${ctx.userId}`, limit, windowMs);
  return refuse(allowed ? CASE_ACTION_CODES.notFound : CASE_ACTION_CODES.tooManyAttempts);
}

function recordRating(deps: CaseActionDeps, limit: number, windowMs: number, attempts: AttemptLimiter): ActionHandler {
  return async (rawArgs, ctx) => {
    const parsed = rateArgs.safeParse(rawArgs);
    if (!parsed.success) return refuse(CASE_ACTION_CODES.invalidArguments, { fields: parsed.error.issues.map((i) => i.path.join('.')) });
    const { case_code: typedCode, score, trips, comment } = parsed.data;
    if (!typedCode) return refuse(CASE_ACTION_CODES.notFound);
    const typed = readTypedCode(typedCode);
    // An appointment or hand-off code is no guess at a case: nothing is looked for, nothing counted.
    if (typed && typed.kind !== 'case') return refuse(CASE_ACTION_CODES.notFound);
    const code = typed?.code ?? typedCode;
    try {
      const outcome = await rateCase(
        { cases: deps.cases, now: () => ctx.now },
        { code, asker: { channel: ctx.channel, userId: ctx.userId }, score, ...(trips != null ? { trips } : {}), ...(comment ? { comment } : {}) },
      );
      const c = outcome.case;
      await deps.onCaseChange?.(outcome).catch(() => undefined);
      return { ok: true, data: { code: c.code } };
    } catch (e) {
      const refused = ruleRefusal(e);
      return refused.code === CASE_ACTION_CODES.notFound ? wrongCode(attempts, ctx, limit, windowMs) : refused;
    }
  };
}

/** The handlers of `case.create`, `case.lookup` and `rating.record` over the case store. */
export function caseHandlers(deps: CaseActionDeps): Record<string, ActionHandler> {
  const { attempts = new MemoryAttemptLimiter(), codeAttemptLimit = 5, codeAttemptWindowMs = 10 * 60_000 } = deps;
  return {
    'case.create': createCase(deps),
    'case.lookup': lookupCode(deps, codeAttemptLimit, codeAttemptWindowMs, attempts),
    'rating.record': recordRating(deps, codeAttemptLimit, codeAttemptWindowMs, attempts),
  };
}
