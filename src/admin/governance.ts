/**
 * The governance figures a commune reports upward, for one period of Vietnam days: petitions by
 * category × village, the share answered on time by category, village and official, open cases
 * overdue by how long, petitions filed and satisfaction per month, the procedures citizens asked
 * about most in the chat and those most booked at the desk, and appointments kept vs no-shows. One module computes them all: the console's charts
 * and their CSV exports read only this. `computeGovernance` is pure (fixed fixtures test it);
 * `loadGovernance` reads the stores for it.
 */
import { vietnamDayOf } from '../store/ports/conversations';
import { CLOSED_CASE_STATUSES, type Case } from '../store/ports/cases';
import type { Appointment, AppointmentStore } from '../store/ports/appointments';
import type { Official, OfficialStore } from '../store/ports/officials';

/** Vietnam days, both ends included: yyyy-mm-dd. */
export interface GovernancePeriod {
  from: string;
  to: string;
}

/** How long an open case is past its due date, in calendar days. */
export const OVERDUE_AGES = [
  { id: '1-3', min: 1, max: 3 },
  { id: '4-7', min: 4, max: 7 },
  { id: '8-15', min: 8, max: 15 },
  { id: '16-30', min: 16, max: 30 },
  { id: '31+', min: 31, max: Infinity },
] as const;

export interface OnTimeRow {
  key: string;
  /** the official's name; the id itself for a category or village (the console words them) */
  name: string;
  /** an official's roster role (chair, village_head…), for "name — role"; absent for a category or village */
  role?: string;
  /** cases answered in the period: resolved or rejected */
  closed: number;
  /** of those, answered by their due date */
  onTime: number;
  /** onTime / closed, 0..1 */
  share: number;
}

/** A procedure of a ranking: its name in Vietnamese and English (the id when the catalogue no longer has it). */
export interface ProcedureRow {
  id: string;
  name: string;
  nameEn: string;
  count: number;
}

/** How often the chat explained each procedure in a period: counted per Vietnam day where it happens. */
export type AskedProcedures = (days: readonly string[]) => Promise<ReadonlyMap<string, number>>;

export interface GovernanceReport {
  period: GovernancePeriod;
  /** when "overdue now" was judged: the end of the period, or now if that is earlier */
  asOf: number;
  /** cases filed in the period, by category × village; cells [category index, village index, count], zeros left out */
  heatmap: { categories: string[]; villages: string[]; cells: [number, number, number][] };
  onTime: { byCategory: OnTimeRow[]; byVillage: OnTimeRow[]; byOfficial: OnTimeRow[] };
  overdueByAge: { age: string; count: number }[];
  /** per month of the period (yyyy-mm): cases filed and closed, ratings given and their average (1–5) */
  months: { month: string; filed: number; closed: number; rejected: number; ratings: number; satisfaction: number | null }[];
  /** the procedures most booked at the desk in the period, most first (ten at most) */
  procedures: ProcedureRow[];
  /** the procedures the chat explained most in the period, most first (ten at most): what citizens ask about */
  asked: ProcedureRow[];
  /** the desk's appointments of the period per month: kept, no-show, cancelled, not marked (past, still booked) */
  appointments: { month: string; attended: number; noShow: number; cancelled: number; unmarked: number }[];
}

const DAY_MS = 86_400_000;
const dayOf = vietnamDayOf;
const inPeriod = (p: GovernancePeriod, at: number) => {
  const d = dayOf(at);
  return d >= p.from && d <= p.to;
};

/** The months of the period, oldest first: "2026-01", "2026-02", … */
export function monthsOf(p: GovernancePeriod): string[] {
  const out: string[] = [];
  let [y, m] = p.from.slice(0, 7).split('-').map(Number);
  const last = p.to.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    out.push(month);
    if (month >= last) return out;
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
}

/** Every Vietnam day of the period, oldest first. */
export function daysOf(p: GovernancePeriod): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${p.from}T00:00:00Z`); ; t += DAY_MS) {
    const d = new Date(t).toISOString().slice(0, 10);
    if (d > p.to) return out;
    out.push(d);
  }
}

/** Midnight at the end of a Vietnam day (UTC+7), in ms. */
const endOfDay = (day: string) => Date.parse(`${day}T00:00:00+07:00`) + DAY_MS;

function onTimeRows(closed: Case[], keyOf: (c: Case) => string | undefined, nameOf: (key: string) => string, roleOf: (key: string) => string | undefined = () => undefined): OnTimeRow[] {
  const by = new Map<string, { closed: number; onTime: number }>();
  for (const c of closed) {
    const key = keyOf(c);
    if (key === undefined) continue;
    const row = by.get(key) ?? { closed: 0, onTime: 0 };
    row.closed += 1;
    if (c.resolution && c.resolution.at <= c.dueAt) row.onTime += 1;
    by.set(key, row);
  }
  return [...by.entries()]
    .map(([key, r]) => {
      const role = roleOf(key);
      return { key, name: nameOf(key), ...(role ? { role } : {}), closed: r.closed, onTime: r.onTime, share: r.onTime / r.closed };
    })
    .sort((a, b) => a.share - b.share || b.closed - a.closed || a.key.localeCompare(b.key));
}

export interface GovernanceInput {
  period: GovernancePeriod;
  /** every case that may count: filed, closed or open in the period */
  cases: readonly Case[];
  /** the desk's appointments whose slot falls in the period */
  appointments: readonly Appointment[];
  officials: readonly Official[];
  /** a procedure's name by id in a language (the catalogue in use); unknown = the id */
  procedureName?: (id: string, lng: 'vi' | 'en') => string | undefined;
  /** how often the chat explained each procedure in the period, by procedure id */
  asked?: ReadonlyMap<string, number>;
  now: number;
}

/** The ten most counted, most first (ties by id), with their names. */
function ranking(counts: ReadonlyMap<string, number>, procedureName: NonNullable<GovernanceInput['procedureName']>): ProcedureRow[] {
  return [...counts.entries()]
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 10)
    .map(([id, count]) => {
      const name = procedureName(id, 'vi') ?? id;
      return { id, name, nameEn: procedureName(id, 'en') ?? name, count };
    });
}

/** The report of the period, from the records given. Pure: the same input gives the same figures. */
export function computeGovernance(input: GovernanceInput): GovernanceReport {
  const { period, cases, appointments, officials, procedureName = () => undefined, asked = new Map<string, number>(), now } = input;
  const asOf = Math.min(now, endOfDay(period.to));
  const filed = cases.filter((c) => inPeriod(period, c.createdAt));
  const closed = cases.filter((c) => CLOSED_CASE_STATUSES.includes(c.status) && c.resolution && inPeriod(period, c.resolution.at));

  const categories = [...new Set(filed.map((c) => c.category))].sort();
  const villages = [...new Set(filed.map((c) => c.village))].sort((a, b) => a.localeCompare(b, 'vi', { numeric: true }));
  const counts = new Map<string, number>();
  for (const c of filed) counts.set(`${categories.indexOf(c.category)} ${villages.indexOf(c.village)}`, (counts.get(`${categories.indexOf(c.category)} ${villages.indexOf(c.village)}`) ?? 0) + 1);
  const cells = [...counts.entries()].map(([k, n]) => [...k.split(' ').map(Number), n] as [number, number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);

  const names = new Map(officials.map((o) => [o.id, o.name]));
  const roles = new Map(officials.map((o) => [o.id, o.role as string]));
  const onTime = {
    byCategory: onTimeRows(closed, (c) => c.category, (k) => k),
    byVillage: onTimeRows(closed, (c) => c.village, (k) => k),
    // The official who held the case when it closed; the one who answered if nobody held it.
    byOfficial: onTimeRows(closed, (c) => c.assigneeId ?? c.resolution?.by, (k) => names.get(k) ?? k, (k) => roles.get(k)),
  };

  const ages = new Map<string, number>(OVERDUE_AGES.map((a) => [a.id, 0]));
  for (const c of cases) {
    if (c.createdAt >= asOf || c.dueAt >= asOf) continue;
    // Open at `asOf`: not closed, or closed only after it.
    const closedAt = CLOSED_CASE_STATUSES.includes(c.status) ? (c.resolution?.at ?? c.updatedAt) : Infinity;
    if (closedAt <= asOf) continue;
    const late = Math.max(1, Math.ceil((asOf - c.dueAt) / DAY_MS));
    const age = OVERDUE_AGES.find((a) => late >= a.min && late <= a.max)!;
    ages.set(age.id, (ages.get(age.id) ?? 0) + 1);
  }

  const months = monthsOf(period).map((month) => {
    const rated = cases.flatMap((c) => (c.rating && inPeriod(period, c.rating.at) && dayOf(c.rating.at).startsWith(month) ? [c.rating.score] : []));
    const closedIn = closed.filter((c) => dayOf(c.resolution!.at).startsWith(month));
    return {
      month,
      filed: filed.filter((c) => dayOf(c.createdAt).startsWith(month)).length,
      closed: closedIn.length,
      rejected: closedIn.filter((c) => c.status === 'rejected').length,
      ratings: rated.length,
      satisfaction: rated.length ? Math.round((rated.reduce((a, b) => a + b, 0) / rated.length) * 100) / 100 : null,
    };
  });

  const inSlots = appointments.filter((a) => a.slot.day >= period.from && a.slot.day <= period.to);
  const booked = new Map<string, number>();
  for (const a of inSlots) if (a.procedureId && a.status !== 'cancelled') booked.set(a.procedureId, (booked.get(a.procedureId) ?? 0) + 1);
  const procedures = ranking(booked, procedureName);

  const appointmentMonths = monthsOf(period).map((month) => {
    const of = inSlots.filter((a) => a.slot.day.startsWith(month));
    return {
      month,
      attended: of.filter((a) => a.status === 'attended').length,
      noShow: of.filter((a) => a.status === 'no_show').length,
      cancelled: of.filter((a) => a.status === 'cancelled').length,
      unmarked: of.filter((a) => a.status === 'booked' && a.slot.end <= now).length,
    };
  });

  return {
    period,
    asOf,
    heatmap: { categories, villages, cells },
    onTime,
    overdueByAge: OVERDUE_AGES.map((a) => ({ age: a.id, count: ages.get(a.id) ?? 0 })),
    months,
    procedures,
    asked: ranking(asked, procedureName),
    appointments: appointmentMonths,
  };
}

export interface GovernanceSources {
  /** every case: the report filters by period itself */
  allCases: () => Promise<Case[]>;
  appointments?: Pick<AppointmentStore, 'listByDay'>;
  officials: Pick<OfficialStore, 'list'>;
  procedureName?: (id: string, lng: 'vi' | 'en') => string | undefined;
  /** the chat's explanations per procedure; unset = none counted */
  askedProcedures?: AskedProcedures;
  now?: () => number;
}

/** Reads the stores and computes the report of `period`. */
export async function loadGovernance(sources: GovernanceSources, period: GovernancePeriod): Promise<GovernanceReport> {
  const { now = Date.now } = sources;
  const [cases, officials, appointments, asked] = await Promise.all([
    sources.allCases(),
    sources.officials.list(),
    sources.appointments ? Promise.all(daysOf(period).map((d) => sources.appointments!.listByDay(d))).then((days) => days.flat()) : Promise.resolve([]),
    sources.askedProcedures ? sources.askedProcedures(daysOf(period)) : Promise.resolve(new Map<string, number>()),
  ]);
  return computeGovernance({ period, cases, appointments, officials, asked, now: now(), ...(sources.procedureName ? { procedureName: sources.procedureName } : {}) });
}
