import type { Case } from '../../store/ports/cases';

/**
 * Who should be told what about a case, for the job layer to deliver (within the platform's
 * messaging rules). `assigned`: you are now responsible. `status_changed`: the case moved (for the
 * citizen, or for an official whose case someone else acted on). `resolved`: here is the answer.
 * `rate_request`: please rate how it was handled. `needs_assignee`: routing found nobody; a
 * supervisor must assign it (nothing stays unassigned).
 */
export type CaseNoticeKind = 'assigned' | 'status_changed' | 'resolved' | 'rate_request' | 'needs_assignee';

export interface CaseNotice {
  to: 'official' | 'citizen' | 'supervisor';
  /** set when `to` is 'official' */
  officialId?: string;
  kind: CaseNoticeKind;
}

/** What every case use case returns: the case as stored after the change, and whom to tell. */
export interface CaseOutcome {
  case: Case;
  notices: CaseNotice[];
}

export function toOfficial(officialId: string, kind: CaseNoticeKind): CaseNotice {
  return { to: 'official', officialId, kind };
}

export function toCitizen(kind: CaseNoticeKind): CaseNotice {
  return { to: 'citizen', kind };
}
