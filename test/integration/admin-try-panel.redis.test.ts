import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { createMemoryStores } from '../../src/store/memory';
import { startConsoleApp } from '../helpers/console-app';
import { deleteKeys, uniquePrefix } from '../helpers/redis';

const ADMIN_TOKEN = 'try-panel-admin-token-0123456789';
const mainMenu = readFileSync(join(__dirname, '../../flows/main-menu.yaml'), 'utf8');
const LIVE_GREETING = 'Kính chào ông/bà!';
const DRAFT_GREETING = 'Xin kính chào bà con (bản nháp)!';

// A draft of the lookup flow that files a case: the panel must not really file it.
const filingDraft = `
id: lookup
title: { vi: Tra cứu hồ sơ, en: Check a case }
triggers:
  - keywords: [gui thu nghiem]
steps:
  - id: file
    call: case.create
    args: { kind: feedback, content: "Đường liên thôn bị sạt lở." }
    save: created
  - id: check
    branch:
      - if: { var: created.ok, equals: true }
        goto: filed
    else: failed
  - id: filed
    say: "Đã tiếp nhận, mã hồ sơ: {{created.data.code}}"
    next: done
  - id: failed
    say: "Không gửi được."
  - id: done
    say: "Cảm ơn ông/bà."
`;

type Reply = { kind: string; text: string; choices?: { title: string; payload: string }[] };

describe('the flow editor\'s try panel', () => {
  let prefix: string;
  let stores: ReturnType<typeof createMemoryStores>;
  let consoleApp: Awaited<ReturnType<typeof startConsoleApp>>;

  beforeAll(async () => {
    prefix = uniquePrefix();
    stores = createMemoryStores();
    consoleApp = await startConsoleApp({ prefix, adminToken: ADMIN_TOKEN, stores });
  });

  afterAll(async () => {
    await consoleApp.close();
    await deleteKeys(prefix);
  });

  const tryTurn = (flowId: string, body: object) => request(consoleApp.url).post(`/admin/api/flows/${flowId}/try`).set('Authorization', `Bearer ${ADMIN_TOKEN}`).send(body);

  it('when the admin types "xin chao" to a draft with a new greeting, then the draft answers, and the live flow, the flow store and the conversations are untouched', async () => {
    const draft = mainMenu.replace(LIVE_GREETING, DRAFT_GREETING);
    expect(draft).not.toBe(mainMenu);
    const res = await tryTurn('main-menu', { source: draft, state: null, input: { type: 'text', text: 'xin chao' } });
    expect(res.status).toBe(200);
    const replies = res.body.replies as Reply[];
    expect(replies.map((r) => r.text).join('\n')).toContain(DRAFT_GREETING);
    expect(replies.map((r) => r.text).join('\n')).not.toContain(LIVE_GREETING);
    const choices = replies.flatMap((r) => r.choices ?? []);
    expect(choices.map((c) => c.payload)).toContain('MENU_PROCEDURES');

    // Tapping a button continues the same chat, from the state the panel sent back.
    const procedures = choices.find((c) => c.payload === 'MENU_PROCEDURES')!;
    const next = await tryTurn('main-menu', { source: draft, state: res.body.state, input: { type: 'text', text: procedures.title, payload: procedures.payload }, seq: 2 });
    expect(next.status).toBe(200);
    expect((next.body.replies as Reply[]).length).toBeGreaterThan(0);

    const live = await request(consoleApp.url).get('/admin/api/flows/main-menu').set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(live.body.source).toContain(LIVE_GREETING);
    expect(live.body.history).toEqual([]);
    expect(await stores.flows.history('main-menu')).toEqual([]);
    expect(await stores.conversations.get('console:try-panel')).toBeNull();
    expect(await stores.conversations.countMessagesByDay({ since: 0, until: Date.now() + 86_400_000 })).toEqual([]);
  });

  it('when the draft files a case, then the panel says it is a trial, the flow gets a made-up code, and no case exists', async () => {
    const res = await tryTurn('lookup', { source: filingDraft, state: null, input: { type: 'text', text: 'gui thu nghiem' } });
    expect(res.status).toBe(200);
    const replies = res.body.replies as Reply[];
    expect(replies).toContainEqual({ kind: 'trial-action', action: 'case.create', text: expect.stringContaining('Thử nghiệm: không ghi thật') });
    expect(replies.map((r) => r.text)).toContain('Đã tiếp nhận, mã hồ sơ: THU-NGHIEM');
    expect((await stores.cases.list({})).cases).toEqual([]);
  });

  it('when the draft is not a valid flow, then 400 names the problem and nothing runs', async () => {
    const res = await tryTurn('main-menu', { source: mainMenu.replace('    next: menu', '    next: [menu'), state: null, input: { type: 'text', text: 'xin chao' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.problems[0].message).toMatch(/line \d+/);
    const otherId = await tryTurn('lookup', { source: mainMenu, state: null, input: { type: 'text', text: 'xin chao' } });
    expect(otherId.status).toBe(400);
    expect(JSON.stringify(otherId.body)).toContain('main-menu');
    const badState = await tryTurn('main-menu', { source: mainMenu, state: 'x', input: { type: 'text', text: 'xin chao' } });
    expect(badState.status).toBe(400);
  });
});
