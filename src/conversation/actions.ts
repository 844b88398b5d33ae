/**
 * The actions a `call` step may ask for; the job workers carry them to civic/ and feed the result
 * back as an `action_result` event. flows:check flags any other name.
 *  - procedure.find {query}        -> {matches: [{id, name, score}], confident}
 *  - procedure.explain {id, locale} -> {id, name, summary}
 *  - procedure.list {locale}       -> {items: [{id, name}]}
 *  - appointment.days {procedure_id} -> {items: [{id: yyyy-mm-dd, title}]}; appointment.slots {date} -> {items: [{id: slot key, title}]}
 *  - appointment.book {slot, name, phone, procedure_id|service} -> {id, code, when, confirmation}; appointment.mine -> {items: [{id, code, title}]}
 *  - appointment.cancel {id} -> {code, when}; appointment.reschedule {id, slot} -> {id, code, when, confirmation}
 *  - office.facts {question: today|hours|address|phones|reception, locale} -> {text}: from the commune's data
 *  - the civic ones answer ok:false code SERVICE_NOT_OPEN until their features exist
 */
export const KNOWN_ACTIONS = [
  'procedure.find',
  'procedure.explain',
  'procedure.list',
  'case.create',
  'case.lookup',
  'appointment.book',
  'appointment.days',
  'appointment.slots',
  'appointment.mine',
  'appointment.cancel',
  'appointment.reschedule',
  'consent.record',
  'handoff.request',
  'rating.record',
  'office.facts',
] as const;
export type ActionName = (typeof KNOWN_ACTIONS)[number];

export function isKnownAction(name: string): name is ActionName {
  return (KNOWN_ACTIONS as readonly string[]).includes(name);
}
