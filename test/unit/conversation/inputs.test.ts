import { parseCccd } from '../../../src/conversation/inputs/cccd';
import { parseDate } from '../../../src/conversation/inputs/date';
import { parseNumber } from '../../../src/conversation/inputs/number';
import { parsePhone } from '../../../src/conversation/inputs/phone';
import { parseYesNo } from '../../../src/conversation/inputs/yes-no';
import { readAnswer } from '../../../src/conversation/inputs';

describe('parsePhone', () => {
  it.each([
    ['0912345678', '+84912345678'],
    ['091 234 5678', '+84912345678'],
    ['091.234.5678', '+84912345678'],
    ['+84 912 345 678', '+84912345678'],
    ['84912345678', '+84912345678'],
    ['0356789012', '+84356789012'],
    ['(070) 123-4567', '+84701234567'],
    ['0812345678', '+84812345678'],
    ['0512345678', '+84512345678'],
  ])('when %s is typed, then it becomes %s', (input, e164) => {
    expect(parsePhone(input)).toBe(e164);
  });

  it.each(['02373 123 456', '0112345678', '091234567', '09123456789', 'abc', '+1 415 555 0100'])('when %s is typed, then it is not a mobile number', (input) => {
    expect(parsePhone(input)).toBeNull();
  });
});

describe('parseCccd', () => {
  it('when 12 digits with a valid province code are typed with spaces, then the digits are kept', () => {
    expect(parseCccd('038 1 90 123456')).toBe('038190123456');
  });
  it.each(['03819012345', '0381901234567', '000190123456', '999190123456', '03819O123456'])('when %s is typed, then it is refused', (v) => {
    expect(parseCccd(v)).toBeNull();
  });
});

describe('parseNumber', () => {
  it('reads Vietnamese notation', () => {
    expect(parseNumber('5')).toBe(5);
    expect(parseNumber('2,5')).toBe(2.5);
    expect(parseNumber('1.000')).toBe(1000);
    expect(parseNumber('năm')).toBeNull();
  });
});

describe('parseYesNo', () => {
  it.each(['có', 'Co', 'đồng ý', 'Vâng', 'ok', 'yes'])('when "%s", then yes', (v) => expect(parseYesNo(v)).toBe(true));
  it.each(['không', 'ko', 'k', 'No', 'từ chối'])('when "%s", then no', (v) => expect(parseYesNo(v)).toBe(false));
  it('when something else, then neither', () => expect(parseYesNo('có lẽ mai')).toBeNull());
});

describe('parseDate in Asia/Ho_Chi_Minh whatever the server TZ', () => {
  // Monday 2 March 2026 at 23:30 in Vietnam is still Monday 16:30 UTC; 00:30 Tuesday in Vietnam is Monday 17:30 UTC
  const mondayLate = Date.parse('2026-03-02T23:30:00+07:00');
  const tuesdayEarly = Date.parse('2026-03-03T00:30:00+07:00');

  it('when "hôm nay" is said just after midnight in Vietnam, then it is the Vietnamese day, not the UTC one', () => {
    expect(parseDate('hôm nay', tuesdayEarly)).toBe('2026-03-03');
    expect(parseDate('hôm nay', mondayLate)).toBe('2026-03-02');
  });

  it.each([
    ['mai', '2026-03-03'],
    ['ngày mai', '2026-03-03'],
    ['Ngay mai', '2026-03-03'],
    ['ngày kia', '2026-03-04'],
    ['thứ 2 tuần sau', '2026-03-09'],
    ['thứ hai tuần sau', '2026-03-09'],
    ['T6 tuần sau', '2026-03-13'],
    ['chủ nhật', '2026-03-08'],
    ['thứ 2', '2026-03-09'],
    ['thứ 4', '2026-03-04'],
    ['thứ 5 tuần này', '2026-03-05'],
    ['next monday', '2026-03-09'],
    ['tomorrow', '2026-03-03'],
    ['05/03/2026', '2026-03-05'],
    ['5-3-2026', '2026-03-05'],
    ['5/3', '2026-03-05'],
    ['29/02/2028', '2028-02-29'],
    ['ngày 5 tháng 3 năm 2026', '2026-03-05'],
  ])('when "%s" is said on Monday 2/3/2026, then %s', (text, iso) => {
    expect(parseDate(text, mondayLate)).toBe(iso);
  });

  it.each(['31/02/2026', '29/02/2026', '00/01/2026', 'hôm qua nữa', 'abc'])('when "%s", then no date', (text) => {
    expect(parseDate(text, mondayLate)).toBeNull();
  });

  it('when the process TZ is far from Vietnam, then the answer is the same', () => {
    const saved = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      expect(parseDate('mai', tuesdayEarly)).toBe('2026-03-04');
    } finally {
      process.env.TZ = saved;
    }
  });
});

describe('readAnswer', () => {
  const text = (t: string) => ({ type: 'text' as const, text: t });
  it('when a text answer holds only emoji or zero-width characters, then it is refused as empty', () => {
    expect(readAnswer({ type: 'text' }, text('😀👍'), [], 0)).toMatchObject({ ok: false, reason: 'engine.invalid.empty' });
    expect(readAnswer({ type: 'text' }, text('\u200B\u200B'), [], 0)).toMatchObject({ ok: false, reason: 'engine.invalid.empty' });
  });
  it('when a text answer is over 2,000 characters, then it is refused as too long', () => {
    expect(readAnswer({ type: 'text' }, text('a'.repeat(2001)), [], 0)).toMatchObject({ ok: false, reason: 'engine.invalid.too_long' });
  });
  it('when NFD text is answered, then it is stored NFC', () => {
    const r = readAnswer({ type: 'text' }, text('Thôn Phú Lộc'.normalize('NFD')), [], 0);
    expect(r).toEqual({ ok: true, value: 'Thôn Phú Lộc'.normalize('NFC') });
  });
  it('when a sticker answers a text question, then it is refused', () => {
    expect(readAnswer({ type: 'text' }, { type: 'attachments', attachments: [{ kind: 'sticker', ref: '1' }] }, [], 0).ok).toBe(false);
  });
  it('when a choice is typed without diacritics or by number, then it is picked', () => {
    const offered = [
      { title: 'Đất đai', payload: 'CAT_LAND' },
      { title: 'Môi trường', payload: 'CAT_ENV' },
    ];
    expect(readAnswer({ type: 'choice' }, text('moi truong'), offered, 0)).toMatchObject({ ok: true, value: 'CAT_ENV' });
    expect(readAnswer({ type: 'choice' }, text('1'), offered, 0)).toMatchObject({ ok: true, value: 'CAT_LAND' });
    expect(readAnswer({ type: 'choice' }, text('3'), offered, 0).ok).toBe(false);
  });
  it('when an optional question is skipped in words, then null is saved', () => {
    expect(readAnswer({ type: 'phone', optional: true }, text('bỏ qua'), [], 0)).toEqual({ ok: true, value: null });
  });
  it('when a location or an image is sent, then it is kept', () => {
    expect(readAnswer({ type: 'location' }, { type: 'location', lat: 19.9, lng: 105.9 }, [], 0)).toEqual({ ok: true, value: { lat: 19.9, lng: 105.9 } });
    expect(readAnswer({ type: 'image' }, { type: 'attachments', attachments: [{ kind: 'image', url: 'https://x/y.jpg' }] }, [], 0)).toEqual({ ok: true, value: 'https://x/y.jpg' });
  });
  it('when a contact card is shared for a phone question, then its number is used', () => {
    expect(readAnswer({ type: 'phone' }, { type: 'contact', phone: '0912 345 678' }, [], 0)).toEqual({ ok: true, value: '+84912345678' });
  });
  it('when a number is outside its range, then the range is explained', () => {
    expect(readAnswer({ type: 'number', min: 1, max: 5 }, text('7'), [], 0)).toMatchObject({ ok: false, reason: 'engine.invalid.out_of_range' });
  });
});
