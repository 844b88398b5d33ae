import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** The Messenger tags Meta refuses with error 100 since 2026-04-27 (platforms/messenger.md §3). */
const DEAD_TAGS = new Set(['CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE', 'ACCOUNT_UPDATE']);

/** One request the fake received. */
export interface Recorded {
  platform: 'messenger' | 'zalo' | 'zalo-oauth' | 'zalo-zns';
  at: number;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
  /** what the fake answered: `accepted`, or the platform's error code it refused with */
  outcome: 'accepted' | string;
}

type Reply = { status: number; body: unknown };

/**
 * A local stand-in for Meta's Send API and Zalo's OA, OAuth and ZNS APIs, built from platforms/*.md:
 * records every request and answers like the platform (Zalo: HTTP 200 with an `error` field).
 * Scripted replies (`failNext`) are served first. Then it enforces the windows, like the platforms,
 * for every user a test declared with `userWrote` (a user never declared is treated as inside
 * every window, so tests about something else need not care):
 * - Messenger: a plain message (RESPONSE, UPDATE, sender action) more than 24 h after the user's last
 *   message gets error 10/2018278; the old update tags get error 100 always; HUMAN_AGENT past 7 days
 *   gets 10/2018278; a UTILITY template is accepted (and its shape checked).
 * - Zalo: a consultation message past 7 days gets -230 (48 h to 7 days is accepted: billed); ZNS
 *   is accepted for a phone in 84… form (else -108) with the OA token.
 */
export async function startFakePlatforms(opts: { now?: () => number } = {}): Promise<{
  messengerBase: string;
  zaloBase: string;
  zaloOauthBase: string;
  znsBase: string;
  requests: Recorded[];
  sent(platform: Recorded['platform']): Recorded[];
  failNext(platform: Recorded['platform'], ...replies: Reply[]): void;
  /** The user's last message to the Page or OA (ms, default now): the fake judges the windows from it. */
  userWrote(platform: 'messenger' | 'zalo', userId: string, at?: number): void;
  /** What the fake accepted, per platform (refused requests are in `requests` with their outcome). */
  accepted(platform: Recorded['platform']): Recorded[];
  /** the token the Zalo fake accepts; others get -216 */
  setZaloToken(token: string): void;
  nextZaloPair(pair: { access_token: string; refresh_token: string; expires_in: string }): void;
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}> {
  const requests: Recorded[] = [];
  const { now = Date.now } = opts;
  const scripted: Record<string, Reply[]> = { messenger: [], zalo: [], 'zalo-oauth': [], 'zalo-zns': [] };
  const lastInbound = new Map<string, number>();
  let zaloToken: string | null = null;
  let zaloPair = { access_token: 'AT-2', refresh_token: 'RT-2', expires_in: '90000' };
  let mid = 0;
  const app = express();
  app.use(express.json());
  app.use(express.urlencoded({ extended: false }));

  const record = (platform: Recorded['platform'], req: express.Request): Recorded => {
    const r: Recorded = { platform, at: Date.now(), headers: req.headers, query: req.query as Record<string, unknown>, body: req.body as Record<string, unknown>, outcome: 'accepted' };
    requests.push(r);
    return r;
  };
  const scriptedReply = (platform: Recorded['platform'], r: Recorded, res: express.Response): boolean => {
    const s = scripted[platform]!.shift();
    if (!s) return false;
    r.outcome = `scripted_${s.status}`;
    res.status(s.status).json(s.body);
    return true;
  };
  /** ms since the user's last message, or null when the test never declared one */
  const silentFor = (platform: 'messenger' | 'zalo', userId: string | undefined): number | null => {
    const at = userId === undefined ? undefined : lastInbound.get(`${platform}:${userId}`);
    return at === undefined ? null : now() - at;
  };
  const graphError = (res: express.Response, r: Recorded, code: number, subcode: number | undefined, message: string) => {
    r.outcome = subcode === undefined ? String(code) : `${code}/${subcode}`;
    res.status(400).json({ error: { message, type: 'OAuthException', code, ...(subcode === undefined ? {} : { error_subcode: subcode }), fbtrace_id: `fake-${++mid}` } });
  };
  const zaloError = (res: express.Response, r: Recorded, code: number, message: string) => {
    r.outcome = String(code);
    res.json({ error: code, message });
  };

  app.post('/graph/v25.0/me/messages', (req, res) => {
    const r = record('messenger', req);
    if (scriptedReply('messenger', r, res)) return;
    const body = req.body as { recipient?: { id?: string }; messaging_type?: string; tag?: string; message?: { template?: unknown } };
    const recipient = body.recipient?.id;
    const silent = silentFor('messenger', recipient);
    const outsideWindow = '(#10) This message is sent outside of allowed window.';
    if (body.messaging_type === 'UTILITY') {
      if (!isUtilityTemplate(body.message?.template)) return graphError(res, r, 100, undefined, '(#100) Invalid parameter');
    } else if (body.messaging_type === 'MESSAGE_TAG') {
      if (body.tag !== undefined && DEAD_TAGS.has(body.tag)) return graphError(res, r, 100, undefined, '(#100) Tag is no longer supported');
      if (body.tag !== 'HUMAN_AGENT') return graphError(res, r, 100, undefined, '(#100) Invalid tag');
      if (silent !== null && silent >= 7 * DAY) return graphError(res, r, 10, 2018278, outsideWindow);
    } else if (silent !== null && silent >= 24 * HOUR) {
      return graphError(res, r, 10, 2018278, outsideWindow);
    }
    res.json({ recipient_id: recipient, message_id: `m_fake_${++mid}` });
  });
  app.post('/zalo/v3.0/oa/message/cs', (req, res) => {
    const r = record('zalo', req);
    if (scriptedReply('zalo', r, res)) return;
    if (zaloToken !== null && req.get('access_token') !== zaloToken) return zaloError(res, r, -216, 'Access token is invalid');
    const userId = (req.body as { recipient?: { user_id?: string } }).recipient?.user_id;
    const silent = silentFor('zalo', userId);
    if (silent !== null && silent >= 7 * DAY) return zaloError(res, r, -230, 'User has not interacted with the OA in the past 7 days');
    res.json({ error: 0, message: 'Success', data: { message_id: `z_fake_${++mid}`, user_id: userId } });
  });
  app.post('/zns/message/template', (req, res) => {
    const r = record('zalo-zns', req);
    if (scriptedReply('zalo-zns', r, res)) return;
    if (zaloToken !== null && req.get('access_token') !== zaloToken) return zaloError(res, r, -124, 'Access token is invalid');
    const body = req.body as { phone?: unknown; template_id?: unknown; template_data?: unknown };
    if (typeof body.phone !== 'string' || !/^84\d{9,10}$/.test(body.phone)) return zaloError(res, r, -108, 'Phone number is invalid');
    if (typeof body.template_id !== 'string' || typeof body.template_data !== 'object' || body.template_data === null) return zaloError(res, r, -201, 'Parameters are invalid');
    res.json({ error: 0, message: 'Success', data: { msg_id: `zns_fake_${++mid}`, sent_time: String(Date.now()), quota: { dailyQuota: '500', remainingQuota: '499' } } });
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
    znsBase: `${base}/zns`,
    requests,
    sent: (platform) => requests.filter((r) => r.platform === platform),
    accepted: (platform) => requests.filter((r) => r.platform === platform && r.outcome === 'accepted'),
    failNext(platform, ...replies) {
      scripted[platform]!.push(...replies);
    },
    userWrote(platform, userId, at = now()) {
      lastInbound.set(`${platform}:${userId}`, at);
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

/** A Utility template as Meta takes it: a name, a language code, and body components of text parameters. */
function isUtilityTemplate(t: unknown): boolean {
  if (typeof t !== 'object' || t === null) return false;
  const { name, language, components } = t as { name?: unknown; language?: { code?: unknown }; components?: unknown };
  if (typeof name !== 'string' || name === '' || typeof language?.code !== 'string') return false;
  if (components === undefined) return true;
  return Array.isArray(components) && components.every((c: { type?: unknown; parameters?: unknown }) => typeof c.type === 'string' && Array.isArray(c.parameters));
}
