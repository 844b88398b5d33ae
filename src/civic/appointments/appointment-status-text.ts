/**
 * What the citizen who booked an appointment reads when they look its code up: where it stands,
 * when and where, what to bring while it is still ahead, and the result date once an official
 * recorded one. The place comes from the desk data, never made up.
 */
import type { Appointment } from '../../store/ports/appointments';
import { findProcedure, pick, type Catalogue } from '../procedures/catalogue';
import type { Locale } from '../../shared/locale';
import { words } from '../words';
import { formatSlot, placeOf, whatToBring } from './appointment-text';
import type { DeskSettings } from './desk-settings';
import { formatResultDay } from './result-date-text';

/** The booking flow's service values that have words (locales/<lng>/citizen.json appointment_status.service); a bare value is a code, not words for the citizen. */
const SERVICES: ReadonlySet<string> = new Set(['civil_status', 'certification', 'land', 'social_policy', 'citizen_reception']);

const say = (key: string, locale: Locale, vars?: Record<string, unknown>) => words(`citizen.appointment_status.${key}`, locale, vars);

function whatFor(a: Appointment, catalogue: Catalogue, locale: Locale): string | undefined {
  const procedure = a.procedureId && Array.isArray(catalogue.procedures) ? findProcedure(catalogue, a.procedureId) : undefined;
  if (procedure) return pick(procedure.name, locale);
  return a.service && SERVICES.has(a.service) ? say(`service.${a.service}`, locale) : undefined;
}

/** The ready-to-show status of `a` for the person who booked it, at time `now`. */
export function appointmentStatusText(a: Appointment, catalogue: Catalogue, desk: DeskSettings, locale: Locale, now: number): string {
  const w = (key: string, vars?: Record<string, unknown>) => say(key, locale, vars);
  const what = whatFor(a, catalogue, locale);
  const place = placeOf(catalogue, desk, a, locale);
  const lines = [what ? w('heading_for', { code: a.code, what }) : w('heading', { code: a.code }), w('status', { status: w(`state.${a.status}`) }), w('when', { slot: formatSlot(a) })];
  if (a.status === 'cancelled') return lines.join('\n');
  lines.push(w('where', { place }));
  const ahead = a.status === 'booked' && a.slot.end > now;
  if (ahead) lines.push(w('bring'), ...whatToBring(catalogue, a, locale).map((item) => w('bring_item', { item })));
  if (a.result?.status === 'ready') lines.push(w('ready', { place }));
  else if (a.result) lines.push(w('result', { day: formatResultDay(a.result.day) }));
  if (ahead) lines.push(w('change'));
  return lines.join('\n');
}
