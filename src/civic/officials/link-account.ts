/**
 * Tying an official's Zalo or Messenger account to their record: an admin issues a one-time code,
 * the official sends "LIENKET <code>" from that account, and from then on the bot knows who writes.
 * Guessing is not rate-limited here: that belongs to the message path (not done yet); an 8-character
 * code of 31 symbols (~8.5 × 10^11) that expires in a day leaves a guesser little chance meanwhile.
 */
import { randomInt } from 'node:crypto';
import { AppError } from '../../shared/app-error';
import { foldText } from '../../shared/text-fold';
import type { ChatAccount, Official, OfficialStore } from '../../store/ports';

/** Letters and digits that cannot be mistaken for one another when read out or typed: no 0/O, 1/I/L. */
export const LINK_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
/** the length of a code `randomLinkCode` draws; codes of 6 to 8 characters are accepted */
export const LINK_CODE_LENGTH = 8;
const LINK_CODE = new RegExp(`^[${LINK_CODE_ALPHABET}]{6,8}$`);
const DAY_MS = 24 * 3_600_000;
/** codes drawn before giving up when every one is already taken (practically never more than one) */
const ISSUE_ATTEMPTS = 5;

export interface LinkDeps {
  officials: OfficialStore;
  /** ms since the epoch */
  now(): number;
}

export interface IssueLinkCodeDeps extends LinkDeps {
  /** a fresh code of LINK_CODE_ALPHABET, 6 to 8 characters; `randomLinkCode` in production */
  randomCode(): string;
}

export interface IssuedLinkCode {
  code: string;
  /** ms since the epoch; the code works only before this */
  expiresAt: number;
}

export type LinkResult =
  | { ok: true; official: Official }
  /** an expired code, a used one and a wrong one get the same answer: no hint for someone guessing */
  | { ok: false; reason: 'unknown' };

/** A random code of LINK_CODE_LENGTH characters of LINK_CODE_ALPHABET, from the system's CSPRNG. */
export function randomLinkCode(): string {
  let code = '';
  for (let i = 0; i < LINK_CODE_LENGTH; i++) code += LINK_CODE_ALPHABET[randomInt(LINK_CODE_ALPHABET.length)];
  return code;
}

/**
 * Issues a one-time code for this official, valid for `ttlMs` (default 24 hours); an earlier code of
 * theirs stops working. Rejects with AppError NOT_FOUND for an unknown official.
 */
export async function issueLinkCode(deps: IssueLinkCodeDeps, officialId: string, ttlMs: number = DAY_MS): Promise<IssuedLinkCode> {
  const expiresAt = deps.now() + ttlMs;
  for (let attempt = 1; attempt <= ISSUE_ATTEMPTS; attempt++) {
    const code = deps.randomCode();
    if (!LINK_CODE.test(code)) throw new Error(`randomCode gave "${code}": not 6 to 8 characters of LINK_CODE_ALPHABET`);
    if (await deps.officials.issueLinkCode(officialId, code, expiresAt)) return { code, expiresAt };
  }
  throw new AppError('INTERNAL', `no free link code after ${ISSUE_ATTEMPTS} draws`);
}

/**
 * The code in a link command, as stored (upper case): "LIENKET 7K3M9Q2A", "liên kết 7k3m-9q2a",
 * "Lien ket: 7k3m9q2a". Null when the text is not a link command at all; a command whose code
 * cannot be one still gives its text, so the caller answers it as a wrong code.
 */
export function parseLinkCommand(text: string): string | null {
  const match = /^lien\s*ket\s*([a-z0-9 ]+)$/.exec(foldText(text));
  return match ? match[1].replace(/ /g, '').toUpperCase() : null;
}

/**
 * Links `account` to the official whose code the message carries. Null when the message is not a
 * link command (hand it to the conversation as usual). Accounts linked to someone else move.
 */
export async function linkAccount(deps: LinkDeps, text: string, account: ChatAccount): Promise<LinkResult | null> {
  const code = parseLinkCommand(text);
  if (code === null) return null;
  if (!LINK_CODE.test(code)) return { ok: false, reason: 'unknown' };
  const result = await deps.officials.redeemLinkCode(code, account, deps.now());
  return result.ok ? { ok: true, official: result.official } : { ok: false, reason: 'unknown' };
}
