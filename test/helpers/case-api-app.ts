import express from 'express';
import { createCasesAdminRouter } from '../../src/admin/api/cases';
import { createOpen311Router } from '../../src/admin/api/open311';
import { createActionHandlers, runAction, type ActionContext } from '../../src/civic/actions';
import { vietnamTime } from '../../src/civic/calendar/vietnam-time';
import { MemoryAttemptLimiter } from '../../src/civic/cases/attempt-limiter';
import type { Catalogue } from '../../src/civic/procedures/catalogue';
import { errorMiddleware, loadErrorMessages, notFound } from '../../src/http-errors';
import { LOCALES_DIR } from '../../src/paths';
import { silentLogger } from '../../src/shared/logger';
import { MemoryConversationStore } from '../../src/store/memory/conversation-store';
import { communeWorld } from './commune';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
/** Monday 2 March 2026, 09:00 in Vietnam. */
export const T0 = vietnamTime(2026, 3, 2, 9, 0);
export const CITIZEN: ActionContext = { channel: 'zalo', userId: 'zalo-user-8841', conversationKey: 'zalo:zalo-user-8841', now: T0, locale: 'vi' };
export const PHONE = '+84912345678';

/**
 * The case admin API and the Open311 endpoints on an express app of their own, over the memory
 * stores and the bundled commune data, with cases filed the way the petition flow files them.
 */
export async function caseApiApp() {
  const world = await communeWorld();
  let clock = T0;
  const handlers = createActionHandlers({ catalogue: { procedures: [] } as unknown as Catalogue, ...world, attempts: new MemoryAttemptLimiter(() => clock) });
  const conversations = new MemoryConversationStore();
  const app = express();
  app.use(createCasesAdminRouter({ adminToken: ADMIN_TOKEN, cases: world.cases, officials: world.officials, conversations, routing: world.routing, now: () => clock }));
  app.use(createOpen311Router({ cases: world.cases, routing: world.routing, now: () => clock }));
  app.use(notFound);
  app.use(errorMiddleware(loadErrorMessages(LOCALES_DIR), silentLogger));

  /** Files a petition as the citizen and returns its code; the clock moves on a minute. */
  const file = async (args: Record<string, unknown>): Promise<string> => {
    const r = await runAction(
      handlers,
      {
        action: 'case.create',
        args: { petition_type: 'feedback', name: 'Lê Văn Tám', phone: PHONE, consent_version: '2026-01', consent_at: clock - 60_000, ...args },
      },
      { ...CITIZEN, now: clock },
    );
    if (!r.ok) throw new Error(`not filed: ${JSON.stringify(r)}`);
    clock += 60_000;
    return (r.data as { code: string }).code;
  };
  return { app, ...world, conversations, file, setClock: (t: number) => (clock = t), now: () => clock };
}
