import express, { type NextFunction, type Request, type Response } from 'express';
import type { ZaloConfig } from '../../config';
import { AppError } from '../../shared/app-error';
import type { Logger } from '../../shared/logger';
import type { InboundEvent } from '../types';
import { parseZaloWebhook } from './parse';
import { isValidZaloSignature } from './signature';

export interface ZaloRouterDeps {
  /** durably enqueues the events; the webhook answers 200 only after it resolves */
  accept(events: InboundEvent[]): Promise<void>;
  log: Logger;
  /** ms since the epoch; default Date.now */
  now?: () => number;
}

export const ZALO_WEBHOOK_PATH = '/webhooks/zalo';

/**
 * POST /webhooks/zalo: verify the signature over the raw bytes, parse, hand the events to `accept`, then 200.
 * GET /webhooks/zalo answers 200 for the console's URL check. Errors go to next(err) as AppError.
 */
export function createZaloRouter(config: ZaloConfig, deps: ZaloRouterDeps): express.Router {
  const { accept, log, now = Date.now } = deps;
  const router = express.Router();

  router.get(ZALO_WEBHOOK_PATH, (_req, res) => {
    res.status(200).send('ok');
  });

  router.post(
    ZALO_WEBHOOK_PATH,
    // Any content type: the signature is over the raw bytes, whatever Zalo labels them.
    express.raw({ type: () => true, limit: '1mb' }),
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        const rawBody: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const signature = req.get('x-zevent-signature');
        if (signature === undefined || signature.trim() === '') {
          // Saving the webhook URL in Zalo's console sends an unsigned `{}`: it must get 200 and does nothing.
          if (isEmptyObject(rawBody)) {
            log.info({}, 'Zalo webhook URL check answered');
            res.sendStatus(200);
            return;
          }
          throw new AppError('SIGNATURE_MISSING', 'X-ZEvent-Signature header is missing');
        }
        // app_id and timestamp are inside the body, so it is parsed before the signature can be checked.
        const body = parseJson(rawBody);
        const valid = isValidZaloSignature({
          rawBody,
          body,
          signature,
          timestampHeader: req.get('x-zevent-timestamp'),
          oaSecretKey: config.oaSecretKey,
          appIdFallback: config.appId,
        });
        if (!valid) throw new AppError('SIGNATURE_INVALID', 'X-ZEvent-Signature does not match the body');

        const { events, ignored } = parseZaloWebhook(body, now());
        for (const i of ignored) log.info({ kind: i.kind, reason: i.reason }, 'Zalo event ignored');
        // Zalo redelivers what it got no 200 for: answer only once the events are durably queued.
        if (events.length > 0) await accept(events);
        res.sendStatus(200);
      } catch (err) {
        next(err);
      }
    },
  );

  return router;
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError('MALFORMED_JSON', 'the Zalo webhook body is not valid JSON');
  }
}

function isEmptyObject(raw: Buffer): boolean {
  try {
    const v: unknown = JSON.parse(raw.toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
  } catch {
    return false;
  }
}
