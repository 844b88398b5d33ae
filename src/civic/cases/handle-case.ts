import { z } from 'zod';
import type { Case } from '../../store/ports/cases';
import { caseActorSchema, requireAssignee, requireHandler, type CaseActor } from './actor';
import { multiLine, parseCaseInput } from './case-input';
import { changeCase, type CaseDeps } from './change-case';
import { toCitizen, toOfficial, type CaseNotice, type CaseOutcome } from './notices';
import { statusAfter } from './transitions';

const caseIdSchema = z.string().min(1);

/** The assignee takes the case on: assigned or transferred -> in_progress. Notice: the citizen. */
export async function acceptCase(deps: CaseDeps, request: { caseId: string; by: CaseActor }): Promise<CaseOutcome> {
  const input = parseCaseInput(z.object({ caseId: caseIdSchema, by: caseActorSchema }), request);
  return changeCase(deps.cases, () => deps.cases.get(input.caseId), (c) => {
    const status = statusAfter(c, 'accept');
    const by = requireAssignee(input.by, c);
    return { patch: { status }, event: { at: deps.now(), by, what: 'accepted' }, notices: [toCitizen('status_changed')] };
  });
}

/** An internal note on an open case (not shown to the citizen). No notices. */
export async function addNote(deps: CaseDeps, request: { caseId: string; by: CaseActor; note: string }): Promise<CaseOutcome> {
  const input = parseCaseInput(z.object({ caseId: caseIdSchema, by: caseActorSchema, note: multiLine(1, 2000) }), request);
  return changeCase(deps.cases, () => deps.cases.get(input.caseId), (c) => {
    statusAfter(c, 'note');
    const by = requireHandler(input.by, c);
    return { patch: {}, event: { at: deps.now(), by, what: 'note', note: input.note }, notices: [] };
  });
}

/**
 * The answer to the citizen: assigned or in_progress -> resolved, by the assignee, the backup or a
 * supervisor. Notices: the answer and a rating request to the citizen; the assignee if someone
 * else answered.
 */
export async function resolveCase(deps: CaseDeps, request: { caseId: string; by: CaseActor; answer: string }): Promise<CaseOutcome> {
  const input = parseCaseInput(z.object({ caseId: caseIdSchema, by: caseActorSchema, answer: multiLine(1, 4000) }), request);
  return changeCase(deps.cases, () => deps.cases.get(input.caseId), (c) => {
    const status = statusAfter(c, 'resolve');
    const by = requireHandler(input.by, c);
    const at = deps.now();
    return {
      patch: { status, resolution: { answer: input.answer, by, at } },
      event: { at, by, what: 'resolved' },
      notices: [toCitizen('resolved'), toCitizen('rate_request'), ...toAssigneeIfOther(c, by)],
    };
  });
}

/**
 * Refuses the case with a reason the citizen is told (kept as the resolution's answer): any open
 * status -> rejected. Notices: the citizen; the assignee if someone else did it.
 */
export async function rejectCase(deps: CaseDeps, request: { caseId: string; by: CaseActor; reason: string }): Promise<CaseOutcome> {
  const input = parseCaseInput(z.object({ caseId: caseIdSchema, by: caseActorSchema, reason: multiLine(1, 2000) }), request);
  return changeCase(deps.cases, () => deps.cases.get(input.caseId), (c) => {
    const status = statusAfter(c, 'reject');
    const by = requireHandler(input.by, c);
    const at = deps.now();
    return {
      patch: { status, resolution: { answer: input.reason, by, at } },
      event: { at, by, what: 'rejected', note: input.reason },
      notices: [toCitizen('status_changed'), ...toAssigneeIfOther(c, by)],
    };
  });
}

function toAssigneeIfOther(c: Case, by: string): CaseNotice[] {
  return c.assigneeId !== undefined && c.assigneeId !== by ? [toOfficial(c.assigneeId, 'status_changed')] : [];
}
