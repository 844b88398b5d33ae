/**
 * Looking a citizen's code up, whatever its kind: a case, an appointment or a hand-off, shown only
 * to the chat account it belongs to. An unknown code and someone else's give the same answer, so a
 * code read out on the phone does not tell a stranger that it exists.
 */
import type { AppointmentStore } from '../store/ports/appointments';
import type { CaseStore } from '../store/ports/cases';
import type { HandoffStore } from '../store/ports/handoffs';
import { appointmentStatusText } from './appointments/appointment-status-text';
import type { DeskSettings } from './appointments/desk-settings';
import { citizenCaseText } from './case-text';
import type { TypedCode } from './citizen-codes';
import { handoffStatusText } from './handoff/handoff-text';
import type { Catalogue } from './procedures/catalogue';
import type { Locale } from '../shared/locale';

export interface CodeLookupStores {
  cases: Pick<CaseStore, 'findByCode'>;
  /** with the catalogue and the desk data (what to bring, the place): appointment codes are looked up */
  appointments?: { store: Pick<AppointmentStore, 'findByCode'>; catalogue: Catalogue; desk: DeskSettings };
  handoffs?: Pick<HandoffStore, 'findByCode'>;
}

export interface CodeOwner {
  channel: string;
  userId: string;
}

export type CodeLookup =
  /** the asker's own: its status, ready to show; `changeable` for a booked appointment still ahead (offer "đổi lịch", "hủy lịch") */
  | { found: true; summary: string; changeable?: boolean }
  /**
   * `guessed`: nothing of the asker's has this code (unknown, or someone else's): a wrong guess.
   * `notGuessed`: this kind of code cannot be looked up here, so nothing was looked for and nothing
   * can be learnt from the answer: not a wrong guess.
   */
  | { found: false; guess: 'guessed' | 'notGuessed' };

const owns = (x: CodeOwner, asker: CodeOwner) => x.channel === asker.channel && x.userId === asker.userId;

/** The status of `typed` for `asker`, if it is theirs. */
export async function lookupOwnCode(stores: CodeLookupStores, typed: TypedCode, asker: CodeOwner, locale: Locale, now: number): Promise<CodeLookup> {
  const notOwned: CodeLookup = { found: false, guess: 'guessed' };
  switch (typed.kind) {
    case 'case': {
      const c = await stores.cases.findByCode(typed.code);
      return c && owns(c, asker) ? { found: true, summary: citizenCaseText(c, locale, now) } : notOwned;
    }
    case 'appointment': {
      const desk = stores.appointments;
      if (!desk) return { found: false, guess: 'notGuessed' };
      const a = await desk.store.findByCode(typed.code);
      if (!a || !owns(a, asker)) return notOwned;
      return { found: true, summary: appointmentStatusText(a, desk.catalogue, desk.desk, locale, now), changeable: a.status === 'booked' && a.slot.start > now };
    }
    case 'handoff': {
      if (!stores.handoffs) return { found: false, guess: 'notGuessed' };
      const h = await stores.handoffs.findByCode(typed.code);
      return h && owns(h, asker) ? { found: true, summary: handoffStatusText(h, locale) } : notOwned;
    }
  }
}

