import express, { type NextFunction, type Request, type Response } from 'express';
import { createMessengerRouter } from '../../../../src/channels/messenger/router';
import type { InboundEvent } from '../../../../src/channels/types';
import type { MessengerConfig } from '../../../../src/config';
import { isAppError } from '../../../../src/shared/app-error';
import type { Logger } from '../../../../src/shared/logger';

export const APP_SECRET = 'app-secret-for-tests';
export const VERIFY_TOKEN = 'xa-verify-token';
export const messengerConfig: MessengerConfig = {
  appSecret: APP_SECRET,
  verifyToken: VERIFY_TOKEN,
  pageAccessToken: 'EAAPageTokenSecret123',
  apiBase: 'http://127.0.0.1:9/v25.0',
};

export interface WebhookAppOptions {
  /** default: record the events and resolve */
  accept?: (events: InboundEvent[]) => Promise<void>;
  now?: () => number;
}

/**
 * The Messenger router in a tiny express app, with an error middleware like the server's:
 * AppError -> its status and code, body-parser's too-large -> 413, anything else -> 503 so Meta retries.
 */
export function webhookApp(opts: WebhookAppOptions = {}) {
  const accepted: InboundEvent[][] = [];
  const accept = opts.accept ?? (async (events: InboundEvent[]) => void accepted.push(events));
  const log = recordingLogger();
  const app = express();
  app.use(createMessengerRouter(messengerConfig, { accept, log, now: opts.now }));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (isAppError(err)) {
      res.status(err.status).json({ error: err.code });
      return;
    }
    if ((err as { type?: unknown }).type === 'entity.too.large') {
      res.status(413).json({ error: 'BODY_TOO_LARGE' });
      return;
    }
    res.status(503).json({ error: 'QUEUE_UNAVAILABLE' });
  });
  return { app, accepted, log };
}

/** A logger that keeps every line as JSON, to check what is and is not written. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const write = (obj: object, msg?: string) => void lines.push(JSON.stringify({ ...obj, msg }));
  const log = { lines, debug: write, info: write, warn: write, error: write, child: () => log };
  return log;
}
