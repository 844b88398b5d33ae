import { MAX_BUTTON_TEXT, MAX_TEXT, MAX_TITLE, lengthOf, splitText, truncateTitle } from '../../../../src/channels/messenger/text-limits';

const FAMILY = '👨‍👩‍👧‍👦'; // one grapheme, 11 UTF-16 units
const graphemesOf = (s: string) => [...new Intl.Segmenter('vi', { granularity: 'grapheme' }).segment(s)].map((g) => g.segment);

describe('lengthOf', () => {
  it('when Vietnamese arrives decomposed, then it counts as its NFC form', () => {
    const decomposed = 'Đăng ký'.normalize('NFD');
    expect(decomposed.length).toBeGreaterThan(7);
    expect(lengthOf(decomposed)).toBe(7);
  });

  it('when text has emoji, then it counts in UTF-16 units as Meta does: two for 🙏, eleven for a family', () => {
    expect(lengthOf('🙏')).toBe(2);
    expect(lengthOf(FAMILY)).toBe(11);
    expect(lengthOf('Cảm ơn 🙏')).toBe(9);
  });
});

describe('truncateTitle', () => {
  it('when a title fits in 20, then it is unchanged', () => {
    expect(truncateTitle('Khai sinh')).toBe('Khai sinh');
  });

  it('when a title is longer, then it is cut at a word with an ellipsis, 20 at most', () => {
    const t = truncateTitle('Đăng ký khai sinh cho con');
    expect(t).toBe('Đăng ký khai sinh…');
    expect(lengthOf(t)).toBeLessThanOrEqual(20);
  });

  it('when a long title has no space near the end, then it is cut hard at 19 plus the ellipsis', () => {
    expect(truncateTitle('Xácnhậntìnhtrạnghônnhân')).toBe('Xácnhậntìnhtrạnghôn…');
  });
});

describe('splitText', () => {
  it('when text fits, then one piece, NFC', () => {
    expect(splitText('Chào bạn'.normalize('NFD'))).toEqual(['Chào bạn']);
  });

  it('when text is too long, then pieces within the limit that break at paragraphs and keep every word', () => {
    const para = (n: number) => `Đoạn ${n}: ${'thủ tục hành chính '.repeat(20).trim()}.`;
    const text = [1, 2, 3, 4, 5].map(para).join('\n\n');
    const pieces = splitText(text, 1000);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(lengthOf(p)).toBeLessThanOrEqual(1000);
    expect(pieces.every((p) => p.startsWith('Đoạn'))).toBe(true);
    expect(pieces.join('\n\n')).toBe(text);
  });

  it('when a piece has no separator at all, then it is cut hard without splitting a code point', () => {
    const pieces = splitText('🙏'.repeat(5), 5);
    expect(pieces).toEqual(['🙏🙏', '🙏🙏', '🙏']);
  });

  it('when a line has no paragraph break, then it breaks after a sentence', () => {
    expect(splitText('Mang CCCD. Mang sổ hộ khẩu bản gốc.', 20)).toEqual(['Mang CCCD.', 'Mang sổ hộ khẩu bản', 'gốc.']);
  });
});

describe('near the limits, with emoji and Vietnamese', () => {
  it('when a text of 1,980 code points holds 63 emoji (2,043 UTF-16 units), then it goes in two pieces that each fit', () => {
    const steps = Array.from({ length: 63 }, (_, i) => `Bước ${i % 10} xong 🙏`).join(' ');
    const text = [...`${steps} ${'ghi chú thêm '.repeat(200)}`].slice(0, 1980).join('').trimEnd().padEnd(2043, 'x');
    expect([...text]).toHaveLength(1980);
    expect(text.length).toBe(2043);
    const pieces = splitText(text);
    expect(pieces.length).toBe(2);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(MAX_TEXT);
    expect(pieces.join(' ')).toBe(text);
  });

  it('when a text is exactly 1,999 units with emoji, then it is one piece; at 2,000 it is two', () => {
    const fits = `${'🙏'.repeat(999)}a`;
    expect(fits.length).toBe(1999);
    expect(splitText(fits)).toEqual([fits]);
    const over = `${'🙏'.repeat(1000)}`;
    const pieces = splitText(over);
    expect(pieces.map((p) => p.length)).toEqual([1998, 2]);
    expect(pieces.join('')).toBe(over);
  });

  it('when Vietnamese arrives decomposed (NFD) and is 1,999 units once composed, then it is one NFC piece', () => {
    const nfc = 'Đăng ký thường trú. '.repeat(100).slice(0, 1999);
    expect(nfc.length).toBe(1999);
    const nfd = nfc.normalize('NFD');
    expect(nfd.length).toBeGreaterThan(2000);
    expect(splitText(nfd)).toEqual([nfc]);
  });

  it('when a long text has no space, then no hard cut tears a family emoji or a letter from its marks', () => {
    const text = `${FAMILY}ệ`.repeat(400);
    const pieces = splitText(text.normalize('NFD'));
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(MAX_TEXT);
      expect(graphemesOf(p).every((g) => g === FAMILY || g === 'ệ')).toBe(true);
    }
    expect(pieces.join('')).toBe(text);
  });

  it('when a button template text is over 640 units because of emoji, then the pieces fit 640', () => {
    const text = '⚠️ Mang CCCD bản gốc. '.repeat(40);
    expect([...text].length).toBeLessThan(1000);
    for (const p of splitText(text, MAX_BUTTON_TEXT)) expect(p.length).toBeLessThanOrEqual(MAX_BUTTON_TEXT);
  });

  it('when a quick-reply title has emoji, then it is cut to 20 units between graphemes', () => {
    const t = truncateTitle('🏠 Đăng ký thường trú');
    expect(t.length).toBeLessThanOrEqual(MAX_TITLE);
    expect(t).toBe('🏠 Đăng ký thường…');
    const families = truncateTitle(FAMILY.repeat(2));
    expect(families).toBe(`${FAMILY}…`);
    expect(truncateTitle('🙏'.repeat(10))).toBe('🙏'.repeat(10));
    expect(truncateTitle('🙏'.repeat(11))).toBe(`${'🙏'.repeat(9)}…`);
    expect(truncateTitle('Xác nhận tình trạng hôn nhân'.normalize('NFD')).length).toBeLessThanOrEqual(MAX_TITLE);
  });
});
