import express, { type Response, type Router } from 'express';
import { z } from 'zod';
import type { ReminderPlanner } from '../../civic/appointments/book-appointment';
import type { ResultDateSettings } from '../../civic/appointments/desk-settings';
import { markResultReady, normalizeAppointmentCode, setResultDate, type ResultActor, type ResultDateNotifier, type ResultDateOutcome } from '../../civic/appointments/result-dates';
import type { Calendar } from '../../civic/calendar/calendar';
import { isoOfDay, localDayOf, parseIsoDay, startOfLocalDay } from '../../civic/calendar/vietnam-time';
import { isWorkingLocalDay, stepWorkingDay } from '../../civic/calendar/working-days';
import { findProcedure, type Catalogue } from '../../civic/procedures/catalogue';
import { AppError } from '../../shared/app-error';
import type { Appointment, AppointmentStore } from '../../store/ports/appointments';
import type { AuditLog } from '../../store/ports/audit';
import type { OfficialStore } from '../../store/ports/officials';
import { recordChange } from '../audit-trail';
import { parsed, wrap } from './http';
import { principalOf, type AdminAuth, type Principal } from './roles';

/** A reminder no platform rule let out (jobs/appointment-reminders.ts UndeliverableReminder). */
export interface UndeliverableReminderView {
  jobId: string;
  appointmentId: string;
  code: string;
  kind: string;
  channel: string;
  userId: string;
  reason: string;
  at: number;
  start: number;
}

export interface AppointmentsApiDeps {
  auth: AdminAuth;
  appointments: AppointmentStore;
  officials: OfficialStore;
  audit: AuditLog;
  calendar: Calendar;
  /** the procedure catalogue: the list names each appointment's procedure; unset = ids only */
  catalogue?: Catalogue;
  /** desk.yaml resultDates; default the built-in ones */
  resultSettings?: ResultDateSettings;
  /** re-plans an appointment's reminders after attendance is marked (none are left to send) */
  reminders?: ReminderPlanner;
  /** the reminders recorded as undeliverable, latest due first */
  undeliverable?: (limit?: number) => Promise<UndeliverableReminderView[]>;
  /** tells the citizen and plans the jobs after a result-date change */
  resultNotifier?: ResultDateNotifier;
  now?: () => number;
}

const SUPERVISOR_ROLES = new Set(['chair', 'vice_chair']);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be yyyy-mm-dd').refine((d) => parseIsoDay(d) !== undefined, 'is no calendar date');
const bodies = {
  attendance: z.strictObject({ outcome: z.enum(['attended', 'no_show']) }),
  resultDate: z.strictObject({ day, reason: z.string().trim().max(500).optional(), officialId: z.string().trim().min(1).max(200).optional() }),
  ready: z.strictObject({}),
};
const dayQuery = z.strictObject({ day: day.optional() });
const limitQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).optional() });


const resultView = (a: Appointment) => (a.result ? { day: a.result.day, status: a.result.status, officialId: a.result.officialId, moves: a.result.moves, readyAt: a.result.readyAt ?? null } : null);
const summary = (a: Appointment) => ({
  code: a.code,
  name: a.name,
  phone: a.phone ?? null,
  procedureId: a.procedureId ?? null,
  service: a.service ?? null,
  channel: a.channel,
  start: a.slot.start,
  end: a.slot.end,
  status: a.status,
  markedBy: a.markedBy ?? null,
  result: resultView(a),
});

/**
 * The desk's appointments in the console, for admins and officials (viewers are refused, as for
 * cases: names and phone numbers). Routes: GET /admin/api/appointments?day=yyyy-mm-dd (default
 * today in Vietnam), GET /admin/api/appointments/:code (with the result date's history),
 * POST …/:code/attendance {outcome: attended|no_show}, PUT …/:code/result-date {day, reason?,
 * officialId?} (records, or moves with an apology to the citizen), POST …/:code/result-ready, and
 * GET /admin/api/appointment-reminders/undeliverable (who will not be reminded, and why).
 * Every change is written to the audit log with the appointment before and after.
 */
export function createAppointmentsRouter(deps: AppointmentsApiDeps): Router {
  const { auth, appointments, officials, audit, now = Date.now } = deps;
  const router = express.Router();
  router.use(['/admin/api/appointments', '/admin/api/appointment-reminders'], auth.requireRole('admin', 'official'));
  router.use('/admin/api/appointments', express.json({ limit: '16kb' }));

  const byCode = async (typed: unknown): Promise<Appointment> => {
    const code = typeof typed === 'string' ? normalizeAppointmentCode(typed) : null;
    const a = code === null ? null : await appointments.findByCode(code);
    if (!a) throw new AppError('APPOINTMENT_NOT_FOUND', `no appointment with code ${String(typed)}`);
    return a;
  };
  const actorOf = async (p: Principal): Promise<ResultActor> => {
    if (p.role === 'admin') return { by: p.username, ...(p.officialId ? { officialId: p.officialId } : {}), supervisor: true };
    const o = p.officialId ? await officials.get(p.officialId) : null;
    if (!o || !o.active) throw new AppError('FORBIDDEN', 'this account is not linked to an active official');
    return { by: o.id, officialId: o.id, supervisor: SUPERVISOR_ROLES.has(o.role) };
  };
  const resultDeps = () => ({
    appointments,
    calendar: deps.calendar,
    ...(deps.resultSettings ? { settings: deps.resultSettings } : {}),
    ...(deps.resultNotifier ? { notifier: deps.resultNotifier } : {}),
    now,
  });
  const answered = async (res: Response, action: string, before: Appointment, outcome: ResultDateOutcome) => {
    if (!outcome.ok) throw new AppError(outcome.code, `${action} refused: ${outcome.code}`);
    const after = outcome.appointment;
    if (outcome.change) await recordChange(audit, { actor: principalOf(res).username, action, target: `appointment:${after.code}`, before: resultView(before), after: resultView(after), at: now() });
    res.json({ appointment: { ...summary(after), resultHistory: after.result?.history ?? [] }, changed: outcome.change !== null });
  };

  router.get(
    '/admin/api/appointments',
    wrap(async (req, res) => {
      const q = parsed(dayQuery, req.query);
      const which = q.day ?? isoOfDay(localDayOf(now()));
      const named = (a: Appointment) => {
        const p = deps.catalogue && a.procedureId ? findProcedure(deps.catalogue, a.procedureId) : undefined;
        return { ...summary(a), procedureName: p ? p.name : null };
      };
      // The desk's neighbouring days, holidays and weekends skipped, for the console's day buttons.
      const local = parseIsoDay(which)!;
      res.json({
        day: which,
        working: isWorkingLocalDay(deps.calendar, local),
        previousWorkingDay: isoOfDay(stepWorkingDay(deps.calendar, local, -1)),
        nextWorkingDay: isoOfDay(stepWorkingDay(deps.calendar, local, 1)),
        appointments: (await appointments.listByDay(which)).map(named),
      });
    }),
  );

  router.get(
    '/admin/api/appointments/:code',
    wrap(async (req, res) => {
      const a = await byCode(req.params.code);
      res.json({ appointment: { ...summary(a), resultHistory: a.result?.history ?? [] } });
    }),
  );

  router.post(
    '/admin/api/appointments/:code/attendance',
    wrap(async (req, res) => {
      const p = principalOf(res);
      const body = parsed(bodies.attendance, req.body);
      const before = await byCode(req.params.code);
      const by = p.role === 'admin' ? p.username : (await actorOf(p)).by;
      if (before.status === 'cancelled') throw new AppError('APPOINTMENT_CANCELLED', `appointment ${before.code} was cancelled`);
      // Someone can come early on the day; nobody is absent before their time.
      const from = body.outcome === 'attended' ? startOfLocalDay(localDayOf(before.slot.start)) : before.slot.start;
      if (now() < from) throw new AppError('TOO_EARLY_TO_MARK', `appointment ${before.code} has not begun`);
      const result = await appointments.markAttendance(before.id, body.outcome, by, now());
      if (!result.ok) throw new AppError(result.reason === 'not_found' ? 'APPOINTMENT_NOT_FOUND' : 'APPOINTMENT_CANCELLED', `attendance refused: ${result.reason}`);
      await deps.reminders?.plan(result.appointment);
      const view = (a: Appointment) => ({ status: a.status, markedBy: a.markedBy ?? null });
      await recordChange(audit, { actor: p.username, action: 'appointment.attendance', target: `appointment:${before.code}`, before: view(before), after: view(result.appointment), at: now() });
      res.json({ appointment: summary(result.appointment) });
    }),
  );

  router.put(
    '/admin/api/appointments/:code/result-date',
    wrap(async (req, res) => {
      const p = principalOf(res);
      const body = parsed(bodies.resultDate, req.body);
      const before = await byCode(req.params.code);
      const actor = await actorOf(p);
      let officialId = body.officialId ?? actor.officialId;
      if (body.officialId !== undefined) {
        const o = await officials.get(body.officialId);
        if (!o || !o.active) throw new AppError('UNKNOWN_OFFICIAL', `no active official "${body.officialId}"`);
        officialId = o.id;
      }
      if (!before.result && officialId === undefined) {
        throw new AppError('VALIDATION_FAILED', 'invalid request', { problems: [{ message: 'officialId: name the official answerable for the result' }] });
      }
      const outcome = await setResultDate(resultDeps(), { code: before.code, day: body.day, actor, ...(officialId ? { officialId } : {}), ...(body.reason ? { reason: body.reason } : {}) });
      await answered(res, 'appointment.result-date', before, outcome);
    }),
  );

  router.post(
    '/admin/api/appointments/:code/result-ready',
    wrap(async (req, res) => {
      parsed(bodies.ready, req.body);
      const before = await byCode(req.params.code);
      const outcome = await markResultReady(resultDeps(), { code: before.code, actor: await actorOf(principalOf(res)) });
      await answered(res, 'appointment.result-ready', before, outcome);
    }),
  );

  router.get(
    '/admin/api/appointment-reminders/undeliverable',
    wrap(async (req, res) => {
      const q = parsed(limitQuery, req.query);
      const list = deps.undeliverable ? await deps.undeliverable(q.limit) : [];
      const names = new Map<string, string>();
      for (const r of list) {
        if (!names.has(r.appointmentId)) names.set(r.appointmentId, (await appointments.get(r.appointmentId))?.name ?? '');
      }
      res.json({ reminders: list.map((r) => ({ ...r, name: names.get(r.appointmentId) || null })) });
    }),
  );
  return router;
}
