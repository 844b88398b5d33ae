import { expandShorthand, undoInputMethod } from '../../../../src/civic/procedures/citizen-typing';

describe('citizen typing', () => {
  test.each([
    ['sinhf', 'sinh'],
    ['vieejt', 'viet'],
    ['ddang', 'dang'],
    ['hoonf', 'hon'],
    ['kha1i', 'khai'],
    ['thucj', 'thuc'],
  ])('when Telex or VNI keystrokes were left in "%s", then the word is "%s"', (typed, meant) => {
    expect(undoInputMethod(typed)).toBe(meant);
  });

  test('when a word has no input-method leftovers, then nothing changes', () => {
    expect(undoInputMethod('sinh')).toBeNull();
    expect(undoInputMethod('tru')).toBeNull();
    expect(undoInputMethod('xac')).toBeNull();
  });

  test('chat shorthand is expanded in place', () => {
    expect(expandShorthand(['lam', 'gks', 'dc', 'ko'])).toEqual(['lam', 'giay', 'khai', 'sinh', 'duoc', 'khong']);
    expect(expandShorthand(['ck', 'vk', 'cccd'])).toEqual(['chong', 'vo', 'can', 'cuoc', 'cong', 'dan']);
  });
});
