import type { InboundContent } from '../channels/types';
import type { JsonObject } from '../shared/json';
import { normalizeText } from '../shared/text-fold';
import { MENU_PAYLOAD, OFFICIAL_PAYLOAD } from './commands';
import type { Turn } from './turn';
import { communeFactsOf, readEmergency, readOtherOffice, readProblem, readSmallTalk, withFacts } from './understanding';

const PETITION_PAYLOAD = 'MENU_PETITION';

function textOf(content: InboundContent): string | null {
  return content.type === 'text' && content.payload === undefined ? normalizeText(content.text) : null;
}

/**
 * Emergencies before anything else, in any state: one short message with the number, then an offer
 * to send a phản ánh or talk to an official. The flow in progress is kept (its question stays open).
 * True when the message was an emergency.
 */
export function onEmergency(turn: Turn, content: InboundContent): boolean {
  const u = turn.registry.understanding;
  const text = textOf(content);
  if (!u || text === null) return false;
  const hit = readEmergency(u, text);
  if (!hit) return false;
  const say = withFacts(hit.say[turn.s.locale], communeFactsOf(u, turn.registry.commune), turn.s.locale);
  turn.replies.push({ type: 'text', text: say });
  turn.say('engine.understand.emergency_offer', undefined, [
    { title: turn.systemText('engine.understand.choice.petition'), payload: PETITION_PAYLOAD },
    { title: turn.systemText('engine.choice.official'), payload: OFFICIAL_PAYLOAD },
  ]);
  return true;
}

/**
 * A message with no flow waiting: a problem told in passing is offered as a phản ánh, another
 * office's matter is named, small talk gets a short polite answer. True when answered.
 */
export function onUnderstood(turn: Turn, content: InboundContent): boolean {
  const u = turn.registry.understanding;
  const text = textOf(content);
  if (!u || text === null) return false;
  const problem = readProblem(u, text);
  if (problem) {
    // taken ("Gửi phản ánh", "ok"), the petition starts with the message as its content and the guesses to confirm
    const vars: JsonObject = { prefill_kind: 'phản ánh', prefill_content: text, category_guess: problem.category, category_guess_title: problem.title[turn.s.locale] };
    if (problem.village) vars.village_guess = problem.village;
    // "mình muốn báo việc trộm chó": asked to report, so the petition starts at once
    const petition = problem.report ? turn.registry.triggers().payloads.get(PETITION_PAYLOAD) : undefined;
    if (petition) {
      turn.start(petition, undefined, vars);
      return true;
    }
    turn.s.offer = { payload: PETITION_PAYLOAD, vars };
    turn.say('engine.understand.petition_offer', { category: problem.title[turn.s.locale], village: problem.village ?? '' }, [
      { title: turn.systemText('engine.understand.choice.petition'), payload: PETITION_PAYLOAD },
      { title: turn.systemText('engine.choice.menu'), payload: MENU_PAYLOAD },
    ]);
    return true;
  }
  const other = readOtherOffice(u, text) ?? readSmallTalk(u, text);
  if (other) {
    turn.replies.push({ type: 'text', text: withFacts(other.say[turn.s.locale], communeFactsOf(u, turn.registry.commune), turn.s.locale) });
    turn.menu();
    return true;
  }
  return false;
}

/** The short answer to small talk ("cảm ơn ad", "👍"), or undefined; nothing is started or shown besides. */
export function smallTalkReply(turn: Turn, content: InboundContent): string | undefined {
  const u = turn.registry.understanding;
  const text = textOf(content);
  if (!u || text === null) return undefined;
  return readSmallTalk(u, text)?.say[turn.s.locale];
}
