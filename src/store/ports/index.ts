import type { ConversationStore } from './conversations';
import type { FlowStore } from './flows';
import type { StoreHealth } from './health';
import type { TokenStore } from './tokens';

export type { ConversationStore, Conversation, TranscriptEntry } from './conversations';
export type { TokenStore, TokenPair, TokenRecord } from './tokens';
export type { FlowStore, StoredFlowVersion } from './flows';
export type { StoreHealth } from './health';

/** Every store the application uses, from one adapter (memory or mongo). */
export interface Stores {
  conversations: ConversationStore;
  tokens: TokenStore;
  flows: FlowStore;
  health: StoreHealth;
}
