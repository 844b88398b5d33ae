import { join } from 'node:path';
import { CONSENT_NOTICE_VERSION, createActionHandlers, runAction, type ActionContext } from '../../../src/civic/actions';
import { loadCatalogue } from '../../../src/civic/procedures/catalogue';
import { AppError } from '../../../src/shared/app-error';

const catalogue = loadCatalogue(join(__dirname, '../../../flows/data/procedures.yaml'));
const handlers = createActionHandlers({ catalogue });
const ctx: ActionContext = { channel: 'console', userId: 'u1', conversationKey: 'console:u1', now: 1_767_225_600_000, locale: 'vi' };

describe('civic actions', () => {
  test('procedure.find returns the matches and whether the best one is confident', async () => {
    const result = await runAction(handlers, { action: 'procedure.find', args: { query: 'lam giay khai sinh cho con' } }, ctx);
    expect(result.ok).toBe(true);
    const data = result.data as { matches: { id: string; name: string; score: number }[]; confident: boolean };
    expect(data.matches[0]).toMatchObject({ id: 'khai-sinh', name: 'Đăng ký khai sinh' });
    expect(data.confident).toBe(true);
  });

  test('when procedure.find gets no query string, then it refuses with INVALID_ARGUMENTS', async () => {
    expect(await runAction(handlers, { action: 'procedure.find', args: {} }, ctx)).toMatchObject({ ok: false, code: 'INVALID_ARGUMENTS' });
  });

  test('procedure.explain returns the id, the localized name and the summary', async () => {
    const vi = await runAction(handlers, { action: 'procedure.explain', args: { id: 'ket-hon', locale: 'vi' } }, ctx);
    expect(vi).toMatchObject({ ok: true, data: { id: 'ket-hon', name: 'Đăng ký kết hôn' } });
    expect((vi.data as { summary: string }).summary).toContain('Giấy tờ cần mang');
    const en = await runAction(handlers, { action: 'procedure.explain', args: { id: 'ket-hon', locale: 'en' } }, ctx);
    expect(en).toMatchObject({ ok: true, data: { name: 'Marriage registration' } });
  });

  test('when procedure.explain is asked about one part (a follow-up), then only that part of that procedure is said', async () => {
    const time = await runAction(handlers, { action: 'procedure.explain', args: { id: 'ket-hon', aspect: 'time', locale: 'vi' } }, ctx);
    const summary = (time.data as { summary: string }).summary;
    expect(summary).toMatch(/^Thời gian giải quyết \(Đăng ký kết hôn\): /);
    expect(summary).not.toContain('Giấy tờ cần mang');
    const fee = await runAction(handlers, { action: 'procedure.explain', args: { id: 'ket-hon', aspect: 'fee', locale: 'en' } }, ctx);
    expect((fee.data as { summary: string }).summary).toMatch(/^Fee \(Marriage registration\): /);
    // an unknown part is the whole explanation, never an error
    const odd = await runAction(handlers, { action: 'procedure.explain', args: { id: 'ket-hon', aspect: 'colour', locale: 'vi' } }, ctx);
    expect((odd.data as { summary: string }).summary).toContain('Giấy tờ cần mang');
  });

  test('when the chat explains a procedure in full, then it is counted as asked once; a follow-up about one part, a search or an unknown id is not', async () => {
    const asked: [string, number, string][] = [];
    const counting = createActionHandlers({ catalogue, onProcedureExplained: (id, c) => void asked.push([id, c.now, c.channel]) });
    await runAction(counting, { action: 'procedure.explain', args: { id: 'ket-hon' } }, ctx);
    await runAction(counting, { action: 'procedure.explain', args: { id: 'ket-hon', aspect: 'time' } }, ctx);
    await runAction(counting, { action: 'procedure.find', args: { query: 'khai sinh' } }, ctx);
    await runAction(counting, { action: 'procedure.explain', args: { id: 'lam-ho-chieu' } }, ctx);
    await runAction(counting, { action: 'procedure.explain', args: { id: 'khai-sinh', aspect: 'colour' } }, ctx);
    expect(asked).toEqual([['ket-hon', ctx.now, 'console'], ['khai-sinh', ctx.now, 'console']]);
  });

  test('when procedure.explain has no locale, then the conversation locale is used', async () => {
    const result = await runAction(handlers, { action: 'procedure.explain', args: { id: 'ket-hon' } }, { ...ctx, locale: 'en-US' });
    expect(result.data).toMatchObject({ name: 'Marriage registration' });
  });

  test('when the procedure id is unknown, then PROCEDURE_NOT_FOUND', async () => {
    expect(await runAction(handlers, { action: 'procedure.explain', args: { id: 'lam-ho-chieu' } }, ctx)).toMatchObject({
      ok: false,
      code: 'PROCEDURE_NOT_FOUND',
    });
  });

  test('procedure.list lists every procedure with its localized name and a button label', async () => {
    const result = await runAction(handlers, { action: 'procedure.list', args: { locale: 'en' } }, ctx);
    const items = (result.data as { items: { id: string; name: string; label: string }[] }).items;
    expect(items).toHaveLength(catalogue.procedures.length);
    expect(items).toContainEqual({ id: 'khai-tu', name: 'Death registration', label: 'Death registration' });
  });

  test('when the procedures are listed in Vietnamese, then every label fits a Messenger quick reply and no two look alike', async () => {
    const result = await runAction(handlers, { action: 'procedure.list', args: { locale: 'vi' } }, ctx);
    const items = (result.data as { items: { id: string; name: string; label: string }[] }).items;
    const labels = items.map((i) => i.label);
    for (const label of labels) expect([...label.normalize('NFC')].length).toBeLessThanOrEqual(20);
    expect(new Set(labels).size).toBe(labels.length);
    expect(items.find((i) => i.id === 'chung-thuc-hop-dong')).toMatchObject({ name: 'Chứng thực hợp đồng, giao dịch, di chúc, văn bản phân chia di sản', label: 'Chứng thực hợp đồng' });
  });

  test('when a search finds procedures, then each match carries its short label beside the full name', async () => {
    const result = await runAction(handlers, { action: 'procedure.find', args: { query: 'chứng thực bản sao giấy tờ', locale: 'vi' } }, ctx);
    const matches = (result.data as { matches: { id: string; name: string; label: string }[] }).matches;
    expect(matches[0]).toMatchObject({ id: 'chung-thuc-ban-sao', name: 'Chứng thực bản sao từ bản chính (sao y)', label: 'Chứng thực bản sao' });
    for (const m of matches) expect([...m.label].length).toBeLessThanOrEqual(20);
  });

  test.each(['case.create', 'case.lookup', 'appointment.book', 'handoff.request', 'rating.record'])(
    'when %s is asked for before it exists, then it refuses with SERVICE_NOT_OPEN, never a fake success',
    async (action) => {
      expect(await runAction(handlers, { action, args: {} }, ctx)).toMatchObject({ ok: false, code: 'SERVICE_NOT_OPEN' });
    },
  );

  test('consent.record answers with the time and the consent notice version', async () => {
    expect(await runAction(handlers, { action: 'consent.record', args: {} }, ctx)).toEqual({
      ok: true,
      data: { recordedAt: ctx.now, version: CONSENT_NOTICE_VERSION },
    });
    const custom = createActionHandlers({ catalogue, consentVersion: 'v9' });
    expect((await runAction(custom, { action: 'consent.record' }, ctx)).data).toMatchObject({ version: 'v9' });
  });

  test('when the flow passes the notice version it showed, then that version is recorded', async () => {
    const result = await runAction(handlers, { action: 'consent.record', args: { purpose: 'petition', granted: true, notice_version: '2026-02' } }, ctx);
    expect(result).toEqual({ ok: true, data: { recordedAt: ctx.now, version: '2026-02' } });
  });

  test('when the action name is unknown or inherited from Object, then UNKNOWN_ACTION, without throwing', async () => {
    expect(await runAction(handlers, { action: 'weather.today', args: {} }, ctx)).toMatchObject({ ok: false, code: 'UNKNOWN_ACTION' });
    expect(await runAction(handlers, { action: 'toString', args: {} }, ctx)).toMatchObject({ ok: false, code: 'UNKNOWN_ACTION' });
  });

  test('when a handler throws, then the result carries its code instead of a throw', async () => {
    const failing = {
      'boom.plain': async () => {
        throw new Error('disk on fire');
      },
      'boom.coded': async () => {
        throw new AppError('STORE_UNAVAILABLE');
      },
    };
    expect(await runAction(failing, { action: 'boom.plain', args: {} }, ctx)).toMatchObject({ ok: false, code: 'ACTION_FAILED' });
    expect(await runAction(failing, { action: 'boom.coded', args: {} }, ctx)).toMatchObject({ ok: false, code: 'STORE_UNAVAILABLE' });
  });

  test('when the catalogue is empty, then find finds nothing and explain says not found', async () => {
    const empty = createActionHandlers({ catalogue: { procedures: [] } as unknown as typeof catalogue });
    expect(await runAction(empty, { action: 'procedure.find', args: { query: 'khai sinh' } }, ctx)).toEqual({ ok: true, data: { matches: [], confident: false } });
    expect(await runAction(empty, { action: 'procedure.explain', args: { id: 'khai-sinh' } }, ctx)).toMatchObject({ code: 'PROCEDURE_NOT_FOUND' });
  });
});
