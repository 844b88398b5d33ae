import type { CaseStore } from './cases';
import type { ConversationStore } from './conversations';
import type { FlowStore } from './flows';
import type { StoreHealth } from './health';
import type { OfficialStore } from './officials';
import type { TokenStore } from './tokens';

export type { ConversationStore, Conversation, TranscriptEntry } from './conversations';
export type { TokenStore, TokenPair, TokenRecord } from './tokens';
export type { FlowStore, StoredFlowVersion } from './flows';
export type { StoreHealth } from './health';
export type { ChatAccount, ChatChannel, Official, OfficialInput, OfficialRole, OfficialStore, RedeemLinkCodeResult } from './officials';
export { CHAT_CHANNELS, OFFICIAL_ROLES } from './officials';
export type {
  Case,
  CaseAttachment,
  CaseContact,
  CaseEvent,
  CaseEventKind,
  CaseKind,
  CaseListFilter,
  CasePage,
  CasePatch,
  CaseRating,
  CaseResolution,
  CaseStatus,
  CaseStore,
  NewCase,
} from './cases';
export { CaseVersionConflict, isCaseVersionConflict } from './cases';

/** Every store the application uses, from one adapter (memory or mongo). */
export interface Stores {
  conversations: ConversationStore;
  tokens: TokenStore;
  flows: FlowStore;
  officials: OfficialStore;
  cases: CaseStore;
  health: StoreHealth;
}
