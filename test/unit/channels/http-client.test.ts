import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPlatformHttp, platformHttp } from '../../../src/channels/http-client';

describe('the platform HTTP client', () => {
  let server: http.Server;
  let base: string;
  let connections: number;
  const bodies: unknown[] = [];

  beforeEach(async () => {
    connections = 0;
    bodies.length = 0;
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url === '/moved') return void res.writeHead(302, { location: '/elsewhere' }).end();
        bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"message_id":"m1"}');
      });
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('when a turn sends three replies one after another, then they share one kept-alive connection and arrive in order', async () => {
    const client = createPlatformHttp();
    for (const text of ['một', 'hai', 'ba']) {
      const res = await client.post(`${base}/me/messages`, { message: { text } }, { timeout: 2_000 });
      expect(res.data).toEqual({ message_id: 'm1' });
    }
    expect(bodies).toEqual([{ message: { text: 'một' } }, { message: { text: 'hai' } }, { message: { text: 'ba' } }]);
    expect(connections).toBe(1);
  });

  it('when the API answers with a redirect, then it is not followed: the answer is the redirect', async () => {
    const res = await createPlatformHttp().post(`${base}/moved`, {}, { validateStatus: () => true });
    expect(res.status).toBe(302);
    expect(bodies).toHaveLength(0);
  });

  it('when a platform client is asked for twice, then it is the same one', () => {
    expect(platformHttp('messenger')).toBe(platformHttp('messenger'));
    expect(platformHttp('zalo')).not.toBe(platformHttp('messenger'));
  });
});
