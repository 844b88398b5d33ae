import type { AppointmentStore } from './appointments';
import type { CaseStore } from './cases';
import type { ConversationStore } from './conversations';
import type { FlowStore } from './flows';
import type { StoreHealth } from './health';
import type { OfficialStore } from './officials';
import type { TokenStore } from './tokens';
import type { AuditLog } from './audit';
import type { UserStore } from './users';
import type { HandoffStore } from './handoffs';

export type { ConversationStore, Conversation, DailyMessageCount, TranscriptEntry } from './conversations';
export { vietnamDayOf } from './conversations';
export type { TokenStore, TokenPair, TokenRecord } from './tokens';
export type { FlowStore, StoredFlowVersion } from './flows';
export type { StoreHealth } from './health';
export type { User, UserPatch, UserRole, UserStore } from './users';
export { USER_ROLES } from './users';
export type { AuditEntry, AuditFilter, AuditLog, NewAuditEntry } from './audit';
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
export type { Appointment, AppointmentSlot, AppointmentStatus, AppointmentStore, BookResult, ChangeResult, NewAppointment, ResultDate, ResultDateChange, ResultDateResult, ResultDateUpdate, ResultStatus } from './appointments';
export { APPOINTMENT_STATUSES, RESULT_STATUSES, holdsPlace } from './appointments';
export type { Handoff, HandoffEnd, HandoffEndReason, HandoffMessage, HandoffStatus, HandoffStore, NewHandoff, TakeResult } from './handoffs';
export { HANDOFF_STATUSES, normalizeHandoffCode } from './handoffs';

/** Every store the application uses, from one adapter (memory or mongo). */
export interface Stores {
  conversations: ConversationStore;
  tokens: TokenStore;
  flows: FlowStore;
  officials: OfficialStore;
  cases: CaseStore;
  appointments: AppointmentStore;
  /** hand-offs to an official ("gặp cán bộ") */
  handoffs: HandoffStore;
  /** console accounts */
  users: UserStore;
  /** append-only audit log of admin changes */
  audit: AuditLog;
  health: StoreHealth;
}
