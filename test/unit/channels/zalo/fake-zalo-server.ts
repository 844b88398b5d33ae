// A local fake of Zalo's hosts that records each request as it went over the wire. nock 15 is ESM-only and
// cannot be loaded by this jest setup on Node 20, so the HTTP boundary is faked with a real server on loopback.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** the raw body as received */
  body: string;
}

export type ScriptedReply =
  | { status: number; json: unknown; delayMs?: number }
  | { status: number; text: string }
  /** drop the connection without an answer */
  | { destroy: true };

export interface FakeZaloServer {
  /** http://127.0.0.1:<port>, to use as apiBase and oauthBase */
  url: string;
  requests: RecordedRequest[];
  /** queues replies for `path`, used once each, in order; an unscripted request gets 501 */
  script(path: string, ...replies: ScriptedReply[]): void;
  /** replies still queued: empty when every scripted call happened */
  pending(): string[];
  /** a hook run when a request arrives, before its reply (for ordering assertions) */
  onRequest?: (r: RecordedRequest) => void;
  close(): Promise<void>;
}

export async function startFakeZaloServer(): Promise<FakeZaloServer> {
  const queues = new Map<string, ScriptedReply[]>();
  const requests: RecordedRequest[] = [];
  const fake: FakeZaloServer = {
    url: '',
    requests,
    script(path, ...replies) {
      queues.set(path, [...(queues.get(path) ?? []), ...replies]);
    },
    pending: () => [...queues.entries()].flatMap(([path, q]) => q.map(() => path)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0];
      const recorded = { method: req.method ?? '', path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      fake.onRequest?.(recorded);
      const reply = queues.get(path)?.shift();
      if (!reply) {
        res.writeHead(501, { 'content-type': 'application/json' }).end('{"unscripted":true}');
      } else if ('destroy' in reply) {
        req.socket.destroy();
      } else if ('json' in reply) {
        setTimeout(() => res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.json)), reply.delayMs ?? 0);
      } else {
        res.writeHead(reply.status, { 'content-type': 'text/plain' }).end(reply.text);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.url = `http://127.0.0.1:${port}`;
  return fake;
}
