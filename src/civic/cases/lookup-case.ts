import { normalizeCaseCode, type Case, type CaseKind, type CaseStatus, type CaseStore } from '../../store/ports/cases';

/** The person asking, as the channel knows them. */
export interface CaseAsker {
  channel: string;
  userId: string;
}

/** What the citizen who filed a case may see of it: no officials' ids, notes or contact details. */
export interface CaseSummary {
  code: string;
  kind: CaseKind;
  category: string;
  village: string;
  status: CaseStatus;
  /** ms since the epoch */
  receivedAt: number;
  dueAt: number;
  updatedAt: number;
  /** the answer (resolved) or the reason (rejected) */
  answer?: { text: string; at: number };
  rated: boolean;
}

export type CaseLookup = { found: true; summary: CaseSummary } | { found: false };

/**
 * The case's summary for the person who filed it (same channel, same user). An unknown code, a
 * malformed one and someone else's case all give the same `{ found: false }`: a code read out on
 * the phone must not let a stranger learn that a case exists.
 */
export async function lookupCase(cases: CaseStore, code: string, asker: CaseAsker): Promise<CaseLookup> {
  const normalized = normalizeCaseCode(code);
  const found = normalized === null ? null : await cases.findByCode(normalized);
  if (!found || !isFiler(found, asker)) return { found: false };
  return { found: true, summary: summarize(found) };
}

export function isFiler(c: Pick<Case, 'channel' | 'userId'>, asker: CaseAsker): boolean {
  return c.channel === asker.channel && c.userId === asker.userId;
}

function summarize(c: Case): CaseSummary {
  const summary: CaseSummary = {
    code: c.code,
    kind: c.kind,
    category: c.category,
    village: c.village,
    status: c.status,
    receivedAt: c.createdAt,
    dueAt: c.dueAt,
    updatedAt: c.updatedAt,
    rated: c.rating !== undefined,
  };
  if (c.resolution) summary.answer = { text: c.resolution.answer, at: c.resolution.at };
  return summary;
}
