import { loadFlowRegistry, type FlowRegistry, type Translator } from '../../../src/conversation';
import { payloadText } from '../../../src/conversation/commands';
import { readChoice, type OfferedChoice } from '../../../src/conversation/inputs';
import { findDate, findTime } from '../../../src/conversation/inputs/date';
import { findPhone } from '../../../src/conversation/inputs/phone';
import { isSkip, parseYesNo } from '../../../src/conversation/inputs/yes-no';
import { findTrackingCode } from '../../../src/shared/tracking-codes';
import { chat, FLOWS_DIR, NOW, texts, translator } from './helpers';

const text = (t: string) => ({ type: 'text' as const, text: t });

describe('days and times as people say them', () => {
  // NOW is Monday 2 March 2026
  it.each([
    ['thứ 5', '2026-03-05'],
    ['thu 5 tuan sau nhe', '2026-03-12'],
    ['thứ năm tuần sau', '2026-03-12'],
    ['t5 nhé', '2026-03-05'],
    ['mai em qua', '2026-03-03'],
    ['ngày kia', '2026-03-04'],
    ['ngay 10/3 duoc ko', '2026-03-10'],
    ['chủ nhật', '2026-03-08'],
  ])('"%s" is %s', (said, iso) => {
    expect(findDate(said, NOW)).toBe(iso);
  });

  it('when a sentence names no day, then none is made up', () => {
    expect(findDate('em muốn đặt lịch', NOW)).toBeNull();
    expect(findDate('mất 15 ngày', NOW)).toBeNull();
    expect(findDate('ngày 8 giờ', NOW)).toBeNull();
  });

  it('when only the day of the month is said ("ngày 8", "mùng 10"), then it is the next day with that number', () => {
    expect(findDate('lịch ngày 8', NOW)).toBe('2026-03-08');
    expect(findDate('mùng 2', NOW)).toBe('2026-03-02');
    // the 1st has passed on 2 March: the coming 1st is in April
    expect(findDate('cai ngay 1', NOW)).toBe('2026-04-01');
  });

  it('when a day and month without a year are long past, then they are next year ("5/1" said in December)', () => {
    const december = Date.parse('2026-12-07T09:00:00+07:00');
    expect(findDate('5/1', december)).toBe('2027-01-05');
    expect(findDate('ngày 5 tháng 1', december)).toBe('2027-01-05');
    // last month is still last month: a petition says when something happened
    expect(findDate('20/11', december)).toBe('2026-11-20');
  });

  it.each([
    ['9h30 sáng', 570],
    ['2 giờ chiều', 840],
    ['14:00', 840],
    ['14h', 840],
    ['9 giờ rưỡi', 570],
    ['thu 5 luc 9h30', 570],
  ])('"%s" is %i minutes after midnight', (said, minutes) => {
    expect(findTime(said)).toEqual({ minutes });
  });

  it('when only the part of the day is said, then that part is kept', () => {
    expect(findTime('buổi chiều')).toEqual({ period: 'afternoon' });
    expect(findTime('sáng mai')).toEqual({ period: 'morning' });
    expect(findTime('thứ 5')).toBeNull();
  });
});

describe('phone numbers, skips and yes/no inside sentences', () => {
  it('when a number is said in a sentence, then it is taken out; two different numbers are not guessed between', () => {
    expect(findPhone('sdt em la 0912 345 678')).toBe('+84912345678');
    expect(findPhone('gọi 0987.654.321 giúp em ạ')).toBe('+84987654321');
    expect(findPhone('+84 912 345 678')).toBe('+84912345678');
    expect(findPhone('0912345678 hoac 0987654321')).toBeNull();
    expect(findPhone('ko co sdt a')).toBeNull();
  });

  it.each(['không có ảnh', 'ko co sdt a', 'em không có ảnh ạ', 'bỏ qua nhé', 'không cần', 'ko muon de ten', 'khong co gi', 'e ko chup dc anh', 'chưa chụp được ảnh'])('"%s" skips an optional step', (said) => {
    expect(isSkip(said)).toBe(true);
  });

  it.each(['không hài lòng vì chờ lâu', 'thôn 3', 'Nguyễn Văn Không', '0912345678'])('"%s" is an answer, not a skip', (said) => {
    expect(isSkip(said)).toBe(false);
  });

  it.each(['có', 'ừ', 'uk', 'ok', 'oke', 'dạ', 'vâng', 'được', 'đúng rồi', 'đồng ý', 'yes', 'dạ vâng ạ', 'ok nhé', 'em đồng ý', 'ok dc', 'đúng rồi đặt đi'])('"%s" is a yes', (said) => {
    expect(parseYesNo(said)).toBe(true);
  });

  it.each(['không', 'ko', 'k', 'hông', 'thôi', 'chưa', 'không đồng ý', 'no', 'không ạ', 'thôi không', 'ko ko'])('"%s" is a no', (said) => {
    expect(parseYesNo(said)).toBe(false);
  });
});

describe('payloads and codes typed as text', () => {
  it('when a message is a payload, with or without "#", then it is read as the payload; words are not', () => {
    expect(payloadText('MENU_PETITION')).toBe('MENU_PETITION');
    expect(payloadText('#CONSENT_YES')).toBe('CONSENT_YES');
    expect(payloadText('RATE_SERVICE:PA-7K3M9')).toBe('RATE_SERVICE:PA-7K3M9');
    for (const word of ['OK', 'CCCD', 'menu', 'Đồng ý']) expect(payloadText(word)).toBeUndefined();
  });

  it('when a code is typed alone, in lower case, without its dash or inside a sentence, then it is found', () => {
    expect(findTrackingCode('PA-DTJXU')).toBe('PA-DTJXU');
    expect(findTrackingCode('LH-1208-EZTP')).toBe('LH-1208-EZTP');
    expect(findTrackingCode('cho hỏi hồ sơ pa7k3m9 của em')).toBe('pa7k3m9');
    expect(findTrackingCode('lh 1208 eztp')).toBe('lh 1208 eztp');
    expect(findTrackingCode('paris hello')).toBeNull();
  });
});

describe('choices read the ways people answer', () => {
  const consent: OfferedChoice[] = [
    { title: 'Đồng ý', payload: 'CONSENT_YES', value: true },
    { title: 'Không đồng ý', payload: 'CONSENT_NO', value: false },
  ];
  const days: OfferedChoice[] = [
    { title: 'Thứ Ba, 03/03/2026', payload: '2026-03-03' },
    { title: 'Thứ Năm, 05/03/2026', payload: '2026-03-05' },
  ];
  const slots: OfferedChoice[] = [
    { title: '7h30-8h30', payload: '2026-03-05T07:30' },
    { title: '9h30-10h30', payload: '2026-03-05T09:30' },
    { title: '13h30-14h30', payload: '2026-03-05T13:30' },
  ];

  it('when a yes or a no is typed at a choice whose values are true and false, then it picks that choice', () => {
    expect(readChoice(text('uk'), consent)?.payload).toBe('CONSENT_YES');
    expect(readChoice(text('ok ạ'), consent)?.payload).toBe('CONSENT_YES');
    expect(readChoice(text('ko'), consent)?.payload).toBe('CONSENT_NO');
  });

  it('when a day is said, then the offered day it names is picked', () => {
    expect(readChoice(text('thứ 5 nhé'), days, NOW)?.payload).toBe('2026-03-05');
    expect(readChoice(text('mai'), days, NOW)?.payload).toBe('2026-03-03');
    expect(readChoice(text('chủ nhật'), days, NOW)).toBeNull();
  });

  it('when a time is said, then the slot that holds it is picked, else the nearest, and "chiều" the first afternoon one', () => {
    expect(readChoice(text('9h30 sáng'), slots)?.payload).toBe('2026-03-05T09:30');
    expect(readChoice(text('10 giờ'), slots)?.payload).toBe('2026-03-05T09:30');
    expect(readChoice(text('8h45'), slots)?.payload).toBe('2026-03-05T09:30');
    expect(readChoice(text('chiều'), slots)?.payload).toBe('2026-03-05T13:30');
  });

  it('when a keyword of one choice is said, then that choice is picked; a keyword two choices share picks none', () => {
    const service: OfferedChoice[] = [
      { title: 'Hộ tịch', payload: 'SERVICE_CIVIL', keywords: ['khai sinh', 'ket hon'] },
      { title: 'Chứng thực', payload: 'SERVICE_CERTIFY', keywords: ['sao y', 'hop dong'] },
      { title: 'Đất đai', payload: 'SERVICE_LAND', keywords: ['dat', 'hop dong'] },
    ];
    expect(readChoice(text('làm khai sinh'), service)?.payload).toBe('SERVICE_CIVIL');
    expect(readChoice(text('chứng thực hợp đồng'), service)?.payload).toBe('SERVICE_CERTIFY');
    expect(readChoice(text('hợp đồng'), service)).toBeNull();
  });

  it('when a keyword of several words is said with a word or two between, then that choice is picked', () => {
    const trips: OfferedChoice[] = [
      { title: 'Không lần nào', payload: 'TRIPS_0', keywords: ['khong lan nao', 'khong phai di lai'] },
      { title: '1 lần', payload: 'TRIPS_1', keywords: ['1 lan', 'mot lan'] },
    ];
    expect(readChoice(text('không phải đi lần nào'), trips)?.payload).toBe('TRIPS_0');
    // three words between is no longer the same phrase
    expect(readChoice(text('không biết là đi mấy lần nào'), trips)).toBeNull();
  });
});

describe('typed answers in the bundled flows', () => {
  let t: Translator;
  let reg: FlowRegistry;
  beforeAll(async () => {
    t = await translator();
    reg = loadFlowRegistry(FLOWS_DIR);
  });

  it('when a Zalo tap on the menu arrives as its payload text, then the flow starts instead of "chưa hiểu"', () => {
    const c = chat(() => reg, () => t);
    c.say('xin chào');
    const r = c.send({ type: 'text', text: 'MENU_PETITION' });
    expect(texts(r)).toContain('dữ liệu cá nhân');
    expect(texts(r)).not.toContain('chưa hiểu');
  });

  it('when a stale payload that starts nothing is typed, then it is never searched as a question', () => {
    const c = chat(() => reg, () => t);
    c.say('xin chào');
    const r = c.send({ type: 'text', text: 'KIND_FEEDBACK' });
    expect(r.effects).toEqual([]);
    expect(texts(r)).toContain('tin nhắn cũ');
  });

  it('when a petition in progress gets "không có ảnh" at the photo question, then the photo is skipped and the petition goes on', () => {
    const c = chat(() => reg, () => t);
    c.send({ type: 'postback', payload: 'MENU_PETITION' });
    c.send({ type: 'postback', payload: 'CONSENT_YES' });
    c.send({ type: 'action_result', action: 'consent.record', ok: true, data: { version: '2026-01', recordedAt: NOW } });
    c.say('phản ánh');
    c.say('môi trường');
    c.say('thôn 2');
    c.say('Cống đầu thôn 2 tắc cả tháng nay, nước tràn ra đường.');
    const r = c.say('không có ảnh');
    expect(texts(r)).toContain('vị trí');
    expect(c.state!.vars).toMatchObject({ photo: null, village: 'thôn 2' });
  });
});

describe('slips of the thumb', () => {
  const kinds: OfferedChoice[] = [
    { title: 'Phản ánh', payload: 'KIND_FEEDBACK' },
    { title: 'Kiến nghị', payload: 'KIND_PROPOSAL' },
  ];
  it('when a choice is typed with a doubled, missing or swapped letter, then it is still that choice', () => {
    expect(readChoice(text('phan anhh'), kinds)?.payload).toBe('KIND_FEEDBACK');
    expect(readChoice(text('kien nghiu'), kinds)?.payload).toBe('KIND_PROPOSAL');
    expect(readChoice(text('kine nghi'), kinds)?.payload).toBe('KIND_PROPOSAL');
  });
  it('when a word is two slips off or short, then it is not guessed', () => {
    expect(readChoice(text('phan ah'), kinds)).toBeNull();
    expect(readChoice(text('kin ngh'), kinds)).toBeNull();
  });
  it('when "thu5" is typed without its space, then it is Thursday', () => {
    expect(findDate('thu5', NOW)).toBe('2026-03-05');
  });
});
