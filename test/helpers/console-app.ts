import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import express from 'express';
import { Redis } from 'ioredis';
import { createAdminConsole, type AdminConsoleDeps } from '../../src/admin/admin-console';
import { createCommuneDataPublishing } from '../../src/admin/commune-data';
import { createFlowPublishing } from '../../src/admin/flows';
import { readDataSources } from '../../src/commune-data';
import type { CaseOutcome } from '../../src/civic/cases';
import { createHandoffService, type HandoffRelay, type HandoffService } from '../../src/civic/handoff/handoff-service';
import type { RoutingRules } from '../../src/civic/officials/routing-rules';
import { createFlowsInUse } from '../../src/flows-in-use';
import { errorMiddleware, loadErrorMessages, notFound } from '../../src/http-errors';
import { createTranslator } from '../../src/i18n';
import { LOCALES_DIR } from '../../src/paths';
import { silentLogger } from '../../src/shared/logger';
import { MemoryConversationStore } from '../../src/store/memory';
import type { Stores } from '../../src/store/ports';
import type { HandoffStore } from '../../src/store/ports/handoffs';
import { TEST_REDIS_URL } from './redis';

/**
 * The admin console (every router of createAdminConsole) on an express app of its own on port 0,
 * over the given stores and a real Redis under `prefix`: what main.ts mounts, without the webhooks.
 * scrypt cost 10 (log2 N) keeps the many logins of the tests fast; production uses 15.
 */
export async function startConsoleApp(opts: {
  prefix: string;
  adminToken: string;
  /** without `conversations`, an empty memory store (the dashboard counts its messages) */
  stores: Pick<Stores, 'users' | 'audit' | 'flows' | 'cases' | 'officials'> & Partial<Pick<Stores, 'conversations'>>;
  onCaseChange?: (o: CaseOutcome) => void;
  /** BullMQ queues for bull-board at /admin/queues */
  queues?: AdminConsoleDeps['queues'];
  pendingNotices?: AdminConsoleDeps['pendingNotices'];
  appointments?: AdminConsoleDeps['appointments'];
  /** the chat's explanations per procedure and the catalogue naming them (the governance page) */
  askedProcedures?: AdminConsoleDeps['askedProcedures'];
  catalogue?: AdminConsoleDeps['catalogue'];
  /** the hand-off router over the real hand-off service, `store` and a relay that only records; unset: not served */
  handoffs?: { store: HandoffStore; routing: RoutingRules };
}) {
  const handoffs = opts.handoffs ? recordingHandoffs(opts.handoffs.store, opts.stores.officials, opts.handoffs.routing) : undefined;
  const redis = new Redis(TEST_REDIS_URL);
  const flows = createFlowsInUse({ dir: resolve(__dirname, '../../flows'), flowStore: opts.stores.flows, log: silentLogger });
  const t = await createTranslator(LOCALES_DIR);
  const publishing = createFlowPublishing({ flowStore: opts.stores.flows, fileSources: flows.fileSources, hasViKey: (key) => t.hasKey(key, 'vi') });
  const adminConsole = createAdminConsole({
    adminToken: opts.adminToken,
    redis,
    prefix: opts.prefix,
    stores: { ...opts.stores, conversations: opts.stores.conversations ?? new MemoryConversationStore(), ...(handoffs ? { handoffs: handoffs.store } : {}) },
    publishing,
    // The commune data editor over the bundled files; publishes are stored in the same flow store.
    communeData: {
      publishing: createCommuneDataPublishing({
        flowStore: opts.stores.flows,
        fileSources: () => readDataSources(resolve(__dirname, '../../flows')),
        flowSources: async () => [...(await publishing.currentSources()).values()],
      }),
    },
    hasViKey: (key) => t.hasKey(key, 'vi'),
    ...(opts.askedProcedures ? { askedProcedures: opts.askedProcedures } : {}),
    ...(opts.catalogue ? { catalogue: opts.catalogue } : {}),
    t,
    ...(opts.queues ? { queues: opts.queues } : {}),
    ...(opts.pendingNotices ? { pendingNotices: opts.pendingNotices } : {}),
    passwordCost: 10,
    ...(opts.onCaseChange ? { onCaseChange: opts.onCaseChange } : {}),
    ...(opts.appointments ? { appointments: opts.appointments } : {}),
    ...(handoffs ? { handoffs: handoffs.service } : {}),
  });
  const app = express();
  app.set('trust proxy', true);
  for (const r of adminConsole.routers) app.use(r);
  app.use(notFound);
  app.use(errorMiddleware(loadErrorMessages(LOCALES_DIR), silentLogger));
  const server: Server = await new Promise((ok) => {
    const s = app.listen(0, () => ok(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    app,
    /** with the `handoffs` option: the service (open one with `request`) and what the relay would have sent */
    handoffs,
    async close() {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
      redis.disconnect();
    },
  };
}

/** What the job layer would have done when a hand-off moved: to the citizen, or to officials. */
export type RelayedHandoff =
  | { kind: 'opened'; code: string; officialIds: string[] }
  | { kind: 'taken' | 'ended'; code: string; channel: string; userId: string; officialId: string | null }
  | { kind: 'message'; code: string; to: 'citizen' | 'official'; channel: string; userId: string; officialId: string | null; text: string };

/**
 * The real hand-off service over `store`; its relay records instead of queuing jobs. `window.open`:
 * whether an official's words can reach the citizen now (set it false for a closed platform window).
 */
function recordingHandoffs(
  store: HandoffStore,
  officials: Stores['officials'],
  routing: RoutingRules,
): { service: HandoffService; store: HandoffStore; relayed: RelayedHandoff[]; window: { open: boolean } } {
  const relayed: RelayedHandoff[] = [];
  const citizenWindow = { open: true };
  const who = (h: { code: string; channel: string; userId: string; officialId?: string }) => ({ code: h.code, channel: h.channel, userId: h.userId, officialId: h.officialId ?? null });
  const relay: HandoffRelay = {
    async opened(h) {
      relayed.push({ kind: 'opened', code: h.code, officialIds: [...h.notifiedIds] });
    },
    async relay(h, m) {
      relayed.push({ kind: 'message', ...who(h), to: m.from === 'official' ? 'citizen' : 'official', text: m.text });
    },
    async canReachCitizenNow() {
      return citizenWindow.open;
    },
    async taken(h) {
      relayed.push({ kind: 'taken', ...who(h) });
    },
    async ended(h) {
      relayed.push({ kind: 'ended', ...who(h) });
    },
  };
  const service = createHandoffService({ handoffs: store, officials, routing, recentLines: async () => [], relay, now: Date.now });
  return { service, store, relayed, window: citizenWindow };
}
