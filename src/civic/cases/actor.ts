import { z } from 'zod';
import type { Case } from '../../store/ports/cases';
import { officialId } from './case-input';
import { CaseRuleError } from './errors';

/**
 * Who acts on a case. An official, who may be a supervisor (the chairperson, a vice-chairperson:
 * the caller checks the role); or the system (routing, escalation jobs).
 */
export type CaseActor = { kind: 'official'; officialId: string; supervisor?: boolean } | { kind: 'system' };

export const caseActorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('official'), officialId, supervisor: z.boolean().optional() }),
  z.object({ kind: z.literal('system') }),
]);

/** How the actor is written in a history line: the official's id, or 'system'. */
export function actorName(actor: CaseActor): string {
  return actor.kind === 'system' ? 'system' : actor.officialId;
}

/** The assignee, the backup or a supervisor may work the case; anyone else gets CASE_NOT_YOURS. */
export function requireHandler(actor: CaseActor, c: Pick<Case, 'assigneeId' | 'backupId'>): string {
  if (actor.kind === 'official' && (actor.supervisor || actor.officialId === c.assigneeId || actor.officialId === c.backupId)) {
    return actor.officialId;
  }
  throw new CaseRuleError('CASE_NOT_YOURS', `${actorName(actor)} does not handle this case`);
}

/** Only the assignee: accepting is taking responsibility in person. */
export function requireAssignee(actor: CaseActor, c: Pick<Case, 'assigneeId'>): string {
  if (actor.kind === 'official' && actor.officialId === c.assigneeId) return actor.officialId;
  throw new CaseRuleError('CASE_NOT_YOURS', `${actorName(actor)} is not the assignee`);
}

/** Assigning is a supervisor's or the routing's decision. */
export function requireSupervisor(actor: CaseActor): void {
  if (actor.kind === 'system' || actor.supervisor) return;
  throw new CaseRuleError('SUPERVISOR_ONLY', `${actor.officialId} is not a supervisor`);
}
