import type { Stores } from '../ports';
import { MemoryConversationStore } from './conversation-store';
import { MemoryFlowStore } from './flow-store';
import { MemoryOfficialStore } from './official-store';
import { MemoryTokenStore } from './token-store';

export { MemoryConversationStore } from './conversation-store';
export { MemoryFlowStore } from './flow-store';
export { MemoryOfficialStore } from './official-store';
export { MemoryTokenStore } from './token-store';

/** Every store, held in this process's memory: the default when MONGODB_URI is unset. Lost on exit. */
export function createMemoryStores(): Stores {
  return {
    conversations: new MemoryConversationStore(),
    tokens: new MemoryTokenStore(),
    flows: new MemoryFlowStore(),
    officials: new MemoryOfficialStore(),
    health: {
      ping: async () => undefined,
      close: async () => undefined,
    },
  };
}
