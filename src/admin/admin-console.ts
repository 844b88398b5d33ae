import type { Router } from 'express';
import type { Redis } from 'ioredis';
import type { CaseOutcome } from '../civic/cases';
import type { RoutingRules } from '../civic/officials/routing-rules';
import type { Translator } from '../conversation';
import type { HandoffService } from '../civic/handoff/handoff-service';
import { findProcedure, type Catalogue } from '../civic/procedures/catalogue';
import type { Stores } from '../store/ports';
import { createAccounts, type Accounts } from './accounts';
import { createPasswordHashing } from './password-hash';
import { createCasesAdminRouter } from './api/cases';
import { createAppointmentsRouter, type AppointmentsApiDeps } from './api/appointments';
import { createCommuneDataRouter } from './api/commune-data';
import type { CommuneDataPublishing } from './commune-data';
import { createConsoleRouter } from './api/console';
import { createDashboardRouter } from './api/dashboard';
import { allCases } from './api/cases';
import { createGovernanceRouter } from './api/governance';
import type { AskedProcedures } from './governance';
import { createFlowsAdminRouter } from './api/flows';
import { createOfficialsRouter } from './api/officials';
import { createPendingNoticesRouter, type ListPendingNotices } from './api/pending-notices';
import { createQueuesBoardRouter, type BoardQueue } from './api/queues';
import { createHandoffsAdminRouter } from './api/handoffs';
import { createAdminAuth, type AdminAuth } from './api/roles';
import { createSessionRouter } from './api/session';
import { createUsersRouter } from './api/users';
import { createDraftChecker } from './flow-draft';
import { createFlowTrial, type ReadOnlyActionRunner } from './flow-try';
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
  stores: Pick<Stores, 'users' | 'audit' | 'flows' | 'cases' | 'officials' | 'conversations'> & Partial<Pick<Stores, 'handoffs'>>;
  publishing: FlowPublishing;
  hasViKey: (key: string) => boolean;
  /** the system strings: the flow editor's "try the draft" chat runs the engine with them; unset = no try panel */
  t?: Translator;
  /** the try panel runs these read-only actions (procedures, free days and slots) for real; unset = made up too */
  readOnlyActions?: ReadOnlyActionRunner;
  /** the commune data files' editor (commune profile, procedures, routing, holidays, office hours, desk); unset = not mounted */
  communeData?: { publishing: CommuneDataPublishing; onPublished?: () => void };
  /** routing.yaml: village names typed any way in filters and roster edits; unset = taken as typed */
  routing?: RoutingRules;
  /** the application's BullMQ queues, shown at /admin/queues (admins only) */
  queues?: readonly BoardQueue[];
  /** notices waiting for a closed messaging window, listed for admins */
  pendingNotices?: ListPendingNotices;
  /** after a publish or rollback: refresh the flows in use */
  onPublished?: () => void;
  /** after a case change made in the console: deliver the outcome's notices */
  onCaseChange?: (outcome: CaseOutcome) => Promise<void> | void;
  /** the desk's appointments, attendance, result dates and undeliverable reminders; unset: not served */
  appointments?: Omit<AppointmentsApiDeps, 'auth' | 'audit'>;
  /** how often the chat explained each procedure (the governance page's "most asked"); unset = none counted */
  askedProcedures?: AskedProcedures;
  /** the procedure catalogue in use: the governance page names procedures by it; default the appointments' */
  catalogue?: Catalogue;
  /** hand-offs to an official: with it (and stores.handoffs), /admin/api/handoffs is served */
  handoffs?: HandoffService;
  /** the session cookie's Secure flag; default 'auto' (set on https requests) */
  secureCookies?: boolean | 'auto';
  /** scrypt cost of new password hashes (log2 N); default 15 (password-hash.ts) */
  passwordCost?: number;
  now?: () => number;
}

/** The governance report reads at most this many cases (the commune's whole record for years). */
const GOVERNANCE_CASE_LIMIT = 200_000;

function procedureNameIn(catalogue: Catalogue): (id: string, lng: 'vi' | 'en') => string | undefined {
  return (id, lng) => {
    const name = findProcedure(catalogue, id)?.name;
    return name ? (name[lng] ?? name.vi) : undefined;
  };
}

/**
 * Everything under /admin that takes a console login: sessions, users and audit, flows (with draft
 * checks, the try panel and rollback), the case desk (also for scripts with the bearer ADMIN_TOKEN),
 * the dashboard, officials, pending notices, the job queues (bull-board) and the static console page.
 * Mount `routers` in this order, before the error middleware.
 */
export function createAdminConsole(deps: AdminConsoleDeps): { routers: Router[]; auth: AdminAuth; accounts: Accounts } {
  const { stores, now = Date.now } = deps;
  const sessionTtlMs = 8 * 3600_000;
  const sessions = createRedisSessions(deps.redis, { prefix: deps.prefix, ttlMs: sessionTtlMs });
  const auth = createAdminAuth({ adminToken: deps.adminToken, users: stores.users, sessions });
  const hashing = createPasswordHashing(deps.passwordCost ? { cost: deps.passwordCost } : {});
  const accounts = createAccounts({ users: stores.users, throttle: createRedisLoginThrottle(deps.redis, { prefix: deps.prefix }), hashing, now });
  const { audit } = stores;
  const routers = [
    createSessionRouter({ auth, accounts, users: stores.users, sessions, audit, secureCookies: deps.secureCookies ?? 'auto', sessionTtlMs, now }),
    createUsersRouter({ auth, accounts, users: stores.users, audit, now }),
    createFlowsAdminRouter({
      auth,
      publishing: deps.publishing,
      flowStore: stores.flows,
      checkDraft: createDraftChecker({ publishing: deps.publishing }),
      ...(deps.t ? { tryDraft: createFlowTrial({ publishing: deps.publishing, t: deps.t, readOnly: deps.readOnlyActions, now }) } : {}),
      audit,
      ...(deps.onPublished ? { onPublished: deps.onPublished } : {}),
      now,
    }),
    ...(deps.communeData ? [createCommuneDataRouter({ auth, audit, now, ...deps.communeData })] : []),
    createCasesAdminRouter({ auth, cases: stores.cases, officials: stores.officials, audit, conversations: stores.conversations, routing: deps.routing, ...(deps.onCaseChange ? { onChange: deps.onCaseChange } : {}), now }),
    createDashboardRouter({ auth, cases: stores.cases, conversations: stores.conversations, now }),
    createGovernanceRouter({
      auth,
      allCases: () => allCases(stores.cases, {}, GOVERNANCE_CASE_LIMIT),
      officials: stores.officials,
      ...(deps.appointments ? { appointments: deps.appointments.appointments } : {}),
      ...(deps.askedProcedures ? { askedProcedures: deps.askedProcedures } : {}),
      ...((deps.catalogue ?? deps.appointments?.catalogue) ? { procedureName: procedureNameIn((deps.catalogue ?? deps.appointments?.catalogue)!) } : {}),
      now,
    }),
    createOfficialsRouter({ auth, officials: stores.officials, audit, routing: deps.routing, now }),
    createPendingNoticesRouter({ auth, list: deps.pendingNotices }),
    createQueuesBoardRouter({ auth, queues: deps.queues ?? [] }),
    ...(deps.appointments ? [createAppointmentsRouter({ now, ...deps.appointments, auth, audit: stores.audit })] : []),
    ...(deps.handoffs && stores.handoffs ? [createHandoffsAdminRouter({ auth, service: deps.handoffs, handoffs: stores.handoffs, officials: stores.officials, audit: stores.audit, now })] : []),
    createConsoleRouter(),
  ];
  return { routers, auth, accounts };
}
