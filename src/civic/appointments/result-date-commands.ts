/**
 * The officials' chat commands for result dates: HENTRA <mã lịch hẹn> <dd/mm> records the day,
 * DOIHEN <mã> <dd/mm> [lý do] moves it, DUNGHEN <mã> confirms it, SANSANG <mã> marks it ready —
 * typed with or without diacritics or spaces ("hẹn trả", "đổi hẹn", "sẵn sàng"), any case. A
 * command word not followed by an LH code is left to the flows ("hẹn trả kết quả khi nào?").
 */
import { foldText } from '../../shared/text-fold';
import type { Official } from '../../store/ports/officials';
import {
  confirmResultDate,
  markResultReady,
  moveResultDate,
  normalizeAppointmentCode,
  recordResultDate,
  resolveDayMonth,
  type ResultActor,
  type ResultDateDeps,
  type ResultDateOutcome,
} from './result-dates';
import { RESULT_TEXT, resultRefusalText } from './result-date-text';

export type ResultCommandKind = 'set' | 'move' | 'confirm' | 'ready';

export interface ResultCommand {
  kind: ResultCommandKind;
  /** the code as typed, and its stored form (null: not a valid appointment code) */
  code: { typed: string; code: string | null };
  /** set and move: the day as typed ("12/03"); '' when missing */
  day: string;
  /** move: the reason, '' when none */
  reason: string;
}

const KEYWORDS: Array<{ words: string[]; kind: ResultCommandKind; word: string }> = [
  { words: ['hentra'], kind: 'set', word: 'HENTRA' },
  { words: ['hen', 'tra'], kind: 'set', word: 'HENTRA' },
  { words: ['doihen'], kind: 'move', word: 'DOIHEN' },
  { words: ['doi', 'hen'], kind: 'move', word: 'DOIHEN' },
  { words: ['dunghen'], kind: 'confirm', word: 'DUNGHEN' },
  { words: ['dung', 'hen'], kind: 'confirm', word: 'DUNGHEN' },
  { words: ['sansang'], kind: 'ready', word: 'SANSANG' },
  { words: ['san', 'sang'], kind: 'ready', word: 'SANSANG' },
];

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;

/** The command word an official types for `kind`. */
export function commandWord(kind: ResultCommandKind): string {
  return KEYWORDS.find((k) => k.kind === kind)?.word ?? '';
}

/** The result-date command in `input`, or null when it is none (the other commands or the flows answer it). */
export function parseResultCommand(input: string): ResultCommand | null {
  const text = input.normalize('NFC').replace(ZERO_WIDTH, '').trim();
  const words = text.split(/\s+/);
  const keyword = KEYWORDS.find((k) => k.words.every((w, i) => words[i] !== undefined && foldText(words[i]).replace(/[^a-z]/g, '') === w));
  if (!keyword) return null;
  // The code: "LH-0309-4K7P", or split by spaces "LH 0309 4K7P": take words while they join into one.
  let i = keyword.words.length;
  const first = words[i];
  if (first === undefined || !/^lh/i.test(first.replace(/[^A-Za-z0-9]/g, ''))) return null;
  let used = 1;
  for (let n = 1; n <= 3 && words[i + n - 1] !== undefined; n++) {
    if (normalizeAppointmentCode(words.slice(i, i + n).join('')) !== null) {
      used = n;
      break;
    }
  }
  const start = i;
  i += used;
  const code = { typed: words.slice(start, i).join(' '), code: normalizeAppointmentCode(words.slice(start, i).join('')) };
  const rest = words.slice(i);
  if (keyword.kind === 'set' || keyword.kind === 'move') {
    const [day = '', ...reason] = rest;
    return { kind: keyword.kind, code, day: day.replace(/[:,;]+$/, ''), reason: reason.join(' ').replace(/^[:,.\-–]\s*/, '') };
  }
  // "SANSANG LH-0309-4K7P nhé" is still the command; a sentence after it is chat.
  return rest.length <= 2 ? { kind: keyword.kind, code, day: '', reason: '' } : null;
}

function actorOf(o: Official): ResultActor {
  return { by: o.id, officialId: o.id, supervisor: o.role === 'chair' || o.role === 'vice_chair' };
}

/** Runs a parsed command for a linked, active official and says what happened. */
export async function runResultCommand(deps: ResultDateDeps, official: Official, command: ResultCommand): Promise<string> {
  const { typed, code } = command.code;
  if (code === null) return RESULT_TEXT.wrongCode(typed);
  const actor = actorOf(official);
  let day: string | null = null;
  if (command.kind === 'set' || command.kind === 'move') {
    const word = commandWord(command.kind);
    if (command.day === '') return RESULT_TEXT.missingDay(word, code);
    day = resolveDayMonth(command.day, deps.now());
    if (day === null) return RESULT_TEXT.wrongDay(command.day, word, code);
  }
  let outcome: ResultDateOutcome;
  switch (command.kind) {
    case 'set':
      outcome = await recordResultDate(deps, { code, day: day ?? '', actor });
      break;
    case 'move':
      outcome = await moveResultDate(deps, { code, day: day ?? '', actor, ...(command.reason ? { reason: command.reason } : {}) });
      break;
    case 'confirm':
      outcome = await confirmResultDate(deps, { code, actor });
      break;
    case 'ready':
      outcome = await markResultReady(deps, { code, actor });
      break;
  }
  if (!outcome.ok) return resultRefusalText(outcome.code, code, outcome.appointment, command.day);
  const a = outcome.appointment;
  const promised = a.result?.day ?? '';
  if (outcome.change === null) return command.kind === 'ready' ? RESULT_TEXT.ready(a) : RESULT_TEXT.unchanged(a, promised);
  switch (command.kind) {
    case 'set':
      return RESULT_TEXT.recorded(a, promised);
    case 'move':
      return RESULT_TEXT.moved(a, promised, command.reason || undefined);
    case 'confirm':
      return RESULT_TEXT.confirmed(a, promised);
    case 'ready':
      return RESULT_TEXT.ready(a);
  }
}
