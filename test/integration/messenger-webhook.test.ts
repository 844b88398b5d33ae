import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createMessengerRouter, createMessengerSender, signMessengerBody } from '../../src/channels/messenger';
import type { InboundEvent } from '../../src/channels/types';
import { silentLogger } from '../../src/shared/logger';
import { startFakeGraphApi } from '../unit/channels/messenger/fake-graph-api';
import { rawFixture } from '../unit/channels/messenger/fixtures';

// The Messenger channel end to end on real sockets: Meta's signed POST reaches the webhook on port 0,
// the accepted events are answered through the sender, and the fake Graph API records what went out.

const APP_SECRET = 'integration-app-secret';
const TOKEN = 'EAAIntegrationPageToken';

let graph: Awaited<ReturnType<typeof startFakeGraphApi>>;
let server: Server;
let webhookUrl: string;
let accepted: InboundEvent[];

beforeEach(async () => {
  graph = await startFakeGraphApi();
  accepted = [];
  const config = { appSecret: APP_SECRET, verifyToken: 'verify', pageAccessToken: TOKEN, apiBase: graph.apiBase };
  const app = express();
  app.use(createMessengerRouter(config, { accept: async (events) => void accepted.push(...events), log: silentLogger }));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/messenger`;
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await graph.close();
});

function deliver(name: string): Promise<Response> {
  const raw = rawFixture(name);
  return fetch(webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMessengerBody(raw, APP_SECRET) },
    body: raw,
  });
}

describe('Messenger webhook to Send API', () => {
  it('when Meta delivers a batch, then each person gets the reply to each message, in timestamp order', async () => {
    const res = await deliver('batched.json');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('EVENT_RECEIVED');

    const sender = createMessengerSender({ appSecret: APP_SECRET, verifyToken: 'verify', pageAccessToken: TOKEN, apiBase: graph.apiBase }, { log: silentLogger });
    for (const event of accepted) {
      graph.reply({ status: 200, body: { recipient_id: event.userId, message_id: `out-${event.id}` } });
      const said = event.content.type === 'text' ? event.content.payload ?? event.content.text : event.content.type;
      await sender.send(event.userId, { type: 'text', text: `Đã nhận: ${said}` });
    }

    expect(graph.requests.map((r) => [r.query.access_token, r.body])).toEqual([
      [TOKEN, { recipient: { id: '24157396829103845' }, messaging_type: 'RESPONSE', message: { text: 'Đã nhận: BOOK' } }],
      [TOKEN, { recipient: { id: '7203958146620183' }, messaging_type: 'RESPONSE', message: { text: 'Đã nhận: referral' } }],
      [TOKEN, { recipient: { id: '24157396829103845' }, messaging_type: 'RESPONSE', message: { text: 'Đã nhận: Xin chào' } }],
      [TOKEN, { recipient: { id: '24157396829103845' }, messaging_type: 'RESPONSE', message: { text: 'Đã nhận: Tôi cần giấy xác nhận cư trú' } }],
    ]);
  });

  it('when Meta delivers the same body twice, then the event ids repeat so the queue can drop the copy', async () => {
    await deliver('postback-without-mid.json');
    await deliver('postback-without-mid.json');
    expect(accepted).toHaveLength(2);
    expect(accepted[0]!.id).toMatch(/^h:/);
    expect(accepted[1]!.id).toBe(accepted[0]!.id);
  });

  it('when a body is tampered with on the way, then 401 and nothing is accepted', async () => {
    const raw = rawFixture('text-vietnamese.json');
    const res = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMessengerBody(raw, APP_SECRET) },
      body: raw.toString('utf8').replace('khai sinh', 'khai tu'),
    });
    // No error middleware here: express's own handler answers with AppError's status.
    expect(res.status).toBe(401);
    expect(accepted).toEqual([]);
  });
});
