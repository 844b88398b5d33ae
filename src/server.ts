import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Router } from 'express';
import type { WebhookFastPath } from './channels/types';
import { errorMiddleware, notFound, type loadErrorMessages } from './http-errors';
import type { Metrics } from './metrics';
import { AppError } from './shared/app-error';
import type { Logger } from './shared/logger';

export interface ServerDeps {
  log: Logger;
  metrics: Metrics;
  errorMessages: ReturnType<typeof loadErrorMessages>;
  /**
   * channel routers, each handling /webhooks/<channel>; a missing one answers CHANNEL_DISABLED.
   * A router with a `fastPath` gets its webhook POSTs straight from node:http (see below).
   */
  channels: { messenger?: Router | (Router & { fastPath: WebhookFastPath }); zalo?: Router | (Router & { fastPath: WebhookFastPath }) };
  /** extra routers (admin API, console) mounted before the error middleware */
  extra?: Router[];
  /** readiness checks: each resolves when its dependency answers */
  ready: Record<string, () => Promise<void>>;
}

export interface AppServer {
  app: express.Express;
  /** Listens on `port` (0 = any free port) and resolves with the port. */
  start(port: number): Promise<number>;
  /** Stops taking webhooks (503, so the platforms retry elsewhere or later), then waits for in-flight requests. */
  stop(): Promise<void>;
}

export function createServer(deps: ServerDeps): AppServer {
  const { log, metrics } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  let stopping = false;
  let server: Server | undefined;

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const checks: Record<string, string> = {};
    let ok = !stopping;
    await Promise.all(
      Object.entries(deps.ready).map(async ([name, check]) => {
        try {
          await withTimeout(check(), 2000);
          checks[name] = 'ok';
        } catch (err) {
          ok = false;
          checks[name] = 'unreachable';
          log.warn({ err, dependency: name }, 'readiness check failed');
        }
      }),
    );
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : stopping ? 'stopping' : 'not ready', checks });
  });

  app.get('/metrics', async (_req, res, next) => {
    try {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    } catch (err) {
      next(err);
    }
  });

  // Fast-path requests that failed come back here with their error and start time (see `serve`).
  const handedOver = new WeakMap<IncomingMessage, { err: unknown; started: bigint }>();

  // Every webhook request is counted and timed; while stopping, webhooks get 503 so nothing is half-taken.
  app.use('/webhooks/:channel', (req, res, next) => {
    const channel = String(req.params.channel).slice(0, 20);
    const fromFastPath = handedOver.get(req);
    const started = fromFastPath?.started ?? process.hrtime.bigint();
    res.on('finish', () => {
      metrics.webhookLatency.observe({ channel }, Number(process.hrtime.bigint() - started) / 1e9);
      metrics.webhookRequests.inc({ channel, status: String(res.statusCode) });
    });
    if (fromFastPath) return next(fromFastPath.err);
    if (stopping) {
      res.setHeader('Connection', 'close');
      return next(new AppError('SHUTTING_DOWN'));
    }
    next();
  });

  for (const name of ['messenger', 'zalo'] as const) {
    const router = deps.channels[name];
    if (router) app.use(router);
    else app.all(`/webhooks/${name}`, (_req, _res, next) => next(new AppError('CHANNEL_DISABLED')));
  }
  for (const r of deps.extra ?? []) app.use(r);

  app.use(notFound);
  app.use(errorMiddleware(deps.errorMessages, log));

  /*
   * The hot path. A webhook POST to a channel with a fastPath, with a Content-Length within its
   * limit and no Content-Encoding, skips express: its body is read here and handed to the same
   * function the router's POST route calls, and the 200 goes out at once. Anything else, and any
   * error, goes through express (an error with the body already read: the webhook middleware
   * passes it to the error middleware, so the answer is the same as the router's).
   */
  const fastPaths = new Map<string, { fp: WebhookFastPath; ok: { observe(v: number): void }; okCount: { inc(): void } }>();
  for (const name of ['messenger', 'zalo'] as const) {
    const router = deps.channels[name];
    if (router && 'fastPath' in router) {
      fastPaths.set(router.fastPath.path, {
        fp: router.fastPath,
        // Label children bound once: no label hashing per request.
        ok: metrics.webhookLatency.labels({ channel: name }),
        okCount: metrics.webhookRequests.labels({ channel: name, status: '200' }),
      });
    }
  }

  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method === 'POST' && !stopping && fastPaths.size > 0) {
      const url = req.url ?? '';
      const q = url.indexOf('?');
      const route = fastPaths.get(q < 0 ? url : url.slice(0, q));
      const length = Number(req.headers['content-length']);
      const encoding = req.headers['content-encoding'];
      if (route && length >= 0 && length <= route.fp.limit && (encoding === undefined || encoding === 'identity')) {
        fastWebhook(route, req, res);
        return;
      }
    }
    void app(req, res);
  };

  function fastWebhook(route: NonNullable<ReturnType<typeof fastPaths.get>>, req: IncomingMessage, res: ServerResponse): void {
    const started = process.hrtime.bigint();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => undefined);
    req.on('end', () => {
      const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      const header = (name: string) => {
        const v = req.headers[name.toLowerCase()];
        return Array.isArray(v) ? v.join(', ') : v;
      };
      route.fp.handle(raw, header).then(
        (text) => {
          res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
          res.end(text);
          route.ok.observe(Number(process.hrtime.bigint() - started) / 1e9);
          route.okCount.inc();
        },
        (err: unknown) => {
          // express reads no body from a request already read (body-parser sees it finished).
          (req as IncomingMessage & { body?: Buffer }).body = raw;
          handedOver.set(req, { err, started });
          void app(req, res);
        },
      );
    });
  }

  return {
    app,
    start(port) {
      return new Promise((resolve, reject) => {
        const s = createHttpServer(serve);
        s.keepAliveTimeout = 5000;
        s.once('error', reject);
        s.listen(port, () => {
          s.off('error', reject);
          resolve((s.address() as AddressInfo).port);
        });
        server = s;
      });
    },
    async stop() {
      stopping = true;
      const s = server;
      if (!s) return;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeIdleConnections();
      });
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
