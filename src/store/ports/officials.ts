/**
 * The commune's officials: who a case can be routed to, and which chat accounts speak for them.
 * `chair` // Chủ tịch UBND xã, `vice_chair` // Phó Chủ tịch, `official` // công chức chuyên môn
 * (địa chính, tư pháp – hộ tịch, văn hóa – xã hội…), `village_head` // trưởng thôn,
 * `desk` // cán bộ tiếp nhận at the Trung tâm Phục vụ hành chính công.
 */
export const OFFICIAL_ROLES = ['chair', 'vice_chair', 'official', 'village_head', 'desk'] as const;
export type OfficialRole = (typeof OFFICIAL_ROLES)[number];

export const CHAT_CHANNELS = ['zalo', 'messenger'] as const;
export type ChatChannel = (typeof CHAT_CHANNELS)[number];

/** One chat account (a Zalo user id of the OA, a Messenger PSID of the page) that speaks for an official. */
export interface ChatAccount {
  channel: ChatChannel;
  userId: string;
}

export interface Official {
  /** stable id chosen by the admin, e.g. "dia-chinh-1"; routing rules name officials by it */
  id: string;
  name: string;
  role: OfficialRole;
  /** the official this one answers to: the backup when nobody else is named */
  supervisorId?: string;
  /** the thôn this official covers, as their names (compared folded: "Thôn 1" = "thon 1") */
  villages: string[];
  /** the case category ids this official handles */
  categories: string[];
  /** on duty now: takes what no rule, category or village head covers */
  onDuty: boolean;
  /** each account belongs to one official at most */
  accounts: ChatAccount[];
  /** false for an official who left or is away: routing skips them */
  active: boolean;
}

/**
 * What `upsert` takes. Without `accounts`, the linked accounts stay as they are (link codes are how
 * accounts are normally added), so an admin editing someone's villages cannot undo a link made meanwhile.
 */
export type OfficialInput = Omit<Official, 'accounts'> & { accounts?: ChatAccount[] };

export type RedeemLinkCodeResult =
  | { ok: true; official: Official }
  /** `expired`: the code exists but its time is over; `unknown`: no such code (never issued, or already used) */
  | { ok: false; reason: 'expired' | 'unknown' };

/**
 * Officials and the one-time codes that link a chat account to one of them.
 * Every method returns copies: changing a returned object changes nothing stored.
 * An account is linked to one official at most: linking it to another moves it there.
 */
export interface OfficialStore {
  /**
   * Creates or replaces the official with this id and resolves to what is stored. Given `accounts`
   * (duplicates dropped) are taken away from any other official that held them.
   */
  upsert(official: OfficialInput): Promise<Official>;
  get(id: string): Promise<Official | null>;
  /** Every official, ordered by id. */
  list(): Promise<Official[]>;
  /** The official this chat account is linked to; null if none. */
  findByAccount(channel: ChatChannel, userId: string): Promise<Official | null>;
  /**
   * Stores a one-time link code for this official, valid while now < `expiresAt` (ms since the
   * epoch), and retires the official's earlier unused codes. Resolves false, storing nothing, when
   * the code is already taken (draw another); rejects with AppError NOT_FOUND for an unknown official.
   */
  issueLinkCode(officialId: string, code: string, expiresAt: number): Promise<boolean>;
  /**
   * Uses the code, atomically: of any number of concurrent calls with one code, exactly one
   * succeeds, and only while `now` < its expiry. Success links `account` to the code's official
   * (moving it from any other official) and consumes the code.
   */
  redeemLinkCode(code: string, account: ChatAccount, now: number): Promise<RedeemLinkCodeResult>;
}
