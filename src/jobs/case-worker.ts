import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from '../shared/logger';
import type { Case, CaseStore } from '../store/ports/cases';
import type { Official, OfficialStore } from '../store/ports/officials';
import { citizenNoticeChoices, citizenNoticeText, noticeParams, officialNoticeText, statusWords, supervisorNoticeText } from '../civic/cases/notice-text';
import { isClosed } from '../civic/cases/deadline-plan';
import { CASE_QUEUE, type AssignmentJobData, type CaseJobData, type CaseScheduler, type NoticeJobData, type OverdueJobData } from './case-schedule';
import type { DeliveryResult, NoticeDelivery, OutgoingNotice } from './notice-delivery';
import { backoffWithJitter } from './queues';

/** What a case job did: `dropped` when the case closed or changed since it was planned. */
export type CaseJobOutcome = { dropped: string } | { delivered: DeliveryResult[] };

const CHAIRS_TTL_MS = 60_000;

/**
 * Runs the jobs of CASE_QUEUE. The case store is the source of truth: each job reloads its case and
 * is dropped when the case has closed, changed hands or changed due date since it was planned. An
 * escalation tells the assignee's supervisor and the chair(s), records it on the case and plans the
 * next one (a working day later) until the case closes.
 */
export function createCaseWorker(opts: {
  connection: ConnectionOptions;
  prefix: string;
  cases: CaseStore;
  officials: OfficialStore;
  scheduler: CaseScheduler;
  delivery: NoticeDelivery;
  log: Logger;
  now?: () => number;
  /** concurrent jobs in this process; default 16 */
  concurrency?: number;
  /** backoff base for transient failures; default 1 s */
  backoffBaseMs?: number;
}): Worker<CaseJobData, CaseJobOutcome> {
  const { connection, prefix, cases, officials, scheduler, delivery, log, now = Date.now, concurrency = 16, backoffBaseMs = 1000 } = opts;
  let chairs: { at: number; list: Official[] } | null = null;

  async function activeChairs(): Promise<Official[]> {
    if (!chairs || now() - chairs.at > CHAIRS_TTL_MS) chairs = { at: now(), list: (await officials.list()).filter((o) => o.role === 'chair' && o.active) };
    return chairs.list;
  }

  async function nameOf(id: string | undefined): Promise<string | undefined> {
    return id === undefined ? undefined : ((await officials.get(id))?.name ?? id);
  }

  function notice(job: Job<CaseJobData>, c: Case, kind: string, recipientKey: string, text: string, recipient: OutgoingNotice['recipient']): OutgoingNotice {
    return { id: `${job.id ?? 'job'}-${recipientKey}`, caseId: c.id, caseCode: c.code, kind, recipient, text, params: noticeParams(c, statusWords(c)) };
  }

  // Delivers to each official once, remembering who was done so a retry skips them.
  async function toOfficials(job: Job<OverdueJobData | NoticeJobData>, c: Case, targets: Official[], text: (o: Official) => string, kind: string): Promise<DeliveryResult[]> {
    const done = new Set(job.data.done ?? []);
    const results: DeliveryResult[] = [];
    for (const o of targets) {
      if (done.has(o.id)) continue;
      results.push(await delivery.deliverNotice(notice(job, c, kind, o.id, text(o), { officialId: o.id })));
      done.add(o.id);
      await job.updateData({ ...job.data, done: [...done] });
    }
    return results;
  }

  async function assignment(job: Job<CaseJobData>, d: AssignmentJobData, c: Case): Promise<CaseJobOutcome> {
    if (c.assigneeId !== d.assigneeId) return { dropped: 'reassigned' };
    if (c.dueAt !== d.dueAt) return { dropped: 'due_date_changed' };
    const name = (await nameOf(d.assigneeId)) ?? d.assigneeId;
    const res = await delivery.deliverNotice(notice(job, c, d.type, d.assigneeId, officialNoticeText(d.type, c, name), { officialId: d.assigneeId }));
    if (d.type !== 'assigned') await cases.update(c.id, {}, { at: now(), by: 'system', what: 'reminded', officialId: d.assigneeId, note: d.type });
    return { delivered: [res] };
  }

  async function overdue(job: Job<OverdueJobData>, c: Case): Promise<CaseJobOutcome> {
    const d = job.data;
    if (c.dueAt !== d.dueAt) return { dropped: 'due_date_changed' };
    const assignee = c.assigneeId ? await officials.get(c.assigneeId) : null;
    const supervisor = assignee?.supervisorId ? await officials.get(assignee.supervisorId) : null;
    const targets = dedupe([...(supervisor?.active ? [supervisor] : []), ...(await activeChairs())]);
    if (targets.length === 0) log.error({ case: c.code }, 'overdue case has no supervisor and the commune no active chair: nobody to escalate to');
    const assigneeName = assignee?.name;
    const results = await toOfficials(job, c, targets, (o) => supervisorNoticeText('overdue', c, o.name, { assigneeName, n: d.n }), 'overdue');
    const fresh = (await cases.update(c.id, {}, { at: now(), by: 'system', what: 'escalated', note: `${d.n}: ${targets.map((o) => o.id).join(', ')}` })) ?? c;
    await scheduler.planCase(fresh, { escalatedUpTo: d.n });
    return { delivered: results };
  }

  async function caseNotice(job: Job<NoticeJobData>, c: Case): Promise<CaseJobOutcome> {
    const d = job.data;
    if (d.to === 'citizen') {
      if (d.kind === 'needs_assignee') return { dropped: 'not_for_citizens' };
      const choices = citizenNoticeChoices(d.kind, c);
      const n = notice(job, c, d.kind, 'citizen', citizenNoticeText(d.kind, c), { channel: c.channel, userId: c.userId, ...(c.contact?.phone ? { phone: c.contact.phone } : {}) });
      const res = await delivery.deliverNotice({ ...n, ...(choices.length ? { choices } : {}) });
      return { delivered: [res] };
    }
    if (d.to === 'supervisor') {
      const targets = await activeChairs();
      return { delivered: await toOfficials(job, c, targets, (o) => supervisorNoticeText('needs_assignee', c, o.name), d.kind) };
    }
    const o = d.officialId ? await officials.get(d.officialId) : null;
    if (!o) return { dropped: 'unknown_official' };
    const kind = d.kind === 'assigned' ? 'assigned' : 'status_changed';
    if (kind === 'assigned' && c.assigneeId !== o.id) return { dropped: 'reassigned' };
    return { delivered: await toOfficials(job, c, [o], (x) => officialNoticeText(kind, c, x.name), d.kind) };
  }

  async function run(job: Job<CaseJobData>): Promise<CaseJobOutcome> {
    const d = job.data;
    const c = await cases.get(d.caseId);
    let outcome: CaseJobOutcome;
    if (!c) outcome = { dropped: 'no_such_case' };
    else if (d.type === 'notice') outcome = await caseNotice(job as Job<NoticeJobData>, c);
    else if (isClosed(c)) outcome = { dropped: 'closed' };
    else if (d.type === 'overdue') outcome = await overdue(job as Job<OverdueJobData>, c);
    else outcome = await assignment(job, d, c);
    if (d.type !== 'notice' && job.id) await scheduler.forget(d.caseId, job.id);
    if ('dropped' in outcome) log.info({ caseId: d.caseId, job: d.type, reason: outcome.dropped }, 'case job dropped');
    return outcome;
  }

  const worker = new Worker<CaseJobData, CaseJobOutcome>(CASE_QUEUE, run, {
    connection,
    prefix,
    concurrency,
    settings: { backoffStrategy: (attemptsMade: number) => backoffWithJitter(attemptsMade, { baseMs: backoffBaseMs }) },
  });
  worker.on('failed', (job, err) => log.warn({ err: { name: err.name, message: err.message }, queue: CASE_QUEUE, job: job?.data.type, caseId: job?.data.caseId }, 'case job failed'));
  worker.on('error', (err) => log.error({ err }, 'case worker error'));
  return worker;
}

function dedupe(list: Official[]): Official[] {
  const seen = new Set<string>();
  return list.filter((o) => !seen.has(o.id) && seen.add(o.id));
}
