import { FlowRegistry, loadFlowRegistry, step, type Translator } from '../../../src/conversation';
import { chat, event, FLOWS_DIR, NOW, texts, translator } from './helpers';

const V1 = `
id: survey
title: Khảo sát
triggers:
  - payload: START_SURVEY
steps:
  - id: q1
    ask: Câu hỏi một?
    input: { type: text }
    save: a1
  - id: q2
    ask: Câu hỏi hai (bản 1)?
    input: { type: text }
    save: a2
  - id: bye
    end: "Cảm ơn: {{a1}} / {{a2}}"
`;
const V2 = `
id: survey
title: Khảo sát
triggers:
  - payload: START_SURVEY
steps:
  - id: q1
    ask: Câu hỏi một (bản 2)?
    input: { type: text }
    save: a1
  - id: bye
    end: "Bản 2 cảm ơn: {{a1}}"
`;

let t: Translator;
let bundled: FlowRegistry;
beforeAll(async () => {
  t = await translator();
  bundled = loadFlowRegistry(FLOWS_DIR);
});

describe('step is deterministic (invariant 6)', () => {
  it('when the same registry, state, event and time are given twice, then the results are identical', () => {
    const c = chat(() => bundled, () => t);
    c.send({ type: 'postback', payload: 'MENU_PETITION' });
    const before = JSON.stringify(c.state);
    const e = event({ type: 'text', text: 'Đồng ý' });
    const a = step(bundled, c.state, e, { now: NOW, t });
    const b = step(bundled, JSON.parse(before), e, { now: NOW, t });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(c.state)).toBe(before); // the input state is not mutated
  });

  it('when the engine runs, then it reads neither the clock nor the random generator', () => {
    const now = jest.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('Date.now called');
    });
    const rnd = jest.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random called');
    });
    try {
      const c = chat(() => bundled, () => t);
      c.send({ type: 'follow' });
      c.send({ type: 'postback', payload: 'MENU_BOOK' });
      c.send({ type: 'text', text: 'Đồng ý', payload: 'CONSENT_YES' });
      c.send({ type: 'action_result', action: 'consent.record', ok: true });
      c.send({ type: 'text', text: 'Hộ tịch', payload: 'SERVICE_CIVIL' });
      // The booking flow offers the open days the action found (it no longer parses a typed date).
      c.send({ type: 'action_result', action: 'appointment.days', ok: true, data: { items: [{ id: '2026-03-09', title: 'Thứ Hai, 09/03/2026' }] } });
      expect(texts(c.say('Thứ Hai, 09/03/2026'))).toBe('');
      const slots = { items: [{ id: '2026-03-09T07:30', title: '7h30-8h30' }] };
      expect(texts(c.send({ type: 'action_result', action: 'appointment.slots', ok: true, data: slots }))).toContain('mấy giờ');
    } finally {
      now.mockRestore();
      rnd.mockRestore();
    }
  });

  it('when the state is saved as JSON and read back, then the conversation continues the same', () => {
    const c = chat(() => bundled, () => t);
    c.send({ type: 'postback', payload: 'MENU_LOOKUP' });
    c.state = JSON.parse(JSON.stringify(c.state));
    const r = c.say('HL-2026-000001');
    expect(r.effects).toEqual([{ action: 'case.lookup', args: { code: 'HL-2026-000001', locale: 'vi' } }]);
  });
});

describe('flow versions (invariant 7)', () => {
  it('when v2 removes a step while a conversation is on v1, then that conversation finishes on v1 and a new one gets v2', () => {
    const v1 = FlowRegistry.empty().withVersion('survey', V1, 1);
    const old = chat(() => v1, () => t);
    old.send({ type: 'postback', payload: 'START_SURVEY' });
    expect(texts(old.say('một'))).toContain('Câu hỏi hai (bản 1)?');

    const v2 = v1.withVersion('survey', V2);
    expect(v2.latest('survey')?.version).toBe(2);
    expect(texts(old.say('hai', v2))).toContain('Cảm ơn: một / hai');

    const fresh = chat(() => v2, () => t);
    expect(texts(fresh.send({ type: 'postback', payload: 'START_SURVEY' }))).toContain('Câu hỏi một (bản 2)?');
    expect(texts(fresh.say('x'))).toContain('Bản 2 cảm ơn: x');
  });

  it('when a published version has the same number as the file version, then a conversation on the file version keeps it', () => {
    const fileOnly = FlowRegistry.empty().withVersion('survey', V1, 1);
    const c = chat(() => fileOnly, () => t);
    c.send({ type: 'postback', payload: 'START_SURVEY' });
    const published = fileOnly.withVersion('survey', V2, 1);
    expect(published.latest('survey')?.rev).not.toBe(fileOnly.latest('survey')?.rev);
    expect(texts(c.say('một', published))).toContain('Câu hỏi hai (bản 1)?');
  });

  it('when the version a conversation was on is gone, then the bot apologises and offers the menu', () => {
    const c = chat(() => bundled, () => t);
    c.send({ type: 'postback', payload: 'MENU_LOOKUP' });
    const frames = (c.state!.frames as { rev: string; version: number }[]);
    frames[0].rev = 'deadbeef';
    frames[0].version = 99;
    const r = c.say('HL-1');
    expect(texts(r)).toContain('vừa được cập nhật');
    expect(r.replies.at(-1)).toMatchObject({ choices: expect.arrayContaining([{ title: 'Thủ tục hành chính', payload: 'MENU_PROCEDURES' }]) });
  });

  it('when loadFlowRegistry gets stored versions, then the newest stored one is used for new conversations', () => {
    const reg = loadFlowRegistry(FLOWS_DIR, [{ flowId: 'main-menu', version: 2, source: V1.replace('id: survey', 'id: main-menu').replace('START_SURVEY', 'CMD_MENU') }]);
    expect(reg.latest('main-menu')?.version).toBe(2);
    expect(reg.versions('main-menu')).toHaveLength(2);
  });
});

describe('actions', () => {
  it('when a call step runs, then an effect is emitted and nothing is replied until the result comes', () => {
    const c = chat(() => bundled, () => t);
    const r = c.send({ type: 'postback', payload: 'MENU_PROCEDURES' });
    expect(r.replies).toEqual([]);
    expect(r.effects).toEqual([{ action: 'procedure.list', args: { locale: 'vi' } }]);
  });

  it('when an action result arrives that nobody awaits, then the step is rejected and nothing changes', () => {
    const c = chat(() => bundled, () => t);
    c.say('xin chào');
    const r = step(bundled, c.state, event({ type: 'action_result', action: 'case.create', ok: true }), { now: NOW, t });
    expect(r).toEqual({ kind: 'rejected', reason: 'no case.create result is awaited' });
  });

  it('when an action result arrives for a conversation the store lost (restart of an in-memory store), then the person gets an apology and the menu, not silence', () => {
    const r = step(bundled, null, event({ type: 'action_result', action: 'procedure.find', ok: true, data: { matches: [], confident: false } }), { now: NOW, t });
    expect(r.kind).toBe('advanced');
    const all = JSON.stringify(r.kind === 'advanced' ? r.replies : []);
    expect(all).toContain('khởi động lại');
    expect(all).toContain('MENU_PROCEDURES');
  });

  it('when "hủy" is typed while an action is pending, then the conversation starts over and a late result is rejected', () => {
    const c = chat(() => bundled, () => t);
    c.send({ type: 'postback', payload: 'MENU_PROCEDURES' });
    expect(texts(c.say('Hủy'))).toContain('Đã hủy');
    const late = step(bundled, c.state, event({ type: 'action_result', action: 'procedure.list', ok: true }), { now: NOW, t });
    expect(late.kind).toBe('rejected');
  });

  it('when an action never answers, then after two minutes a new message is handled afresh', () => {
    const c = chat(() => bundled, () => t);
    c.send({ type: 'postback', payload: 'MENU_PROCEDURES' });
    const later = step(bundled, c.state, event({ type: 'text', text: 'chào' }), { now: NOW + 3 * 60_000, t });
    expect(later.kind === 'advanced' && texts(later)).toContain('Kính chào');
  });
});

describe('unfollow', () => {
  it('when the person unfollows, then the flow is dropped silently', () => {
    const c = chat(() => bundled, () => t);
    c.send({ type: 'postback', payload: 'MENU_LOOKUP' });
    const r = c.send({ type: 'unfollow' });
    expect(r.replies).toEqual([]);
    expect(c.state!.frames).toEqual([]);
  });
});

describe('a link with a ref (m.me ?ref=, QR code, Get Started after a link)', () => {
  it('when the ref is a procedure id, then the procedures flow asks to explain that procedure, and its explanation follows an introduction', () => {
    const c = chat(() => bundled, () => t);
    const r = c.send({ type: 'referral', ref: 'khai-sinh', source: 'SHORTLINK' });
    expect(r.effects).toEqual([{ action: 'procedure.explain', args: { id: 'khai-sinh', locale: 'vi' } }]);
    const shown = c.send({ type: 'action_result', action: 'procedure.explain', ok: true, data: { id: 'khai-sinh', name: 'Đăng ký khai sinh', summary: 'Giấy tờ cần mang: Tờ khai.' } });
    expect(texts(shown)).toContain('trợ lý tự động');
    expect(texts(shown)).toContain('"Đăng ký khai sinh"');
    expect(texts(shown)).toContain('Giấy tờ cần mang: Tờ khai.');
  });

  it('when the ref names no procedure, then the greeting and the menu', () => {
    const c = chat(() => bundled, () => t);
    c.send({ type: 'referral', ref: 'poster-2019' });
    const r = c.send({ type: 'action_result', action: 'procedure.explain', ok: false, code: 'PROCEDURE_NOT_FOUND' });
    expect(texts(r)).toContain('Cảm ơn ông/bà đã nhắn tin');
    expect(texts(r)).toContain('cần hỗ trợ việc gì');
  });

  it('when the ref is a flow trigger payload, then that flow starts, dropping what was in progress', () => {
    const c = chat(() => bundled, () => t);
    c.send({ type: 'postback', payload: 'MENU_PETITION' });
    const r = c.send({ type: 'referral', ref: 'MENU_LOOKUP' });
    expect(r.effects).toEqual([]);
    expect((c.state as { frames: { flow: string }[] }).frames.map((f) => f.flow)).toEqual(['lookup']);
  });

  it('when no flow has a referral trigger, then an unknown ref gets the first-contact flow', () => {
    const reg = FlowRegistry.empty()
      .withVersion('survey', V1, 1)
      .withVersion('hello', 'id: hello\ntitle: Chào\ntriggers:\n  - event: first_contact\nsteps:\n  - id: hi\n    end: Xin chào!\n', 1);
    const r = step(reg, null, event({ type: 'referral', ref: 'anything' }), { now: NOW, t });
    expect(r.kind === 'advanced' && texts(r)).toBe('Xin chào!');
    const started = step(reg, null, event({ type: 'referral', ref: 'START_SURVEY' }), { now: NOW, t });
    expect(started.kind === 'advanced' && texts(started)).toContain('Câu hỏi một?');
  });

  it('when words a person of the Page typed reach the engine, then it refuses them: they are not for the flows', () => {
    const r = step(bundled, null, event({ type: 'page_reply', text: 'Chào anh' }), { now: NOW, t });
    expect(r).toEqual({ kind: 'rejected', reason: 'a page reply is not for the flows' });
  });
});
