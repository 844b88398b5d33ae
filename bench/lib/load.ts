/**
 * A small HTTP load generator on node:http with keep-alive sockets, timing each request with
 * process.hrtime.bigint():
 * - openLoop: a fixed arrival rate, whatever the server does (latency counted from the moment the
 *   request was due, so a server that falls behind is not flattered by the generator waiting for it);
 * - closedLoop: `concurrency` connections, each sending its next request as soon as the last answered
 *   (run at rising concurrency, the level with the most answered requests/s is the peak).
 */
import http from 'node:http';
import type { SignedEvent } from './messages';

export interface Target {
  host: string;
  port: number;
  path: string;
}

export interface Shot {
  event: SignedEvent;
  /** when the request was due (open loop) or started (closed loop) */
  dueNs: bigint;
  sentNs: bigint;
  doneNs: bigint;
  status: number;
  error?: string;
}

export type EventSource = () => SignedEvent;

const REQUEST_TIMEOUT_MS = 10_000;

export function keepAliveAgent(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'fifo' });
}

/** One signed webhook POST; never rejects (failures are recorded on the shot). */
export function postEvent(agent: http.Agent, target: Target, event: SignedEvent, dueNs?: bigint): Promise<Shot> {
  return new Promise((resolve) => {
    const sentNs = process.hrtime.bigint();
    let settled = false;
    const finish = (status: number, error?: string) => {
      if (settled) return;
      settled = true;
      resolve({ event, dueNs: dueNs ?? sentNs, sentNs, doneNs: process.hrtime.bigint(), status, error });
    };
    const req = http.request(
      {
        host: target.host,
        port: target.port,
        path: target.path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': event.body.length, 'x-hub-signature-256': event.signature },
      },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () => finish(res.statusCode ?? 0, res.statusCode === 200 ? undefined : `HTTP ${res.statusCode}`));
        res.on('error', (e) => finish(0, e.message));
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => finish(0, e.code ?? e.message));
    req.end(event.body);
  });
}

export interface OpenLoopResult {
  shots: Shot[];
  rate: number;
  durationMs: number;
  /** how late the generator itself sent requests (ms): a large value means the bench, not the server, was the limit */
  sendLagP99Ms: number;
}

/** `rate` requests/s for `durationMs`, each due at start + i/rate, whether or not earlier ones answered. */
export async function openLoop(opts: { target: Target; rate: number; durationMs: number; events: SignedEvent[] | EventSource; maxSockets?: number }): Promise<OpenLoopResult> {
  const { target, rate, durationMs } = opts;
  const total = Math.round((rate * durationMs) / 1000);
  const agent = keepAliveAgent(opts.maxSockets ?? 512);
  const { events } = opts;
  const source: (i: number) => SignedEvent = Array.isArray(events) ? (i) => events[i] : () => events();
  const intervalNs = 1e9 / rate;
  const pending: Promise<Shot>[] = [];
  const start = process.hrtime.bigint() + 5_000_000n;
  await new Promise<void>((resolve) => {
    let i = 0;
    const tick = () => {
      const now = process.hrtime.bigint();
      while (i < total) {
        const due = start + BigInt(Math.round(i * intervalNs));
        if (due > now) break;
        pending.push(postEvent(agent, target, source(i), due));
        i++;
      }
      if (i >= total) return resolve();
      const nextDue = start + BigInt(Math.round(i * intervalNs));
      setTimeout(tick, Math.max(0, Number(nextDue - process.hrtime.bigint()) / 1e6 - 0.5));
    };
    setTimeout(tick, 5);
  });
  const shots = await Promise.all(pending);
  agent.destroy();
  const lags = shots.map((s) => Number(s.sentNs - s.dueNs) / 1e6).sort((a, b) => a - b);
  return { shots, rate, durationMs, sendLagP99Ms: percentile(lags, 99) };
}

export interface ClosedLoopResult {
  concurrency: number;
  /** shots that finished inside the measured window (after the warm-up) */
  shots: Shot[];
  /** every shot, warm-up included */
  all: Shot[];
  rps: number;
}

/** `concurrency` keep-alive connections sending back to back for warmupMs + durationMs; measured after the warm-up. */
export async function closedLoop(opts: { target: Target; concurrency: number; durationMs: number; warmupMs: number; events: EventSource }): Promise<ClosedLoopResult> {
  const { target, concurrency, durationMs, warmupMs, events } = opts;
  const agent = keepAliveAgent(concurrency);
  const all: Shot[] = [];
  const t0 = process.hrtime.bigint();
  const from = t0 + BigInt(warmupMs) * 1_000_000n;
  const until = from + BigInt(durationMs) * 1_000_000n;
  const worker = async () => {
    while (process.hrtime.bigint() < until) all.push(await postEvent(agent, target, events()));
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  const shots = all.filter((s) => s.sentNs >= from && s.doneNs <= until);
  const ok = shots.filter((s) => s.status === 200).length;
  return { concurrency, shots, all, rps: ok / (durationMs / 1000) };
}

/** The p-th percentile of ascending `sorted` (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Acknowledge latencies in ms, ascending: from due time (open loop) or send time (closed loop) to the last byte. */
export function latenciesMs(shots: Shot[]): number[] {
  return shots.filter((s) => s.status === 200).map((s) => Number(s.doneNs - s.dueNs) / 1e6).sort((a, b) => a - b);
}

export function errorsOf(shots: Shot[]): { count: number; kinds: Record<string, number> } {
  const kinds: Record<string, number> = {};
  let count = 0;
  for (const s of shots) {
    if (s.status === 200) continue;
    count++;
    const k = s.error ?? `HTTP ${s.status}`;
    kinds[k] = (kinds[k] ?? 0) + 1;
  }
  return { count, kinds };
}
