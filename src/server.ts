import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Router } from 'express';
import { errorMiddleware, notFound, type loadErrorMessages } from './http-errors';
import { timingSafeEqual } from 'node:crypto';
import { routeFamily, type Metrics } from './metrics';
import { AppError } from './shared/app-error';
import type { Logger } from './shared/logger';

export interface ServerDeps {
  log: Logger;
  metrics: Metrics;
  errorMessages: ReturnType<typeof loadErrorMessages>;
  /** channel routers, each handling /webhooks/<channel>; a missing one answers CHANNEL_DISABLED */
  channels: { messenger?: Router; zalo?: Router };
  /** extra routers (admin API, console) mounted before the error middleware */
  extra?: Router[];
  /** readiness checks: each resolves when its dependency answers */
  ready: Record<string, () => Promise<void>>;
  /** express's `trust proxy` (TRUST_PROXY); default false: req.ip is the peer's own address */
  trustProxy?: false | number | string[];
  /** when set, GET /metrics wants this bearer token (METRICS_TOKEN) */
  metricsToken?: string;
}

export interface AppServer {
  app: express.Express;
  /** Listens on `port` (0 = any free port) and resolves with the port. */
  start(port: number): Promise<number>;
  /** Stops taking webhooks (503, so the platforms retry elsewhere or later), then waits for in-flight requests. */
  stop(): Promise<void>;
}

export function createServer(deps: ServerDeps): AppServer {
  const { log, metrics, trustProxy = false, metricsToken } = deps;
  const app = express();
  app.disable('x-powered-by');
  // Only the proxies named in TRUST_PROXY may set the client's address: with `true`, anyone could
  // write their own X-Forwarded-For and pass for a new client (the login lockout keys on req.ip).
  app.set('trust proxy', trustProxy);
  let stopping = false;
  let server: Server | undefined;

  // Every request is timed under its route family (a fixed, small label set).
  app.use((req, res, next) => {
    const end = metrics.httpDuration.startTimer({ family: routeFamily(req.path) });
    res.on('finish', () => end({ status_class: `${Math.floor(res.statusCode / 100)}xx` }));
    next();
  });
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

  app.get('/metrics', async (req, res, next) => {
    if (metricsToken && !bearerMatches(req.get('authorization'), metricsToken)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return next(new AppError('UNAUTHORIZED', 'metrics need the METRICS_TOKEN bearer token'));
    }
    try {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    } catch (err) {
      next(err);
    }
  });

  // Every webhook request is counted and timed; while stopping, webhooks get 503 so nothing is half-taken.
  app.use('/webhooks/:channel', (req, res, next) => {
    const channel = String(req.params.channel).slice(0, 20);
    const end = metrics.webhookLatency.startTimer({ channel });
    res.on('finish', () => {
      end();
      metrics.webhookRequests.inc({ channel, status: String(res.statusCode) });
    });
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

  return {
    app,
    start(port) {
      return new Promise((resolve, reject) => {
        const s = app.listen(port, (err?: Error) => {
          if (err) return reject(err);
          resolve((s.address() as AddressInfo).port);
        });
        s.keepAliveTimeout = 5000;
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

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
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
