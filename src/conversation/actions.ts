/**
 * The actions a `call` step may ask for; the job workers carry them to civic/ and feed the result
 * back as an `action_result` event. flows:check flags any other name.
 *  - procedure.find {query}        -> {matches: [{id, name, score}], confident}
 *  - procedure.explain {id, locale} -> {id, name, summary}
 *  - procedure.list {locale}       -> {items: [{id, name}]}
 *  - the civic ones answer ok:false code SERVICE_NOT_OPEN until their features exist
 */
export const KNOWN_ACTIONS = [
  'procedure.find',
  'procedure.explain',
  'procedure.list',
  'case.create',
  'case.lookup',
  'appointment.book',
  'consent.record',
  'handoff.request',
  'rating.record',
] as const;
export type ActionName = (typeof KNOWN_ACTIONS)[number];

export function isKnownAction(name: string): name is ActionName {
  return (KNOWN_ACTIONS as readonly string[]).includes(name);
}
