import { createHash } from 'node:crypto';
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';

/** Queue names and the Redis key layout of the message path. */
export const QUEUES = {
  /** one job per conversation marked ready (created by a worker): drains that conversation's inbox in order */
  inbound: 'inbound',
  /** one job per turn: the replies of one engine step, sent in order */
  outbound: 'outbound',
  /** one job per engine effect: runs a civic action and feeds the result back to the conversation */
  effects: 'effects',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface KeyLayout {
  prefix: string;
  inbox(conversationKey: string): string;
  seen(eventId: string, channel: string): string;
  conversationLock(conversationKey: string): string;
  deadLetters(): string;
  failures(): string;
  /** sorted set: conversations whose inbox awaits a drain (score: when marked, ms); see inbox.ts */
  ready(): string;
  /** list: conversations newly marked ready, popped by the workers, which create their drain jobs */
  wake(): string;
}

export function keyLayout(prefix: string): KeyLayout {
  return {
    prefix,
    inbox: (key) => `${prefix}:inbox:{${key}}`,
    seen: (eventId, channel) => `${prefix}:seen:${channel}:${eventId}`,
    conversationLock: (key) => `${prefix}:convlock:{${key}}`,
    deadLetters: () => `${prefix}:inbox-dead`,
    failures: () => `${prefix}:inbox-failures`,
    ready: () => `${prefix}:inbox-ready`,
    wake: () => `${prefix}:inbox-wake`,
  };
}

/** BullMQ job ids may not contain ':'; platform ids do (Messenger mids). A short hash keeps them safe. */
export function safeId(...parts: string[]): string {
  return createHash('sha1').update(parts.join('\u0000')).digest('base64url');
}

/** One part of a BullMQ job id: plain ids stay readable, anything else (':' included) becomes a short hash. */
export function jobIdPart(s: string): string {
  return /^[A-Za-z0-9_.-]{1,64}$/.test(s) ? s : safeId(s);
}

/**
 * Exponential backoff with jitter: base * 2^(n-1), capped, then scaled by a random 50–100 %,
 * so that a platform outage does not come back to a synchronized burst of retries.
 */
export function backoffWithJitter(attemptsMade: number, { baseMs = 1000, capMs = 5 * 60_000 } = {}): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(exp * (0.5 + Math.random() * 0.5));
}

export const OUTBOUND_JOB: JobsOptions = {
  attempts: 8,
  backoff: { type: 'jitter' },
  // Completed jobs stay a day: the id dedupes a re-enqueued turn after a crash, and the
  // predecessor check of the next turn reads their state.
  removeOnComplete: { age: 24 * 3600, count: 200_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

export const INBOUND_JOB: JobsOptions = {
  attempts: 10,
  backoff: { type: 'jitter' },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

export const EFFECT_JOB: JobsOptions = {
  attempts: 6,
  backoff: { type: 'jitter' },
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

export function createQueue(name: QueueName, connection: ConnectionOptions, prefix: string, onError?: (err: Error) => void): Queue {
  const queue = new Queue(name, { connection, prefix });
  // An 'error' event without a listener would throw: a dropped Redis connection must be logged, not crash.
  queue.on('error', onError ?? (() => undefined));
  return queue;
}

/**
 * Closes a queue or worker once its connection finished starting: BullMQ closing one that is still
 * starting rejects the start's pending INFO with no listener left, an unhandled rejection that
 * kills the process (a stop right after a start, as in a crash loop or a quick redeploy).
 */
export async function closeWhenReady(o: { waitUntilReady(): Promise<unknown>; close(): Promise<void> }): Promise<void> {
  await o.waitUntilReady().catch(() => undefined);
  await o.close();
}
