import { join } from 'node:path';
import { Redis } from 'ioredis';
import request from 'supertest';
import { loadCatalogue } from '../../src/civic/procedures/catalogue';
import { createRedisProcedureAsks } from '../../src/jobs/procedure-asks';
import { createMemoryStores } from '../../src/store/memory';
import { startConsoleApp } from '../helpers/console-app';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis';

const ADMIN_TOKEN = 'governance-admin-token-0123456789';
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const at = (day: string) => Date.parse(`${day}T09:00:00+07:00`);

describe('GET /admin/api/governance', () => {
  const prefix = uniquePrefix();
  let consoleApp: Awaited<ReturnType<typeof startConsoleApp>>;
  const stores = createMemoryStores();
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  let asks: ReturnType<typeof createRedisProcedureAsks>;

  beforeAll(async () => {
    await stores.officials.upsert({ id: 'dia-chinh-1', name: 'Nguyễn Văn Địa', role: 'official', villages: [], categories: ['land'], onDuty: false, active: true });
    const file = (day: string, village: string) =>
      stores.cases.create({ kind: 'petition', petitionType: 'feedback', category: 'land', village, content: 'x', attachments: [], channel: 'zalo', userId: 'u', status: 'assigned', assigneeId: 'dia-chinh-1', dueAt: at(day) + 10 * 86_400_000, createdAt: at(day), history: [] });
    const answered = await file('2026-03-02', 'Thôn 1');
    await stores.cases.update(answered.id, { status: 'rejected', resolution: { answer: 'Không thuộc thẩm quyền.', by: 'dia-chinh-1', at: at('2026-03-05') } }, { at: at('2026-03-05'), by: 'dia-chinh-1', what: 'rejected' });
    await file('2026-03-03', 'Thôn 1');
    await file('2026-05-03', 'Thôn 2');
    // The chat explained these procedures (main.ts counts them in Redis the same way).
    asks = createRedisProcedureAsks(redis, { prefix });
    await asks.record('ket-hon', at('2026-03-10'));
    await asks.record('ket-hon', at('2026-03-11'));
    await asks.record('khai-sinh', at('2026-03-12'));
    await asks.record('khai-sinh', at('2026-04-01'));
    const catalogue = loadCatalogue(join(__dirname, '../../flows/data/procedures.yaml'));
    consoleApp = await startConsoleApp({ prefix, adminToken: ADMIN_TOKEN, stores, catalogue, askedProcedures: (days) => asks.counts(days) });
  });
  afterAll(async () => {
    await consoleApp.close();
    redis.disconnect();
    await deleteKeys(prefix);
  });

  it('when a period is asked, then the figures cover only it, with officials by name', async () => {
    const r = await request(consoleApp.url).get('/admin/api/governance?from=2026-03-01&to=2026-03-31').set(auth);
    expect(r.status).toBe(200);
    expect(r.body.heatmap).toEqual({ categories: ['land'], villages: ['Thôn 1'], cells: [[0, 0, 2]] });
    expect(r.body.onTime.byOfficial).toEqual([{ key: 'dia-chinh-1', name: 'Nguyễn Văn Địa', role: 'official', closed: 1, onTime: 1, share: 1 }]);
    expect(r.body.asked).toEqual([
      { id: 'ket-hon', name: 'Đăng ký kết hôn', nameEn: 'Marriage registration', count: 2 },
      { id: 'khai-sinh', name: 'Đăng ký khai sinh', nameEn: 'Birth registration', count: 1 },
    ]);
    expect(r.body.months).toEqual([{ month: '2026-03', filed: 2, closed: 1, rejected: 1, ratings: 0, satisfaction: null }]);
  });

  it('when the period runs backwards, is longer than two years or is not a date, then 400 and no figures', async () => {
    for (const q of ['from=2026-03-31&to=2026-03-01', 'from=2020-01-01&to=2026-01-01', 'from=2026-02-30', 'from[$gt]=x']) {
      const r = await request(consoleApp.url).get(`/admin/api/governance?${q}`).set(auth);
      expect([q, r.status, r.body.error?.code]).toEqual([q, 400, 'VALIDATION_FAILED']);
    }
    expect((await request(consoleApp.url).get('/admin/api/governance')).status).toBe(401);
  });
});
