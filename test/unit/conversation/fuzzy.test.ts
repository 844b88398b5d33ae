import { join } from 'node:path';
import { loadFlowRegistry } from '../../../src/conversation';
import { containsNearly, oneSlip } from '../../../src/conversation/fuzzy';
import { matchKeyword } from '../../../src/conversation/triggers';
import { foldText } from '../../../src/shared/text-fold';
import { FLOWS_DIR } from './helpers';

const words = (s: string): string[] => foldText(s).split(' ');

describe('slips of the thumb in trigger keywords', () => {
  test.each([
    ['thatt', 'that'],
    ['boo', 'bo'],
    ['lichj', 'lich'],
    ['nguoii', 'nguoi'],
    ['nhgi', 'nghi'],
    ['hon', 'hon'],
  ])('when "%s" is typed for "%s", then it is one slip', (typed, meant) => {
    expect(oneSlip(typed, meant)).toBe(true);
  });

  test.each([
    ['nhat', 'that'],
    ['dat', 'bat'],
    ['xanh', 'nhanh'],
    ['hanh', 'nhanh'],
  ])('when "%s" differs from "%s" at its first letter, then it is another word, not a slip', (typed, meant) => {
    expect(oneSlip(typed, meant)).toBe(false);
  });

  it('when a phrase is looked for, then a slip inside a word is forgiven and a different first letter is not', () => {
    expect(containsNearly(words('gap nguoi thatt di'), words('người thật'))).toBe(true);
    expect(containsNearly(words('gap can boo'), words('gặp cán bộ'))).toBe(true);
    expect(containsNearly(words('ket hon voi chong nguoi nhat'), words('người thật'))).toBe(false);
  });

  it('when the bundled flows read a message, then "nguoi thatt" reaches an official and a Japanese husband does not', () => {
    const index = loadFlowRegistry(join(FLOWS_DIR)).triggers();
    expect(matchKeyword(index, foldText('cho em gap nguoi thatt'))?.flowId).toBe('official');
    expect(matchKeyword(index, foldText('gap can boo'))?.flowId).toBe('official');
    expect(matchKeyword(index, foldText('kết hôn với chồng người Nhật'))?.flowId).not.toBe('official');
  });
});
