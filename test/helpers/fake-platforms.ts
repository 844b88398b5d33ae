import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

/** One request the fake received. */
export interface Recorded {
  platform: 'messenger' | 'zalo' | 'zalo-oauth';
  at: number;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
}

type Reply = { status: number; body: unknown };

/**
 * A local stand-in for Meta's Send API and Zalo's OA and OAuth APIs, built from platforms/*.md:
 * records every request and answers like the platform (Zalo: HTTP 200 with an `error` field).
 * Scripted replies (`failNext`) are served first, then the default success.
 */
export async function startFakePlatforms(): Promise<{
  messengerBase: string;
  zaloBase: string;
  zaloOauthBase: string;
  requests: Recorded[];
  sent(platform: Recorded['platform']): Recorded[];
  failNext(platform: Recorded['platform'], ...replies: Reply[]): void;
  /** the token the Zalo fake accepts; others get -216 */
  setZaloToken(token: string): void;
  nextZaloPair(pair: { access_token: string; refresh_token: string; expires_in: string }): void;
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}> {
  const requests: Recorded[] = [];
  const scripted: Record<string, Reply[]> = { messenger: [], zalo: [], 'zalo-oauth': [] };
  let zaloToken: string | null = null;
  let zaloPair = { access_token: 'AT-2', refresh_token: 'RT-2', expires_in: '90000' };
  let mid = 0;
  const app = express();
  app.use(express.json());
  app.use(express.urlencoded({ extended: false }));

  const record = (platform: Recorded['platform'], req: express.Request) => {
    requests.push({ platform, at: Date.now(), headers: req.headers, query: req.query as Record<string, unknown>, body: req.body as Record<string, unknown> });
  };

  app.post('/graph/v25.0/me/messages', (req, res) => {
    record('messenger', req);
    const s = scripted.messenger.shift();
    if (s) return void res.status(s.status).json(s.body);
    const recipient = (req.body as { recipient?: { id?: string } }).recipient?.id;
    res.json({ recipient_id: recipient, message_id: `m_fake_${++mid}` });
  });
  app.post('/zalo/v3.0/oa/message/cs', (req, res) => {
    record('zalo', req);
    const s = scripted.zalo.shift();
    if (s) return void res.status(s.status).json(s.body);
    if (zaloToken !== null && req.get('access_token') !== zaloToken) return void res.json({ error: -216, message: 'Access token is invalid' });
    res.json({ error: 0, message: 'Success', data: { message_id: `z_fake_${++mid}`, user_id: (req.body as { recipient?: { user_id?: string } }).recipient?.user_id } });
  });
  app.post('/oauth/v4/oa/access_token', (req, res) => {
    record('zalo-oauth', req);
    const s = scripted['zalo-oauth'].shift();
    if (s) return void res.status(s.status).json(s.body);
    zaloToken = zaloPair.access_token;
    res.json(zaloPair);
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    messengerBase: `${base}/graph/v25.0`,
    zaloBase: `${base}/zalo`,
    zaloOauthBase: `${base}/oauth`,
    requests,
    sent: (platform) => requests.filter((r) => r.platform === platform),
    failNext(platform, ...replies) {
      scripted[platform].push(...replies);
    },
    setZaloToken(token) {
      zaloToken = token;
    },
    nextZaloPair(pair) {
      zaloPair = pair;
    },
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error('timed out waiting for the fake platform');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
