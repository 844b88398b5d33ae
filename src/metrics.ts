import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SendFailureReason } from './channels/types';
import type { PendingReason } from './shared/messaging-policy';
import type { QueueFigures } from './jobs/queue-figures';

/** Every metric name starts with this, the default process metrics included. */
export const METRIC_PREFIX = 'commune_chatbot_';

export const CHANNELS = ['messenger', 'zalo'] as const;
/** The route families timed by http_request_duration_seconds (see routeFamily). */
export const ROUTE_FAMILIES = ['webhook', 'admin_api', 'admin_console', 'admin_queues', 'open311', 'health', 'metrics', 'other'] as const;
export type RouteFamily = (typeof ROUTE_FAMILIES)[number];
const SEND_FAILURE_REASONS = ['rate_limited', 'server_error', 'network', 'token_invalid', 'window_closed', 'user_unavailable', 'permission', 'bad_request', 'quota', 'unknown'] as const satisfies readonly SendFailureReason[];
const PENDING_REASONS = ['window_closed', 'template_sender_missing', 'no_phone', 'no_linked_account'] as const satisfies readonly PendingReason[];
const WEBHOOK_STATUSES = ['200', '400', '401', '403', '413', '503'];
const STATUS_CLASSES = ['2xx', '3xx', '4xx', '5xx'];

/** Where /metrics reads what lives in Redis, at scrape time. */
export interface MetricSources {
  queues: QueueFigures;
  /** the reasons of every notice waiting (for a window, a phone number, a linked account) */
  pendingNotices?: () => Promise<{ reason: string }[]>;
}

/** The Prometheus metrics of one process, served at GET /metrics. */
export interface Metrics {
  registry: Registry;
  webhookRequests: Counter<'channel' | 'status'>;
  webhookLatency: Histogram<'channel'>;
  httpDuration: Histogram<'family' | 'status_class'>;
  /** inbound events by outcome: `queued`, or `duplicate` (a platform's redelivery, dropped) */
  eventsAccepted: Counter<'channel' | 'outcome'>;
  sends: Counter<'channel'>;
  sendFailures: Counter<'channel' | 'reason'>;
  queueDepth: Gauge<'queue' | 'state'>;
  jobsFailed: Counter<'queue'>;
  escalationsFailed: Counter;
  noticesPending: Gauge<'reason'>;
  /** Sets where the queue and notice figures are read at scrape time. */
  watch(sources: MetricSources): void;
}

/** The route family of a request path, for the HTTP duration histogram (a small, fixed label set). */
export function routeFamily(path: string): RouteFamily {
  if (path.startsWith('/webhooks/')) return 'webhook';
  if (path.startsWith('/admin/api/') || path === '/admin/api') return 'admin_api';
  if (path.startsWith('/admin/queues')) return 'admin_queues';
  if (path === '/admin' || path.startsWith('/admin/')) return 'admin_console';
  if (path.startsWith('/open311/') || path === '/open311') return 'open311';
  if (path === '/healthz' || path === '/readyz') return 'health';
  if (path === '/metrics') return 'metrics';
  return 'other';
}

export function createMetrics({ queueNames = [] as readonly string[], states = [] as readonly string[] } = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  // prom-client names these gauges *_total, which Prometheus keeps for counters (promtool says so).
  for (const g of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) registry.removeSingleMetric(`${METRIC_PREFIX}${g}`);
  const name = (n: string) => `${METRIC_PREFIX}${n}`;
  let sources: MetricSources | undefined;
  // One read of the failed sets per scrape, shared by both failure counters.
  let failures: Promise<void> | null = null;
  const readFailures = () => {
    failures ??= (async () => {
      try {
        if (!sources) return;
        for (const f of await sources.queues.newFailures()) {
          if (f.count > 0) jobsFailed.inc({ queue: f.queue }, f.count);
          if (f.escalations > 0) escalationsFailed.inc(f.escalations);
        }
      } finally {
        failures = null;
      }
    })();
    return failures;
  };

  const webhookRequests = new Counter({ name: name('webhook_requests_total'), help: 'Webhook requests by channel and HTTP status', labelNames: ['channel', 'status'], registers: [registry] });
  const webhookLatency = new Histogram({
    name: name('webhook_ack_seconds'),
    help: 'Time from a webhook request to its acknowledgement',
    labelNames: ['channel'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: name('http_request_duration_seconds'),
    help: 'HTTP request duration by route family and status class',
    labelNames: ['family', 'status_class'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const eventsAccepted = new Counter({ name: name('inbound_events_total'), help: 'Inbound webhook events by outcome: queued, or duplicate (a redelivery, dropped)', labelNames: ['channel', 'outcome'], registers: [registry] });
  const sends = new Counter({ name: name('sends_total'), help: 'Messages delivered to a platform', labelNames: ['channel'], registers: [registry] });
  const sendFailures = new Counter({ name: name('send_failures_total'), help: 'Failed sends by channel and reason', labelNames: ['channel', 'reason'], registers: [registry] });
  const queueDepth = new Gauge({
    name: name('queue_jobs'),
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      if (!sources) return;
      for (const { queue, state, count } of await sources.queues.depth()) this.set({ queue, state }, count);
    },
  });
  const jobsFailed = new Counter({
    name: name('jobs_failed_total'),
    help: 'Jobs that failed for good (retries exhausted or unrecoverable), by queue, since this process started; every process reads the same queues',
    labelNames: ['queue'],
    registers: [registry],
    collect: readFailures,
  });
  const escalationsFailed = new Counter({
    name: name('escalations_failed_total'),
    help: 'Escalations of an overdue case that failed for good, since this process started',
    registers: [registry],
    collect: readFailures,
  });
  const noticesPending = new Gauge({
    name: name('notices_pending'),
    help: 'Notices waiting to be delivered, by why they wait',
    labelNames: ['reason'],
    registers: [registry],
    async collect() {
      if (!sources?.pendingNotices) return;
      const counts = new Map<string, number>(PENDING_REASONS.map((r) => [r, 0]));
      for (const n of await sources.pendingNotices()) counts.set(n.reason, (counts.get(n.reason) ?? 0) + 1);
      for (const [reason, count] of counts) this.set({ reason }, count);
    },
  });

  // Known label sets start at 0: a rate() or an alert needs the series before the first event.
  for (const channel of CHANNELS) {
    for (const status of WEBHOOK_STATUSES) webhookRequests.inc({ channel, status }, 0);
    webhookLatency.zero({ channel });
    for (const outcome of ['queued', 'duplicate']) eventsAccepted.inc({ channel, outcome }, 0);
    sends.inc({ channel }, 0);
    for (const reason of SEND_FAILURE_REASONS) sendFailures.inc({ channel, reason }, 0);
  }
  for (const family of ROUTE_FAMILIES) for (const status_class of STATUS_CLASSES) httpDuration.zero({ family, status_class });
  for (const queue of queueNames) {
    jobsFailed.inc({ queue }, 0);
    for (const state of states) queueDepth.set({ queue, state }, 0);
  }
  escalationsFailed.inc(0);
  for (const reason of PENDING_REASONS) noticesPending.set({ reason }, 0);

  return {
    registry,
    webhookRequests,
    webhookLatency,
    httpDuration,
    eventsAccepted,
    sends,
    sendFailures,
    queueDepth,
    jobsFailed,
    escalationsFailed,
    noticesPending,
    watch(s) {
      sources = s;
    },
  };
}
