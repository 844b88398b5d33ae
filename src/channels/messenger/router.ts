import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { MessengerConfig } from '../../config';
import { AppError } from '../../shared/app-error';
import type { Logger } from '../../shared/logger';
import type { InboundEvent } from '../types';
import { parseMessengerWebhook, type IgnoredItem } from './parse';
import { SIGNATURE_HEADER, verifyMessengerSignature } from './signature';

export const MESSENGER_WEBHOOK_PATH = '/webhooks/messenger';

export interface MessengerRouterDeps {
  /** The durable enqueue: resolves once the events are stored (deduplicated by id). */
  accept(events: InboundEvent[]): Promise<void>;
  log: Logger;
  /** ms since the epoch, for items that carry no time; default Date.now */
  now?: () => number;
}

/**
 * GET and POST /webhooks/messenger. Errors go to next() as AppError; the server's error middleware
 * answers them (401 for signatures, 400 for bad JSON, 413 for bodies over 1 MB, 503 when accept fails).
 * Mount it before any app-wide JSON parser: the signature is checked over the raw bytes.
 */
export function createMessengerRouter(config: MessengerConfig, deps: MessengerRouterDeps): Router {
  const { accept, now = Date.now } = deps;
  const log = deps.log.child({ channel: 'messenger' });
  const router = express.Router();

  router.get(MESSENGER_WEBHOOK_PATH, (req: Request, res: Response, next: NextFunction) => {
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    if (mode !== 'subscribe' || typeof token !== 'string' || !sameSecret(token, config.verifyToken)) {
      next(new AppError('VERIFY_TOKEN_MISMATCH'));
      return;
    }
    if (typeof challenge !== 'string') {
      next(new AppError('VALIDATION_FAILED', 'hub.challenge is missing'));
      return;
    }
    // Echoed as plain text, never sniffed as HTML.
    res.status(200).set('X-Content-Type-Options', 'nosniff').type('text/plain').send(challenge);
  });

  router.post(
    MESSENGER_WEBHOOK_PATH,
    express.raw({ type: () => true, limit: '1mb' }),
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        const events = readEvents(req, config.appSecret, now(), log);
        // Meta redelivers what is not acknowledged: answer only after the durable enqueue, not after processing.
        if (events.length > 0) await accept(events);
        res.status(200).type('text/plain').send('EVENT_RECEIVED');
      } catch (err) {
        next(err);
      }
    },
  );

  return router;
}

function readEvents(req: Request, appSecret: string, now: number, log: Logger): InboundEvent[] {
  const body: unknown = req.body;
  if (body !== undefined && !Buffer.isBuffer(body)) {
    throw new AppError('INTERNAL', 'the Messenger webhook body was parsed before its router: the signature cannot be checked');
  }
  const raw = body ?? Buffer.alloc(0);
  const verdict = verifyMessengerSignature(raw, req.get(SIGNATURE_HEADER), appSecret);
  if (verdict === 'missing') throw new AppError('SIGNATURE_MISSING');
  if (verdict === 'invalid') throw new AppError('SIGNATURE_INVALID');

  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError('MALFORMED_JSON');
  }
  const { events, ignored } = parseMessengerWebhook(parsed, now);
  logIgnored(ignored, log);
  return events;
}

/** One line per kind, with counts: never the text, ids or payloads of the items. */
function logIgnored(ignored: IgnoredItem[], log: Logger): void {
  const counts = new Map<string, number>();
  for (const { kind } of ignored) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  for (const [kind, count] of counts) log.debug({ kind, count }, 'messenger webhook items ignored');
}

/** Constant-time comparison for secrets of any length: compares their digests. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
