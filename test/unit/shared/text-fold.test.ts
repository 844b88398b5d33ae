import { foldText, normalizeText } from '../../../src/shared/text-fold';

describe('foldText', () => {
  it('when text has diacritics or not, then both fold to the same form', () => {
    expect(foldText('Làm giấy khai sinh cho con')).toBe('lam giay khai sinh cho con');
    expect(foldText('lam giay khai sinh cho con')).toBe('lam giay khai sinh cho con');
  });

  it('when text arrives decomposed (NFD), then it folds like the composed form', () => {
    const nfd = 'Đăng ký kết hôn'.normalize('NFD');
    expect(foldText(nfd)).toBe(foldText('Đăng ký kết hôn'));
    expect(foldText(nfd)).toBe('dang ky ket hon');
  });

  it('when Ð (U+00D0) stands for Đ, zero-width characters or extra spaces appear, then they are ignored', () => {
    expect(foldText('\u00D0ăng\u200B  ký   khai\u00A0sinh!!')).toBe('dang ky khai sinh');
  });

  it('when old and new tone placement differ, then they fold the same', () => {
    expect(foldText('hoà')).toBe(foldText('hòa'));
    expect(foldText('thuỷ')).toBe(foldText('thủy'));
  });
});

describe('normalizeText', () => {
  it('when NFD text is stored, then it becomes NFC', () => {
    expect(normalizeText('Xã Hoa Lộc'.normalize('NFD'))).toBe('Xã Hoa Lộc'.normalize('NFC'));
  });
});
