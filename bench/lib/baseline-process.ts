/**
 * The baselines, each an express 5 app in a process of its own, chosen by BASELINE:
 * - `bare`: POST /webhooks/messenger answers 200 at once (nothing read, nothing checked);
 * - `minimal`: the least a correct webhook does: raw body, signature check, JSON parse, dedupe by
 *   mid and append to an inbox in one Lua call (EVALSHA), then 200;
 * - `minimal-bullmq`: the same plus one BullMQ job per delivery (Queue.add) to wake a worker, as the
 *   commune server's webhook did before it marked conversations ready instead;
 * - `relay`: answers 200, then posts each message's reply straight to the Send API (no queue, no
 *   engine): the floor of the end-to-end harness.
 * With LOGIN_ON_LOOP=bcrypt, `minimal` also serves POST /admin/api/login checking the password with
 * bcryptjs at cost 12 on the event loop, as the console's login did before its hashing moved off
 * the loop (bench:login-load's reference).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import bcrypt from 'bcryptjs';
import express from 'express';
import { Redis } from 'ioredis';
import { serveIpc, sayReady } from './child-ipc';
import { replyTextFor } from './messages';

const mode = process.env.BASELINE ?? 'bare';
const PATH = '/webhooks/messenger';

interface MessengerBody {
  entry?: { messaging?: { sender?: { id?: string }; message?: { mid?: string; text?: string } }[] }[];
}

async function main(): Promise<void> {
  const app = express();
  app.disable('x-powered-by');
  const closers: (() => Promise<unknown>)[] = [];

  if (mode === 'bare') {
    app.post(PATH, (_req, res) => {
      res.status(200).type('text/plain').send('EVENT_RECEIVED');
    });
  } else if (mode === 'minimal' || mode === 'minimal-bullmq') {
    const secret = must('MESSENGER_APP_SECRET');
    const prefix = must('QUEUE_PREFIX');
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    // Dedupe and append in one atomic step, sent by its SHA (EVALSHA), one call per event.
    redis.defineCommand('benchAccept', {
      numberOfKeys: 2,
      lua: `if redis.call('set', KEYS[1], '1', 'NX', 'EX', ARGV[2]) then redis.call('rpush', KEYS[2], ARGV[1]) return 1 end return 0`,
    });
    const benchAccept = (redis as unknown as { benchAccept(seen: string, inbox: string, item: string, ttl: string): Promise<number> }).benchAccept.bind(redis);
    // minimal-bullmq: plus one BullMQ job per delivery (Queue.add), the way the commune server's webhook once woke its workers
    const queue = mode === 'minimal-bullmq' ? new Queue('inbound', { connection: redis, prefix }) : null;
    closers.push(async () => queue?.close(), () => redis.quit());
    if (process.env.LOGIN_ON_LOOP === 'bcrypt') {
      const hash = bcrypt.hashSync(must('BENCH_LOGIN_PASSWORD'), 12);
      app.post('/admin/api/login', express.json({ limit: '8kb' }), async (req, res) => {
        const body = req.body as { password?: string };
        const ok = await bcrypt.compare(String(body.password ?? ''), hash);
        res.status(ok ? 200 : 401).json({ ok });
      });
    }
    app.post(PATH, express.raw({ type: () => true, limit: '1mb' }), async (req, res, next) => {
      try {
        const raw = req.body as Buffer;
        const given = /^sha256=([0-9a-f]{64})$/i.exec(req.get('x-hub-signature-256') ?? '');
        const expected = createHmac('sha256', secret).update(raw).digest();
        if (!given || !timingSafeEqual(Buffer.from(given[1], 'hex'), expected)) return void res.sendStatus(401);
        const body = JSON.parse(raw.toString('utf8')) as MessengerBody;
        const receivedAt = Date.now();
        const conversations = new Set<string>();
        const stored: Promise<number>[] = [];
        for (const entry of body.entry ?? []) {
          for (const m of entry.messaging ?? []) {
            if (!m.message?.mid || !m.sender?.id) continue;
            const key = `messenger:${m.sender.id}`;
            conversations.add(key);
            stored.push(benchAccept(`${prefix}:seen:messenger:${m.message.mid}`, `${prefix}:inbox:{${key}}`, JSON.stringify({ event: m, receivedAt }), '259200'));
          }
        }
        await Promise.all(stored);
        if (queue) await Promise.all([...conversations].map((key) => queue.add('drain', { conversationKey: key }, { removeOnComplete: true })));
        res.status(200).type('text/plain').send('EVENT_RECEIVED');
      } catch (err) {
        next(err);
      }
    });
  } else if (mode === 'relay') {
    const sendUrl = new URL(`${must('MESSENGER_API_BASE')}/me/messages`);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    closers.push(async () => agent.destroy());
    app.post(PATH, express.raw({ type: () => true, limit: '1mb' }), (req, res) => {
      res.status(200).type('text/plain').send('EVENT_RECEIVED');
      const body = JSON.parse((req.body as Buffer).toString('utf8')) as MessengerBody;
      for (const entry of body.entry ?? []) {
        for (const m of entry.messaging ?? []) {
          const out = JSON.stringify({ recipient: { id: m.sender?.id }, messaging_type: 'RESPONSE', message: { text: replyTextFor(m.message?.text ?? '') } });
          const r = http.request(sendUrl, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) } }, (answer) => answer.resume());
          r.on('error', () => undefined);
          r.end(out);
        }
      }
    });
  } else throw new Error(`BASELINE must be bare, minimal, minimal-bullmq or relay, not ${mode}`);

  const server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  server.keepAliveTimeout = 5000;
  serveIpc({ memory: () => process.memoryUsage() }, async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    for (const c of closers) await c().catch(() => undefined);
  });
  sayReady((server.address() as AddressInfo).port);
}

function must(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required for BASELINE=${mode}`);
  return v;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
