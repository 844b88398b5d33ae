import { lengthOf, splitText, truncateTitle } from '../../../../src/channels/messenger/text-limits';

describe('lengthOf', () => {
  it('when Vietnamese arrives decomposed, then it counts as its NFC code points', () => {
    const decomposed = 'Đăng ký'.normalize('NFD');
    expect(decomposed.length).toBeGreaterThan(7);
    expect(lengthOf(decomposed)).toBe(7);
  });

  it('when text has an emoji outside the BMP, then it counts once', () => {
    expect(lengthOf('🙏')).toBe(1);
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
    const pieces = splitText('🙏'.repeat(5), 2);
    expect(pieces).toEqual(['🙏🙏', '🙏🙏', '🙏']);
  });

  it('when a line has no paragraph break, then it breaks after a sentence', () => {
    expect(splitText('Mang CCCD. Mang sổ hộ khẩu bản gốc.', 20)).toEqual(['Mang CCCD.', 'Mang sổ hộ khẩu bản', 'gốc.']);
  });
});
