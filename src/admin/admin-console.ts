import type { Router } from 'express';
import type { Redis } from 'ioredis';
import type { CaseOutcome } from '../civic/cases';
import type { HandoffService } from '../civic/handoff/handoff-service';
import type { Stores } from '../store/ports';
import { createAccounts, type Accounts } from './accounts';
import { createConsoleRouter } from './api/console';
import { createConsoleCasesRouter } from './api/console-cases';
import { createFlowsAdminRouter } from './api/flows';
import { createHandoffsAdminRouter } from './api/handoffs';
import { createAdminAuth, type AdminAuth } from './api/roles';
import { createSessionRouter } from './api/session';
import { createUsersRouter } from './api/users';
import { createDraftChecker } from './flow-draft';
import type { FlowPublishing } from './flows';
import { createRedisLoginThrottle } from './login-throttle-redis';
import { createRedisSessions } from './sessions';

export interface AdminConsoleDeps {
  /** bearer token of the admin role (API, first admin); unset = console accounts only */
  adminToken?: string;
  /** sessions and failed-login counters live here, shared by every web process */
  redis: Redis;
  /** key prefix (QUEUE_PREFIX) */
  prefix: string;
  stores: Pick<Stores, 'users' | 'audit' | 'flows' | 'cases' | 'officials'> & Partial<Pick<Stores, 'handoffs'>>;
  publishing: FlowPublishing;
  hasViKey: (key: string) => boolean;
  /** after a publish or rollback: refresh the flows in use */
  onPublished?: () => void;
  /** after a case change made in the console: deliver the outcome's notices */
  onCaseChange?: (outcome: CaseOutcome) => Promise<void> | void;
  /** hand-offs to an official: with it (and stores.handoffs), /admin/api/handoffs is served */
  handoffs?: HandoffService;
  /** the session cookie's Secure flag; default 'auto' (set on https requests) */
  secureCookies?: boolean | 'auto';
  /** bcrypt cost; default 12 */
  bcryptCost?: number;
  now?: () => number;
}

/**
 * Everything under /admin that takes a console login: sessions, users and audit, flows (with draft
 * checks and rollback), the case desk, the dashboard, officials, and the static console page.
 * Mount `routers` in this order, before the error middleware.
 */
export function createAdminConsole(deps: AdminConsoleDeps): { routers: Router[]; auth: AdminAuth; accounts: Accounts } {
  const { stores, now = Date.now } = deps;
  const sessionTtlMs = 8 * 3600_000;
  const sessions = createRedisSessions(deps.redis, { prefix: deps.prefix, ttlMs: sessionTtlMs });
  const auth = createAdminAuth({ adminToken: deps.adminToken, users: stores.users, sessions });
  const accounts = createAccounts({ users: stores.users, throttle: createRedisLoginThrottle(deps.redis, { prefix: deps.prefix }), now, ...(deps.bcryptCost ? { cost: deps.bcryptCost } : {}) });
  const routers = [
    createSessionRouter({ auth, accounts, users: stores.users, sessions, audit: stores.audit, secureCookies: deps.secureCookies ?? 'auto', sessionTtlMs, now }),
    createUsersRouter({ auth, accounts, users: stores.users, audit: stores.audit, now }),
    createFlowsAdminRouter({
      auth,
      publishing: deps.publishing,
      flowStore: stores.flows,
      checkDraft: createDraftChecker({ publishing: deps.publishing, hasViKey: deps.hasViKey }),
      audit: stores.audit,
      ...(deps.onPublished ? { onPublished: deps.onPublished } : {}),
      now,
    }),
    createConsoleCasesRouter({ auth, cases: stores.cases, officials: stores.officials, audit: stores.audit, ...(deps.onCaseChange ? { onChange: deps.onCaseChange } : {}), now }),
    ...(deps.handoffs && stores.handoffs ? [createHandoffsAdminRouter({ auth, service: deps.handoffs, handoffs: stores.handoffs, officials: stores.officials, audit: stores.audit, now })] : []),
    createConsoleRouter(),
  ];
  return { routers, auth, accounts };
}
