import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus metrics of one process, served at GET /metrics. */
export interface Metrics {
  registry: Registry;
  webhookRequests: Counter<'channel' | 'status'>;
  webhookLatency: Histogram<'channel'>;
  eventsAccepted: Counter<'channel' | 'outcome'>;
  sends: Counter<'channel'>;
  sendFailures: Counter<'channel' | 'reason'>;
  queueDepth: Gauge<'queue' | 'state'>;
  /** Sets where the queue-depth gauge reads its figures at scrape time. */
  watchQueues(source: () => Promise<{ queue: string; state: string; count: number }[]>): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  let depthSource: (() => Promise<{ queue: string; state: string; count: number }[]>) | undefined;
  return {
    registry,
    webhookRequests: new Counter({ name: 'webhook_requests_total', help: 'Webhook requests by channel and HTTP status', labelNames: ['channel', 'status'], registers: [registry] }),
    webhookLatency: new Histogram({
      name: 'webhook_ack_seconds',
      help: 'Time from request to acknowledgement',
      labelNames: ['channel'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    eventsAccepted: new Counter({ name: 'inbound_events_total', help: 'Inbound events by outcome (queued, duplicate)', labelNames: ['channel', 'outcome'], registers: [registry] }),
    sends: new Counter({ name: 'sends_total', help: 'Messages delivered to a platform', labelNames: ['channel'], registers: [registry] }),
    sendFailures: new Counter({ name: 'send_failures_total', help: 'Failed sends by channel and reason', labelNames: ['channel', 'reason'], registers: [registry] }),
    queueDepth: new Gauge({
      name: 'queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        if (!depthSource) return;
        this.reset();
        for (const { queue, state, count } of await depthSource()) this.set({ queue, state }, count);
      },
    }),
    watchQueues(source) {
      depthSource = source;
    },
  };
}
