import { z } from 'zod';
import type { Case, CasePatch } from '../../store/ports/cases';
import { actorName, caseActorSchema, requireHandler, requireSupervisor, type CaseActor } from './actor';
import { blankAsAbsent, multiLine, officialId, parseCaseInput } from './case-input';
import { changeCase, type CaseDeps } from './change-case';
import { CaseRuleError } from './errors';
import { toCitizen, toOfficial, type CaseNotice, type CaseOutcome } from './notices';
import { statusAfter } from './transitions';

const assignSchema = z.object({
  caseId: z.string().min(1),
  assigneeId: officialId,
  backupId: officialId.optional(),
  by: caseActorSchema,
  note: blankAsAbsent(multiLine(1, 2000)),
});

/**
 * A supervisor (or the routing) names the responsible official, and optionally a backup. Allowed
 * in any open status; the new assignee must accept. Notices: the new assignee; the one replaced;
 * the citizen when the status changes (e.g. received -> assigned).
 */
export async function assignCase(
  deps: CaseDeps,
  request: { caseId: string; assigneeId: string; backupId?: string; by: CaseActor; note?: string },
): Promise<CaseOutcome> {
  const input = parseCaseInput(assignSchema, request);
  return changeCase(deps.cases, () => deps.cases.get(input.caseId), (c) => {
    const status = statusAfter(c, 'assign');
    requireSupervisor(input.by);
    if (c.assigneeId === input.assigneeId) throw new CaseRuleError('ALREADY_ASSIGNED', `${input.assigneeId} already holds this case`);
    const patch: CasePatch = { status, assigneeId: input.assigneeId, ...backupAfter(c, input.assigneeId, input.backupId) };
    return {
      patch,
      event: { at: deps.now(), by: actorName(input.by), what: 'assigned', officialId: input.assigneeId, ...(input.note ? { note: input.note } : {}) },
      notices: handOverNotices(c, status, input.assigneeId, actorName(input.by)),
    };
  });
}

const transferSchema = z.object({
  caseId: z.string().min(1),
  toOfficialId: officialId,
  by: caseActorSchema,
  note: blankAsAbsent(multiLine(1, 2000)),
});

/**
 * The official handling a case (or its backup, or a supervisor) passes it to another official,
 * e.g. the Công an xã for a residence matter. The new holder must accept it; the due date stays.
 * Notices: the new holder; the previous assignee if someone else did it; the citizen.
 */
export async function transferCase(
  deps: CaseDeps,
  request: { caseId: string; toOfficialId: string; by: CaseActor; note?: string },
): Promise<CaseOutcome> {
  const input = parseCaseInput(transferSchema, request);
  return changeCase(deps.cases, () => deps.cases.get(input.caseId), (c) => {
    const status = statusAfter(c, 'transfer');
    const by = requireHandler(input.by, c);
    if (c.assigneeId === input.toOfficialId) throw new CaseRuleError('ALREADY_ASSIGNED', `${input.toOfficialId} already holds this case`);
    return {
      patch: { status, assigneeId: input.toOfficialId, ...backupAfter(c, input.toOfficialId) },
      event: { at: deps.now(), by, what: 'transferred', officialId: input.toOfficialId, ...(input.note ? { note: input.note } : {}) },
      notices: handOverNotices(c, status, input.toOfficialId, by),
    };
  });
}

// A new backup when one is named; otherwise the old one stays, unless they are the new assignee.
function backupAfter(c: Case, assigneeId: string, backupId?: string): Pick<CasePatch, 'backupId'> {
  if (backupId !== undefined) return { backupId: backupId === assigneeId ? null : backupId };
  return c.backupId === assigneeId ? { backupId: null } : {};
}

function handOverNotices(c: Case, status: Case['status'], newHolder: string, by: string): CaseNotice[] {
  const notices: CaseNotice[] = [toOfficial(newHolder, 'assigned')];
  if (c.assigneeId !== undefined && c.assigneeId !== by) notices.push(toOfficial(c.assigneeId, 'status_changed'));
  if (status !== c.status) notices.push(toCitizen('status_changed'));
  return notices;
}
