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

/**
 * A local stand-in for the Graph API on 127.0.0.1: records every request and answers with the replies
 * queued, in order. Tests assert the exact JSON that went over the wire.
 */
export async function startFakeGraphApi() {
  const requests: RecordedRequest[] = [];
  const replies: FakeReply[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), body: raw === '' ? undefined : JSON.parse(raw) });
      const reply = replies.shift() ?? { status: 500, body: { error: { message: 'fake Graph API: no reply queued', code: 1 } } };
      if (reply.hangUp) {
        req.socket.destroy();
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (res.destroyed) return;
        res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body ?? {}));
      }, reply.delayMs ?? 0);
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
