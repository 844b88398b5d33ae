import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** the JSON body as it arrived on the wire */
  body: unknown;
}

export interface FakeReply {
  status: number;
  body?: object;
  /** hold the answer this long */
  delayMs?: number;
  /** drop the connection instead of answering */
  hangUp?: boolean;
}

interface SentMessage {
  text?: string;
  quick_replies?: { title?: string; payload?: string }[];
  attachment?: { payload?: { text?: string; buttons?: { title?: string; payload?: string }[] } };
}

/**
 * What Meta refuses as final (code 100) in a Send API body: its limits counted as its servers count
 * them, in UTF-16 units (a JavaScript string's length). Null when the body fits.
 */
export function sendApiLimitProblem(body: unknown): string | null {
  const message = (body as { message?: SentMessage } | undefined)?.message;
  if (!message) return null;
  const over = (what: string, text: string | undefined, max: number) => (text !== undefined && text.length > max ? `${what} is ${text.length} UTF-16 units, over ${max}` : null);
  const problems = [
    over('message[text]', message.text, 1999),
    ...(message.quick_replies ?? []).flatMap((q) => [over('quick_replies[title]', q.title, 20), over('quick_replies[payload]', q.payload, 1000)]),
    over('template text', message.attachment?.payload?.text, 640),
    ...(message.attachment?.payload?.buttons ?? []).flatMap((b) => [over('buttons[title]', b.title, 20), over('buttons[payload]', b.payload, 1000)]),
  ].filter((p): p is string => p !== null);
  return problems[0] ?? null;
}

/**
 * A local stand-in for the Graph API on 127.0.0.1: records every request and answers with the replies
 * queued, in order; a message over Meta's length limits is refused as Meta refuses it (400, code 100),
 * whatever was queued. Tests assert the exact JSON that went over the wire.
 */
export async function startFakeGraphApi() {
  const requests: RecordedRequest[] = [];
  const replies: FakeReply[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), body: raw === '' ? undefined : JSON.parse(raw) });
      const body: unknown = raw === '' ? undefined : JSON.parse(raw);
      const tooLong = sendApiLimitProblem(body);
      const reply = tooLong
        ? { status: 400, body: { error: { message: `(#100) ${tooLong}`, type: 'OAuthException', code: 100 } } }
        : (replies.shift() ?? { status: 500, body: { error: { message: 'fake Graph API: no reply queued', code: 1 } } });
      if ('hangUp' in reply && reply.hangUp) {
        req.socket.destroy();
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (res.destroyed) return;
        res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body ?? {}));
      }, ('delayMs' in reply ? reply.delayMs : undefined) ?? 0);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiBase: `http://127.0.0.1:${port}/v25.0`,
    requests,
    reply(...r: FakeReply[]) {
      replies.push(...r);
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
