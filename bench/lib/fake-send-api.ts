/**
 * A fake Send API in a process of its own (POST <base>/me/messages), lean on purpose (node:http, no
 * express) so that it is never what limits a run. It answers like Meta and records, per recipient
 * and per message index (the "#i" in the reply text), when the first call for it arrived, read with
 * process.hrtime.bigint(): CLOCK_MONOTONIC, the same clock in every process on this machine, so the
 * bench can subtract the time it sent the webhook.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveIpc, sayReady } from './child-ipc';
import { indexInReply } from './messages';

const firstByRecipient = new Map<string, bigint>();
const firstByIndex = new Map<number, bigint>();
let calls = 0;
let badCalls = 0;
let mid = 0;

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const at = process.hrtime.bigint();
    if (req.method !== 'POST' || !req.url?.split('?')[0].endsWith('/me/messages')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"unknown path","code":100}}');
      return;
    }
    calls++;
    let recipient: string | undefined;
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { recipient?: { id?: string }; message?: { text?: string } };
      recipient = body.recipient?.id;
      const text = body.message?.text;
      if (recipient && !firstByRecipient.has(recipient)) firstByRecipient.set(recipient, at);
      const index = typeof text === 'string' ? indexInReply(text) : null;
      if (index !== null && !firstByIndex.has(index)) firstByIndex.set(index, at);
    } catch {
      badCalls++;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ recipient_id: recipient, message_id: `m_fake_${++mid}` }));
  });
});
server.keepAliveTimeout = 10_000;

server.listen(0, '127.0.0.1', () => {
  serveIpc(
    {
      stats: () => ({ calls, badCalls, recipients: firstByRecipient.size, indexes: firstByIndex.size }),
      /** recipients with at least one call */
      recipients: () => [...firstByRecipient.keys()],
      /** [index, first arrival ns as a string] */
      indexes: () => [...firstByIndex].map(([i, ns]) => [i, ns.toString()]),
      reset: () => {
        firstByRecipient.clear();
        firstByIndex.clear();
        calls = 0;
        badCalls = 0;
        return true;
      },
    },
    async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  );
  sayReady((server.address() as AddressInfo).port);
});
