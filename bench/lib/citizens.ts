/**
 * The bundled flows' traffic for bench:e2e: citizens who write what citizens write (typed, with and
 * without diacritics, teen code), each walking one script from first contact to its end, then
 * replaced by a new citizen (a new PSID: a first contact again).
 *
 * A script message may get several Send API calls (greeting + explanation + booking offer; replies
 * after an action result). How many is learned once per run (calibrate in e2e.ts), so each call the
 * fake Send API receives for a PSID is matched to the message it answers by counting: a
 * conversation's replies go out in order (ARCHITECTURE.md invariant 3), so the k-th call belongs to
 * the message whose calls span k, however late it is.
 */
import { messengerTextBody } from '../../test/helpers/messenger-bodies';
import { BENCH_SECRETS, type SignedEvent } from './messages';

export interface Script {
  name: string;
  /** how many of every SCRIPT_CYCLE new citizens walk it */
  weight: number;
  messages: string[];
}

/** The mix: most citizens ask about a procedure; some file a petition, some book a visit. */
export const SCRIPTS: Script[] = [
  {
    name: 'question',
    weight: 6,
    messages: [
      // first contact: greeting + menu, then the explanation and the booking offer (after procedure.find and .explain)
      'Cho tôi hỏi thủ tục đăng ký khai sinh',
      'ko',
      // a follow-up question, without diacritics
      'chung thuc ban sao can giay to gi',
      'không cần đâu',
    ],
  },
  {
    name: 'petition',
    weight: 2,
    messages: [
      'toi muon phan anh',
      'dong y',
      'phan anh',
      'moi truong',
      'thon Phu Loc',
      'Rac thai do ven duong lien thon gan cau, boc mui tu tuan truoc',
      'bo qua',
      'bo qua',
      'bo qua',
      '0912345678',
      'gui',
    ],
  },
  {
    name: 'booking',
    weight: 2,
    messages: ['Cho tôi hỏi thủ tục đăng ký khai sinh', 'có', 'đồng ý', '1', '1', 'Nguyễn Văn An', '0912 345 678', 'có'],
  },
];

const CYCLE: Script[] = SCRIPTS.flatMap((s) => Array.from({ length: s.weight }, () => s));

/** Send API calls each message of each script gets, learned by calibration: [script name][message index]. */
export type SendCounts = Record<string, number[]>;

/** One message of the load, with the calls it is owed (calls [from, to) of its PSID). */
export interface CitizenMessage {
  event: SignedEvent;
  script: string;
  step: number;
  /** index of this message's first Send API call among all the calls to this PSID */
  fromCall: number;
  /** one past its last call */
  toCall: number;
}

interface Slot {
  psid: string;
  script: Script;
  step: number;
  /** calls owed to this PSID by its messages so far */
  calls: number;
}

/**
 * Citizens in slots: a phase at `rate` messages/s keeps `rate × gapSeconds` slots busy and sends
 * round-robin over them, so each citizen writes again every `gapSeconds` (after its replies, as
 * long as the server keeps up). A citizen at the end of its script makes room for a new one.
 * Slots keep their citizen from one phase to the next: a later phase continues the conversations.
 */
export function createPopulation(opts: { psidBase: number; runTag: string; counts: SendCounts; gapSeconds: number }) {
  const { psidBase, runTag, counts, gapSeconds } = opts;
  const slots: Slot[] = [];
  let citizens = 0;
  let mids = 0;
  const newCitizen = (): Slot => {
    const n = citizens++;
    return { psid: String(psidBase + n), script: CYCLE[n % CYCLE.length], step: 0, calls: 0 };
  };
  return {
    /** the next `total` messages of a phase at `rate`/s, built ahead of time, each with its index */
    phase(rate: number, total: number): CitizenMessage[] {
      const active = Math.max(1, Math.round(rate * gapSeconds));
      while (slots.length < active) slots.push(newCitizen());
      const out: CitizenMessage[] = [];
      for (let i = 0; i < total; i++) {
        const k = i % active;
        if (slots[k].step >= slots[k].script.messages.length) slots[k] = newCitizen();
        const slot = slots[k];
        const owed = counts[slot.script.name][slot.step];
        const text = slot.script.messages[slot.step];
        const { raw, signature } = messengerTextBody({ psid: slot.psid, mid: `m_${runTag}_${mids++}`, text }, BENCH_SECRETS.MESSENGER_APP_SECRET);
        out.push({ event: { index: i, psid: slot.psid, body: Buffer.from(raw), signature }, script: slot.script.name, step: slot.step, fromCall: slot.calls, toCall: slot.calls + owed });
        slot.calls += owed;
        slot.step++;
      }
      return out;
    },
    /** the citizen behind `psid` can no longer be followed (a message of theirs was refused): a new one takes the slot */
    retire(psid: string): void {
      const k = slots.findIndex((x) => x.psid === psid);
      if (k >= 0) slots[k] = newCitizen();
    },
    get citizens(): number {
      return citizens;
    },
  };
}

export type Population = ReturnType<typeof createPopulation>;

/** The relay answers every message once. */
export function oneCallEach(): SendCounts {
  return Object.fromEntries(SCRIPTS.map((s) => [s.name, s.messages.map(() => 1)]));
}
