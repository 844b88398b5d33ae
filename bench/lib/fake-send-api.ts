/**
 * A fake Send API in a process of its own (POST <base>/me/messages), lean on purpose (node:http, no
 * express) so that it is never what limits a run. It answers like Meta and records, per recipient
 * and per message index (the "#i" in the reply text), when the first call for it arrived, read with
 * process.hrtime.bigint(): CLOCK_MONOTONIC, the same clock in every process on this machine, so the
 * bench can subtract the time it sent the webhook. For the bundled flows (no "#i" in the replies) it
 * keeps the arrival time of every call per recipient, and, when asked, their texts (calibration).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveIpc, sayReady } from './child-ipc';
import { indexInReply } from './messages';

const firstByRecipient = new Map<string, bigint>();
const firstByIndex = new Map<number, bigint>();
/** every call's arrival, per recipient, in arrival order (kept across resets: the bundled bench counts calls per PSID) */
const callsByRecipient = new Map<string, bigint[]>();
/** texts per recipient, kept only while `keepTexts` is on */
const textsByRecipient = new Map<string, string[]>();
let keepTexts = false;
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
      if (recipient) {
        const list = callsByRecipient.get(recipient);
        if (list) list.push(at);
        else callsByRecipient.set(recipient, [at]);
        if (keepTexts) textsByRecipient.set(recipient, [...(textsByRecipient.get(recipient) ?? []), String(text ?? JSON.stringify(body.message))]);
      }
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
      /** arrival times (ns as strings) of every call to each PSID asked for */
      calls: (msg: Record<string, unknown>) => (msg.psids as string[]).map((p) => (callsByRecipient.get(p) ?? []).map(String)),
      /** how many calls each PSID asked for received */
      callCounts: (msg: Record<string, unknown>) => (msg.psids as string[]).map((p) => callsByRecipient.get(p)?.length ?? 0),
      keepTexts: (msg: Record<string, unknown>) => (keepTexts = msg.on === true),
      texts: (msg: Record<string, unknown>) => textsByRecipient.get(String(msg.psid)) ?? [],
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
