/**
 * Choosing the official responsible for a case, and a backup ("không né tránh trách nhiệm":
 * every case has a named official, nothing is left unassigned).
 */
import type { Official } from '../../store/ports';
import { findVillage, type RoutingRules, villageKey } from './routing-rules';

/**
 * Why this official: `rule` an explicit rule of routing.yaml for the category × village;
 * `category` an active official covering both; `village_head` the trưởng thôn, for a village matter;
 * `duty` the official on duty; `chair` the commune chair, the last resort.
 */
export type RouteReason = 'rule' | 'village_head' | 'category' | 'duty' | 'chair';

export interface RouteDecision {
  assigneeId: string;
  /** absent only when nobody active but the assignee can stand in (e.g. the chair with no backup) */
  backupId?: string;
  reason: RouteReason;
}

export interface CaseToRoute {
  /** a category id (civic/cases/categories.ts) */
  category: string;
  /** the thôn as the citizen gave it: any case, with or without diacritics, or an alias */
  village: string;
}

/**
 * The official for a case, trying in order: an explicit rule for the category × village (its
 * backup takes over while the assignee is inactive); an active official covering both the category
 * and the village; the village's head, for the categories routing.yaml lists as village matters;
 * the official on duty (an active official flagged onDuty, the `duty` one first; else the `duty`
 * official of routing.yaml or its backup); the chair (or the chair's backup while the chair is
 * inactive). Inactive officials are skipped. The backup is, in order, the one the rule names, a
 * second official of the same step, the assignee's supervisor, the chair, the chair's backup.
 *
 * Returns null only when no chair exists at all: neither the `chair` of routing.yaml nor any
 * official with the role chair is among `officials`.
 */
export function routeCase(rules: RoutingRules, officials: Official[], c: CaseToRoute): RouteDecision | null {
  const roster = new Roster(rules, officials);
  const village = villageKey(findVillage(rules, c.village) ?? c.village);
  const covers = (o: Official) => o.villages.some((v) => villageKey(v) === village);

  const rule = rules.rules.find((r) => r.category === c.category && r.villages.some((v) => villageKey(v) === village));
  if (rule) {
    const decision = roster.decide([rule.assignee, rule.backup], 'rule');
    if (decision) return decision;
  }

  const handlers = roster.active().filter((o) => o.categories.includes(c.category) && covers(o));
  const byCategory = roster.decide(rankOfficials(handlers).map((o) => o.id), 'category');
  if (byCategory) return byCategory;

  if (rules.villageMatters.includes(c.category)) {
    const heads = roster.active().filter((o) => o.role === 'village_head' && covers(o));
    const byHead = roster.decide(heads.map((o) => o.id), 'village_head');
    if (byHead) return byHead;
  }

  const onDuty = roster.active().filter((o) => o.onDuty);
  const dutyFirst = [...onDuty.filter((o) => o.id === rules.duty.assignee), ...onDuty.filter((o) => o.id !== rules.duty.assignee)];
  const byDuty = roster.decide([...dutyFirst.map((o) => o.id), rules.duty.assignee, rules.duty.backup], 'duty');
  if (byDuty) return byDuty;

  return roster.chairDecision();
}

/** The officials of one routing, and the choice of an assignee and a backup among them. */
class Roster {
  private readonly byId: Map<string, Official>;
  /** ordered by id, so the same roster always gives the same answer, whatever order it came in */
  private readonly officials: Official[];

  constructor(
    private readonly rules: RoutingRules,
    officials: Official[],
  ) {
    this.officials = [...officials].sort((a, b) => compareIds(a.id, b.id));
    this.byId = new Map(this.officials.map((o) => [o.id, o]));
  }

  active(): Official[] {
    return this.officials.filter((o) => o.active);
  }

  /** The first active candidate, with a backup; null when none of them is active. */
  decide(candidates: (string | undefined)[], reason: RouteReason): RouteDecision | null {
    const ids = candidates.filter((id): id is string => id !== undefined && this.isActive(id));
    if (ids.length === 0) return null;
    const [assigneeId, ...others] = ids;
    return this.withBackup(assigneeId, others, reason);
  }

  /** The chair, or the chair's backup while the chair is inactive; an inactive chair rather than nobody. */
  chairDecision(): RouteDecision | null {
    const { assignee, backup } = this.rules.chair;
    const chairs = [assignee, ...this.officials.filter((o) => o.role === 'chair' && o.id !== assignee).map((o) => o.id)];
    const decision = this.decide([...chairs, backup], 'chair');
    if (decision) return decision;
    const present = chairs.find((id) => this.byId.has(id));
    return present === undefined ? null : this.withBackup(present, [], 'chair');
  }

  private withBackup(assigneeId: string, preferred: string[], reason: RouteReason): RouteDecision {
    const supervisor = this.byId.get(assigneeId)?.supervisorId;
    const { chair } = this.rules;
    const backupId = [...preferred, supervisor, chair.assignee, chair.backup].find(
      (id): id is string => id !== undefined && id !== assigneeId && this.isActive(id),
    );
    return backupId === undefined ? { assigneeId, reason } : { assigneeId, backupId, reason };
  }

  private isActive(id: string): boolean {
    return this.byId.get(id)?.active === true;
  }
}

// The specialist first: a desk clerk or a village head who also lists the category comes after
// the official whose work it is; then by id.
const ROLE_ORDER: Record<Official['role'], number> = { official: 0, vice_chair: 1, village_head: 2, desk: 3, chair: 4 };

function rankOfficials(officials: Official[]): Official[] {
  return [...officials].sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || compareIds(a.id, b.id));
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
