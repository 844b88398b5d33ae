/**
 * Officials act on cases from the chat: link the account with a one-time code (LIENKET), then list
 * their open cases, accept, note, answer, transfer, or read one in full — by typing the command or
 * tapping a button. Pure of transport: the caller passes the message in and sends the replies; a
 * message that is not an official's command resolves to null and goes to the flows as usual, so an
 * official can still use the bot as a citizen.
 */
import {
  acceptCase,
  addNote,
  assignCase,
  isCaseRuleError,
  OPEN_CASE_STATUSES,
  resolveCase,
  transferCase,
  type CaseActor,
  type CaseOutcome,
} from '../cases';
import { foldText } from '../../shared/text-fold';
import { CHAT_CHANNELS, type ChatChannel, type Official, type OfficialStore } from '../../store/ports/officials';
import type { Case, CaseStore } from '../../store/ports/cases';
import { OFFICIAL_PAYLOAD_PREFIX, OFFICIAL_PAYLOADS, parseOfficialCommand, parseOfficialPayload, type OfficialCommand, type TypedCode } from './chat-command-parse';
import { caseDetailText, caseLineText, commandList, listHeadText, MIN_ANSWER_LENGTH, refusalText, TEXT, welcomeText } from './chat-command-text';
import { linkAccount, parseLinkCommand } from './link-account';
import { parseResultCommand, runResultCommand } from '../appointments/result-date-commands';
import { resultCommandList } from '../appointments/result-date-text';
import type { ResultDateDeps } from '../appointments/result-dates';

export { OFFICIAL_PAYLOADS, OFFICIAL_PAYLOAD_PREFIX } from './chat-command-parse';

export interface OfficialChatDeps {
  officials: OfficialStore;
  cases: CaseStore;
  /** ms since the epoch */
  now(): number;
  /**
   * Called with every case change a command made, after it is stored: the job layer tells the
   * citizen and the officials concerned and plans the case's deadline jobs again. A rejection
   * propagates (the case change stays stored).
   */
  onCaseChange?(outcome: CaseOutcome): Promise<void>;
  /** result dates of desk appointments (HENTRA, DOIHEN, DUNGHEN, SANSANG); unset: those words go to the flows */
  resultDates?: ResultDateDeps;
  /** more commands handled before these (hand-offs), listed by HUONGDAN after the case commands */
  moreHelp?: string;
}

/** The message as it arrived: text typed, or a button's payload (with the button's title as text). */
export interface OfficialChatMessage {
  channel: string;
  userId: string;
  text?: string;
  payload?: string;
}

/**
 * A reply. Structurally the 'text' and 'buttons' variants of channels' OutboundMessage (civic may
 * not import channels), so the replies can be sent as they are.
 */
export type OfficialReply =
  | { type: 'text'; text: string }
  | { type: 'buttons'; text: string; buttons: Array<{ type: 'postback'; title: string; payload: string }> };

/** cases shown one per message (with their buttons) after HOSO; the rest are counted */
const LISTED_CASES = 5;

/**
 * The replies to an official's command or a LIENKET message; null when the message is neither (a
 * payload that is not OFFICIAL_…, ordinary words, TRACUU from an unlinked account — the citizen's
 * own lookup). A case-changing command from an unlinked account is told to link first.
 * Store failures reject; case rule refusals become replies.
 */
export async function handleOfficialMessage(deps: OfficialChatDeps, msg: OfficialChatMessage): Promise<{ replies: OfficialReply[] } | null> {
  const resultDate = await resultDateMessage(deps, msg);
  if (resultDate !== undefined) return resultDate;
  const command = readCommand(msg);
  if (command === null) return null;
  if (command === 'link') return { replies: await link(deps, msg) };

  const channel = chatChannel(msg.channel);
  const official = channel ? await deps.officials.findByAccount(channel, msg.userId) : null;
  if (!official) {
    // Words a citizen could send (HOSO, TRACUU <their code>) stay with the flows.
    return command.kind === 'list' || command.kind === 'view' || command.kind === 'help' ? null : reply(TEXT.notLinked);
  }
  if (!official.active) return reply(TEXT.inactive);
  const replies = await run(deps, official, command, msg);
  return replies === null ? null : { replies };
}

function readCommand(msg: OfficialChatMessage): OfficialCommand | 'link' | null {
  if (msg.payload !== undefined && msg.payload !== '') {
    // A tap on another module's button belongs to the flows, whatever its title says.
    return msg.payload.startsWith(OFFICIAL_PAYLOAD_PREFIX) ? parseOfficialPayload(msg.payload) : null;
  }
  const text = msg.text ?? '';
  if (text.trim() === '') return null;
  if (parseLinkCommand(text) !== null) return 'link';
  return parseOfficialCommand(text);
}

function chatChannel(channel: string): ChatChannel | null {
  return (CHAT_CHANNELS as readonly string[]).includes(channel) ? (channel as ChatChannel) : null;
}

const reply = (text: string): { replies: OfficialReply[] } => ({ replies: [{ type: 'text', text }] });

async function link(deps: OfficialChatDeps, msg: OfficialChatMessage): Promise<OfficialReply[]> {
  const channel = chatChannel(msg.channel);
  if (!channel) return [{ type: 'text', text: TEXT.linkChannel }];
  const result = await linkAccount(deps, msg.text ?? '', { channel, userId: msg.userId });
  if (!result?.ok) return [{ type: 'text', text: TEXT.linkFailed }];
  return [{ type: 'buttons', text: welcomeText(result.official), buttons: [{ type: 'postback', title: 'Hồ sơ của tôi', payload: OFFICIAL_PAYLOADS.list }] }];
}

async function run(deps: OfficialChatDeps, official: Official, command: OfficialCommand, msg: OfficialChatMessage): Promise<OfficialReply[] | null> {
  switch (command.kind) {
    case 'help':
      return [{ type: 'text', text: [commandList(), ...(deps.resultDates ? [resultCommandList()] : []), ...(deps.moreHelp ? [deps.moreHelp] : [])].join('\n') }];
    case 'list':
      return listCases(deps, official);
    case 'view':
      return viewCase(deps, official, command.code, msg);
    default:
      return changeCase(deps, official, command);
  }
}

async function listCases(deps: OfficialChatDeps, official: Official): Promise<OfficialReply[]> {
  const open: Case[] = [];
  let after: string | undefined;
  do {
    const page = await deps.cases.list({ assigneeId: official.id, status: [...OPEN_CASE_STATUSES], limit: 500, ...(after ? { after } : {}) });
    open.push(...page.cases);
    after = page.next;
  } while (after);
  if (open.length === 0) return [{ type: 'text', text: TEXT.noOpenCases }];
  const shown = [...open].sort((a, b) => a.dueAt - b.dueAt).slice(0, LISTED_CASES);
  const now = deps.now();
  return [
    { type: 'text', text: listHeadText(open.length, shown.length) },
    ...shown.map((c): OfficialReply => ({ type: 'buttons', text: caseLineText(c, now), buttons: caseButtons(c, official) })),
  ];
}

/** "Nhận" while the case waits for this official to accept it; "Xem" always. At most 3 a message. */
function caseButtons(c: Case, official: Official): Array<{ type: 'postback'; title: string; payload: string }> {
  const waiting = (c.status === 'assigned' || c.status === 'transferred') && c.assigneeId === official.id;
  return [
    ...(waiting ? [{ type: 'postback' as const, title: 'Nhận', payload: OFFICIAL_PAYLOADS.accept(c.code) }] : []),
    { type: 'postback', title: 'Xem', payload: OFFICIAL_PAYLOADS.view(c.code) },
  ];
}

function isSupervisor(o: Official): boolean {
  return o.role === 'chair' || o.role === 'vice_chair';
}

function actorOf(o: Official): CaseActor {
  return { kind: 'official', officialId: o.id, ...(isSupervisor(o) ? { supervisor: true } : {}) };
}

async function viewCase(deps: OfficialChatDeps, official: Official, typed: TypedCode, msg: OfficialChatMessage): Promise<OfficialReply[] | null> {
  if (typed.code === null) return [{ type: 'text', text: TEXT.wrongCode(typed.typed) }];
  const c = await deps.cases.findByCode(typed.code);
  if (!c) return [{ type: 'text', text: refusalText('CASE_NOT_FOUND', typed.code, null) }];
  const mayView = isSupervisor(official) || c.assigneeId === official.id || c.backupId === official.id;
  if (!mayView) {
    // Their own petition, filed as a citizen: the citizen's lookup answers it.
    if (c.channel === msg.channel && c.userId === msg.userId) return null;
    return [{ type: 'text', text: refusalText('CASE_NOT_YOURS', c.code, c) }];
  }
  const names = new Map((await deps.officials.list()).map((o) => [o.id, o.name]));
  const text = caseDetailText(c, names, deps.now());
  const accept = caseButtons(c, official).filter((b) => b.payload === OFFICIAL_PAYLOADS.accept(c.code));
  return accept.length > 0 ? [{ type: 'buttons', text, buttons: accept }] : [{ type: 'text', text }];
}

type ChangeCommand = Extract<OfficialCommand, { kind: 'accept' | 'note' | 'resolve' | 'transfer' }>;

async function changeCase(deps: OfficialChatDeps, official: Official, command: ChangeCommand): Promise<OfficialReply[]> {
  const typed = command.code;
  if (typed.code === null) return [{ type: 'text', text: TEXT.wrongCode(typed.typed) }];
  const code = typed.code;
  const missing = missingText(command, code);
  if (missing) return [{ type: 'text', text: missing }];
  const c = await deps.cases.findByCode(code);
  if (!c) return [{ type: 'text', text: refusalText('CASE_NOT_FOUND', code, null) }];

  const by = actorOf(official);
  const caseDeps = { cases: deps.cases, now: deps.now };
  let step: { act: () => Promise<CaseOutcome>; done: (c: Case) => string };
  switch (command.kind) {
    case 'accept':
      step = { act: () => acceptCase(caseDeps, { caseId: c.id, by }), done: TEXT.accepted };
      break;
    case 'note':
      step = { act: () => addNote(caseDeps, { caseId: c.id, by, note: command.text }), done: TEXT.noted };
      break;
    case 'resolve':
      step = { act: () => resolveCase(caseDeps, { caseId: c.id, by, answer: command.text }), done: TEXT.resolved };
      break;
    case 'transfer': {
      const found = await findOfficial(deps.officials, command.target);
      if (found.length !== 1) return [{ type: 'text', text: found.length === 0 ? TEXT.noSuchOfficial(command.target) : TEXT.manyOfficials(command.target, found) }];
      const to = found[0];
      // A case nobody holds yet is assigned (a supervisor's decision), not transferred.
      const act = () => (c.status === 'received' ? assignCase(caseDeps, { caseId: c.id, assigneeId: to.id, by }) : transferCase(caseDeps, { caseId: c.id, toOfficialId: to.id, by }));
      step = { act, done: (after) => TEXT.transferred(after, to) };
      break;
    }
  }
  let outcome: CaseOutcome;
  try {
    outcome = await step.act();
  } catch (e) {
    if (!isCaseRuleError(e)) throw e;
    return [{ type: 'text', text: refusalText(e.code, code, await deps.cases.findByCode(code)) }];
  }
  await deps.onCaseChange?.(outcome);
  return [{ type: 'text', text: step.done(outcome.case) }];
}

function missingText(command: ChangeCommand, code: string): string | null {
  if (command.kind === 'resolve' && command.text.length < MIN_ANSWER_LENGTH) return TEXT.missingAnswer(code);
  if (command.kind === 'note' && command.text === '') return TEXT.missingNote(code);
  if (command.kind === 'transfer' && command.target === '') return TEXT.missingTarget(code);
  return null;
}

/**
 * The active officials `typed` names: by id (any case), else by the whole folded name, else by the
 * words of the name it contains ("Hoàng Thị E", "hoang thi e"). Several means ambiguous.
 */
async function findOfficial(store: OfficialStore, typed: string): Promise<Official[]> {
  const active = (await store.list()).filter((o) => o.active);
  const key = foldText(typed);
  if (key === '') return [];
  const byId = active.filter((o) => foldText(o.id) === key);
  if (byId.length > 0) return byId;
  const byName = active.filter((o) => foldText(o.name) === key);
  if (byName.length > 0) return byName;
  return active.filter((o) => ` ${foldText(o.name)} `.includes(` ${key} `));
}

// ---- Result dates (hẹn trả kết quả): HENTRA, DOIHEN, DUNGHEN, SANSANG -------------------------
// Kept apart from the case commands above; the words and rules live in civic/appointments.

/**
 * The reply to a result-date command from a linked official; undefined when the message is not one,
 * or comes from an account no official linked (a citizen's "đổi hẹn LH-…" stays with the flows).
 */
async function resultDateMessage(deps: OfficialChatDeps, msg: OfficialChatMessage): Promise<{ replies: OfficialReply[] } | undefined> {
  if (!deps.resultDates || (msg.payload ?? '') !== '' || !msg.text) return undefined;
  const command = parseResultCommand(msg.text);
  const channel = chatChannel(msg.channel);
  if (!command || !channel) return undefined;
  const official = await deps.officials.findByAccount(channel, msg.userId);
  if (!official) return undefined;
  if (!official.active) return reply(TEXT.inactive);
  return reply(await runResultCommand(deps.resultDates, official, command));
}
