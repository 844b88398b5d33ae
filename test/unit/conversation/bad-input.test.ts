import { loadFlowRegistry, type FlowRegistry, type Translator } from '../../../src/conversation';
import { chat, FLOWS_DIR, texts, translator } from './helpers';

let t: Translator;
let reg: FlowRegistry;
beforeAll(async () => {
  t = await translator();
  reg = loadFlowRegistry(FLOWS_DIR);
});
const menuPayloads = ['MENU_PROCEDURES', 'MENU_PETITION', 'MENU_BOOK', 'MENU_LOOKUP', 'MENU_OFFICIAL'];
const lastChoices = (r: { replies: { type: string }[] }) => {
  const m = r.replies.at(-1) as { choices?: { payload: string }[] } | undefined;
  return m?.choices?.map((c) => c.payload);
};

describe('bad input never goes unanswered', () => {
  it('when the message is emoji only, then a polite short answer and the menu', () => {
    const c = chat(() => reg, () => t);
    c.say('chào');
    const r = c.say('🙏🙏');
    expect(texts(r)).toContain('Dạ vâng');
    expect(lastChoices(r)).toEqual(menuPayloads);
  });

  it('when a sticker is sent, then thanks and the menu', () => {
    const c = chat(() => reg, () => t);
    c.say('chào');
    const r = c.send({ type: 'attachments', attachments: [{ kind: 'sticker', ref: '369239263222822' }] });
    expect(texts(r)).toContain('Cảm ơn');
    expect(lastChoices(r)).toEqual(menuPayloads);
  });

  it('when a message is over 2,000 characters, then it is not searched and the person is asked to shorten it', () => {
    const c = chat(() => reg, () => t);
    c.say('chào');
    const r = c.say('làm giấy khai sinh '.repeat(150));
    expect(r.effects).toEqual([]);
    expect(texts(r)).toContain('2000');
  });

  it('when zero-width characters and NFD hide inside a keyword, then it still matches', () => {
    const c = chat(() => reg, () => t);
    c.say('chào');
    const r = c.say('Tra\u200B cứu hồ sơ'.normalize('NFD'));
    // the lookup flow starts by reading a code in the sentence itself
    expect(r.effects.map((e) => e.action)).toEqual(['case.lookup']);
  });

  it('when NFD and NFC forms of one answer arrive, then the stored answer is the same', () => {
    const a = chat(() => reg, () => t);
    const b = chat(() => reg, () => t);
    for (const c of [a, b]) c.send({ type: 'postback', payload: 'MENU_LOOKUP' });
    a.say('HL-Hòa');
    b.say('HL-Hòa'.normalize('NFD'));
    expect(a.state!.vars).toEqual(b.state!.vars);
  });

  it('when an old quick reply for a question no longer asked is tapped, then the person is told and the open question is asked again', () => {
    const c = chat(() => reg, () => t);
    c.send({ type: 'postback', payload: 'MENU_PETITION' });
    c.send({ type: 'text', text: 'Đồng ý', payload: 'CONSENT_YES' });
    c.send({ type: 'action_result', action: 'consent.record', ok: true });
    c.send({ type: 'text', text: 'Phản ánh', payload: 'KIND_FEEDBACK' });
    const r = c.send({ type: 'text', text: 'Đồng ý', payload: 'CONSENT_YES' });
    expect(texts(r)).toContain('câu hỏi trước');
    expect(texts(r)).toContain('lĩnh vực');
    expect((c.state!.wait as { tries: number }).tries).toBe(0);
  });

  it('when an old main-menu button is tapped mid-flow, then that flow starts (a change of mind)', () => {
    const c = chat(() => reg, () => t);
    c.send({ type: 'postback', payload: 'MENU_LOOKUP' });
    const r = c.send({ type: 'postback', payload: 'MENU_BOOK' });
    expect(texts(r)).toContain('dữ liệu cá nhân');
  });

  it('when an old button is tapped with no flow open, then the person is told and offered the menu', () => {
    const c = chat(() => reg, () => t);
    c.say('chào');
    const r = c.send({ type: 'postback', payload: 'SLOT_MORNING' });
    expect(texts(r)).toContain('tin nhắn cũ');
    expect(lastChoices(r)).toEqual(menuPayloads);
  });

  it('when a closed question gets a message naming another topic, then that topic starts', () => {
    const c = chat(() => reg, () => t);
    c.send({ type: 'postback', payload: 'RATE_SERVICE' });
    const r = c.say('cho tôi tra cứu hồ sơ');
    expect(r.effects).toEqual([{ action: 'case.lookup', args: { text: 'cho tôi tra cứu hồ sơ', locale: 'vi' } }]);
  });

  it('when three wrong answers are given, then the menu or an official is offered and the flow ends', () => {
    const c = chat(() => reg, () => t);
    c.send({ type: 'postback', payload: 'RATE_SERVICE' });
    c.say('hmm');
    c.say('hmm');
    const r = c.say('hmm');
    expect(lastChoices(r)).toEqual(['CMD_MENU', 'MENU_OFFICIAL']);
    expect(c.state!.frames).toEqual([]);
  });

  it('when the language changes mid-question, then the question is asked again in that language', () => {
    const c = chat(() => reg, () => t);
    c.send({ type: 'postback', payload: 'MENU_LOOKUP' });
    const r = c.say('english');
    expect(texts(r)).toContain('case or appointment code');
    expect(c.state!.locale).toBe('en');
    expect(texts(c.say('ab'))).toContain('at least 4 characters');
  });
});
