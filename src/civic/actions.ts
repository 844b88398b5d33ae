/**
 * The civic actions the engine's effects name, run by the effects worker (and the terminal chat).
 * Each returns a result instead of throwing: a refusal is an answer the flow can branch on
 * (`PROCEDURE_NOT_FOUND`, `SERVICE_NOT_OPEN`), and the result is fed back into the conversation.
 */
import { isAppError } from '../shared/app-error';
import type { AppointmentStore } from '../store/ports/appointments';
import type { CaseStore } from '../store/ports/cases';
import type { HandoffStore } from '../store/ports/handoffs';
import type { OfficialStore } from '../store/ports/officials';
import type { Calendar } from './calendar/calendar';
import { APPOINTMENT_ACTIONS, appointmentHandlers } from './appointment-actions';
import type { HandoffService } from './handoff/handoff-service';
import type { ReminderPlanner } from './appointments/book-appointment';
import { DEFAULT_DESK_SETTINGS, type DeskSettings } from './appointments/desk-settings';
import type { ReminderChannels } from './appointments/reminders';
import type { MessagingPolicies } from '../shared/messaging-policy';
import { CASE_ACTION_CODES, caseHandlers } from './case-actions';
import type { AttemptLimiter } from './cases/attempt-limiter';
import type { CaseOutcome } from './cases';
import { localeOf, refuse, type ActionContext, type ActionHandler, type ActionRequest, type ActionResult } from './action-kit';
import type { RoutingRules } from './officials/routing-rules';
import { findProcedure, pick, procedureLabel, type Catalogue } from './procedures/catalogue';
import { explainAspect, explainProcedure, isProcedureAspect } from './procedures/explain';
import { matchProcedures } from './procedures/match';
import { isOfficeQuestion, officeAnswer, type OfficeFactsData } from './office-facts';

export type { ActionContext, ActionHandler, ActionRequest, ActionResult } from './action-kit';

/** Result codes of a refused action; the flow branches on them and locales word them. */
export const ACTION_CODES = {
  procedureNotFound: 'PROCEDURE_NOT_FOUND',
  serviceNotOpen: 'SERVICE_NOT_OPEN',
  invalidArguments: 'INVALID_ARGUMENTS',
  unknownAction: 'UNKNOWN_ACTION',
  actionFailed: 'ACTION_FAILED',
  /** case.lookup, rating.record: an unknown code or someone else's case (never told apart) */
  notFound: CASE_ACTION_CODES.notFound,
  /** case.lookup, rating.record: too many wrong codes from this person lately */
  tooManyAttempts: CASE_ACTION_CODES.tooManyAttempts,
} as const;

/**
 * Version of the consent notice in flows/consent.yaml, used when the flow does not pass
 * `notice_version`. Consent is kept with the version of the text the person actually saw.
 */
export const CONSENT_NOTICE_VERSION = '2026-12';

/**
 * Civic features named by flows that are not built yet, or not given what they need: they refuse
 * plainly, never pretend. The case ones open when createActionHandlers gets the case stores.
 */
const NOT_YET_OPEN = ['case.create', 'case.lookup', ...APPOINTMENT_ACTIONS, 'handoff.request', 'rating.record'] as const;

// main.ts may pass a stand-in catalogue when the file is missing: read it defensively.
function proceduresOf(catalogue: Catalogue): Catalogue['procedures'] {
  return Array.isArray(catalogue.procedures) ? catalogue.procedures : [];
}

function procedureHandlers(catalogue: Catalogue, onExplained?: ActionDeps['onProcedureExplained']): Record<string, ActionHandler> {
  return {
    'procedure.find': async (args, ctx) => {
      if (typeof args.query !== 'string') return refuse(ACTION_CODES.invalidArguments, { expected: 'query: string' });
      if (proceduresOf(catalogue).length === 0) return { ok: true, data: { matches: [], confident: false } };
      const locale = localeOf(args.locale, ctx);
      const found = matchProcedures(catalogue, args.query);
      // `label` is what a button shows (Messenger cuts at 20 characters); `name` stays the full name.
      const matches = found.matches.map((m) => {
        const p = findProcedure(catalogue, m.id);
        return { ...m, label: p ? procedureLabel(p, locale) : m.name };
      });
      return { ok: true, data: { matches, confident: found.confident } };
    },
    'procedure.explain': async (args, ctx) => {
      if (typeof args.id !== 'string') return refuse(ACTION_CODES.invalidArguments, { expected: 'id: string' });
      const procedure = proceduresOf(catalogue).length > 0 ? findProcedure(catalogue, args.id) : undefined;
      if (!procedure) return refuse(ACTION_CODES.procedureNotFound, { id: args.id });
      const locale = localeOf(args.locale, ctx);
      // `aspect` answers a follow-up about one part ("mất bao lâu"): that part only
      const aspect = isProcedureAspect(args.aspect) ? explainAspect(procedure, args.aspect, locale) : null;
      const summary = aspect ?? explainProcedure(procedure, locale);
      // A follow-up about one part of the procedure just explained is the same question, not a new one.
      if (aspect === null) await onExplained?.(procedure.id, ctx);
      return { ok: true, data: { id: procedure.id, name: pick(procedure.name, locale), summary } };
    },
    'procedure.list': async (args, ctx) => {
      const locale = localeOf(args.locale, ctx);
      const items = proceduresOf(catalogue).map((p) => ({ id: p.id, name: pick(p.name, locale), label: procedureLabel(p, locale) }));
      return { ok: true, data: { items } };
    },
  };
}

export interface ActionDeps {
  catalogue: Catalogue;
  /**
   * The commune's facts per language (commune.yaml, as commune-profile's communeTexts gives them):
   * with them `office.facts` answers the office questions (with `calendar`: today's opening too);
   * without them it answers SERVICE_NOT_OPEN.
   */
  communeTexts?: OfficeFactsData['texts'];
  /** version of the consent notice shown to citizens; default CONSENT_NOTICE_VERSION */
  consentVersion?: string;
  /**
   * The case store, the officials, the routing rules and the calendar: with all four,
   * `case.create`, `case.lookup` and `rating.record` work; without them they answer SERVICE_NOT_OPEN.
   */
  cases?: CaseStore;
  officials?: OfficialStore;
  routing?: RoutingRules;
  calendar?: Calendar;
  /** counts wrong case codes per person (shared by every process: the Redis one); default in memory */
  attempts?: AttemptLimiter;
  /**
   * The appointment store (with `calendar`): the appointment.* actions work; without it they
   * answer SERVICE_NOT_OPEN. `desk` defaults to DEFAULT_DESK_SETTINGS; without `reminders` no
   * reminder job is planned; `reminderChannels` (templates, billed Zalo) default to none.
   */
  appointments?: AppointmentStore;
  desk?: DeskSettings;
  reminders?: ReminderPlanner;
  reminderChannels?: ReminderChannels;
  /** what each platform lets the commune send when; required with `appointments` */
  messaging?: MessagingPolicies;
  /** after a citizen files or rates a case: plan its jobs and deliver its notices */
  onCaseChange?: (outcome: CaseOutcome) => Promise<void>;
  /** after the chat explained a procedure in full (a follow-up about one part is not counted): what citizens ask about */
  onProcedureExplained?: (procedureId: string, ctx: ActionContext) => Promise<void> | void;
  /** the hand-off store: with it, `case.lookup` also shows the asker's own hand-off codes (HT-…) */
  handoffs?: Pick<HandoffStore, 'findByCode'>;
  /** hand-offs to an official: with it, `handoff.request` opens one; without it, SERVICE_NOT_OPEN */
  handoff?: Pick<HandoffService, 'request'>;
}

/** The action handlers by name, over the given procedure catalogue (and the case stores, when given). */
export function createActionHandlers(deps: ActionDeps): Record<string, ActionHandler> {
  const { catalogue, consentVersion = CONSENT_NOTICE_VERSION, cases, officials, routing, calendar, attempts, onCaseChange } = deps;
  const handlers: Record<string, ActionHandler> = {
    ...procedureHandlers(catalogue, deps.onProcedureExplained),
    // The engine keeps the consent in the conversation's stored state; this gives it the time
    // and the version of the notice the person agreed to.
    'consent.record': async (args, ctx) => {
      const version = typeof args.notice_version === 'string' && args.notice_version.length > 0 ? args.notice_version : consentVersion;
      return { ok: true, data: { recordedAt: ctx.now, version } };
    },
  };
  for (const name of NOT_YET_OPEN) handlers[name] = async () => refuse(ACTION_CODES.serviceNotOpen, { action: name });
  // "hôm nay xã có làm việc không", "xã ở đâu": from the commune's data, today's opening with the holidays
  const { communeTexts } = deps;
  handlers['office.facts'] = async (args, ctx) => {
    if (!communeTexts) return refuse(ACTION_CODES.serviceNotOpen, { action: 'office.facts' });
    if (!isOfficeQuestion(args.question)) return refuse(ACTION_CODES.invalidArguments, { expected: 'question: today | hours | address | phones | reception' });
    const text = officeAnswer(args.question, { texts: communeTexts, ...(calendar ? { calendar } : {}) }, ctx.now, localeOf(args.locale, ctx));
    return { ok: true, data: { text } };
  };
  const { appointments, desk, reminders, reminderChannels, handoffs } = deps;
  if (cases && officials && routing && calendar) {
    // case.lookup reads every kind of code the citizen was given: appointments need the desk's place and papers.
    const lookup = { ...(appointments ? { appointments: { store: appointments, catalogue, desk: desk ?? DEFAULT_DESK_SETTINGS } } : {}), ...(handoffs ? { handoffs } : {}) };
    Object.assign(handlers, caseHandlers({ cases, officials, routing, calendar, ...lookup, ...(attempts ? { attempts } : {}), ...(onCaseChange ? { onCaseChange } : {}) }));
  }
  if (deps.handoff) handlers['handoff.request'] = handoffRequest(deps.handoff);
  if (appointments && calendar) {
    const { messaging } = deps;
    // the booking confirmation promises reminders: it must know what the platform will let through
    if (!messaging) throw new Error('createActionHandlers: appointments need `messaging` (the platforms\' messaging policies)');
    Object.assign(handlers, appointmentHandlers({ appointments, calendar, catalogue, messaging, ...(desk ? { desk } : {}), ...(reminders ? { reminders } : {}), ...(reminderChannels ? { reminderChannels } : {}) }));
  }
  return handlers;
}

const optionalWords = (v: unknown, max: number): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, max) : undefined);

/**
 * `handoff.request`: opens the conversation's hand-off (or finds the open one). `data.code` is its
 * code, `data.expect` when an answer may come, `data.already` true when one was open before.
 */
function handoffRequest(service: Pick<HandoffService, 'request'>): ActionHandler {
  return async (args, ctx) => {
    const topic = optionalWords(args.topic, 1000) ?? '';
    const category = optionalWords(args.category, 50);
    const village = optionalWords(args.village, 100);
    const { handoff, created, expect } = await service.request({
      channel: ctx.channel,
      userId: ctx.userId,
      topic,
      locale: localeOf(args.locale, ctx),
      ...(category ? { category } : {}),
      ...(village ? { village } : {}),
    });
    return { ok: true, data: { code: handoff.code, expect, already: !created } };
  };
}

/**
 * Runs the action an effect names. Never throws: an unknown action is `UNKNOWN_ACTION`, a handler
 * that throws is its AppError code or `ACTION_FAILED`, so the conversation always gets an answer.
 */
export async function runAction(handlers: Record<string, ActionHandler>, effect: ActionRequest, ctx: ActionContext): Promise<ActionResult> {
  const handler = Object.hasOwn(handlers, effect.action) ? handlers[effect.action] : undefined;
  if (!handler) return refuse(ACTION_CODES.unknownAction, { action: effect.action });
  try {
    return await handler(effect.args ?? {}, ctx);
  } catch (e) {
    return refuse(isAppError(e) ? e.code : ACTION_CODES.actionFailed, { action: effect.action });
  }
}
