import type { Stores } from '../ports';
import { MemoryAppointmentStore } from './appointment-store';
import { MemoryCaseStore } from './case-store';
import { MemoryConversationStore } from './conversation-store';
import { MemoryFlowStore } from './flow-store';
import { MemoryHandoffStore } from './handoff-store';
import { MemoryOfficialStore } from './official-store';
import { MemoryTokenStore } from './token-store';
import { MemoryUserStore } from './user-store';
import { MemoryAuditLog } from './audit-log';

export { MemoryAppointmentStore } from './appointment-store';
export { MemoryCaseStore } from './case-store';
export { MemoryConversationStore } from './conversation-store';
export { MemoryFlowStore } from './flow-store';
export { MemoryHandoffStore } from './handoff-store';
export { MemoryOfficialStore } from './official-store';
export { MemoryTokenStore } from './token-store';
export { MemoryUserStore } from './user-store';
export { MemoryAuditLog } from './audit-log';

/** Every store, held in this process's memory: the default when MONGODB_URI is unset. Lost on exit. */
export function createMemoryStores(): Stores {
  return {
    conversations: new MemoryConversationStore(),
    tokens: new MemoryTokenStore(),
    flows: new MemoryFlowStore(),
    officials: new MemoryOfficialStore(),
    cases: new MemoryCaseStore(),
    appointments: new MemoryAppointmentStore(),
    handoffs: new MemoryHandoffStore(),
    users: new MemoryUserStore(),
    audit: new MemoryAuditLog(),
    health: {
      ping: async () => undefined,
      close: async () => undefined,
    },
  };
}
