import { parseHandoffCommand } from '../../../../src/civic/handoff/handoff-chat';

describe('reading an official’s hand-off command', () => {
  test.each([
    ['NHANHT HT-7K3M9', { kind: 'take', code: 'HT-7K3M9' }],
    ['nhanht ht7k3m9', { kind: 'take', code: 'HT-7K3M9' }],
    ['Nhận HT 7K3M9 nhé', { kind: 'take', code: 'HT-7K3M9' }],
    ['KT HT-7K3M9', { kind: 'end', code: 'HT-7K3M9' }],
    ['kết thúc ht-7k3m9', { kind: 'end', code: 'HT-7K3M9' }],
    ['TL HT-7K3M9 Chào ông, tôi đã xem.', { kind: 'reply', code: 'HT-7K3M9', text: 'Chào ông, tôi đã xem.' }],
    ['trả lời ht-7k3m9 Vâng', { kind: 'reply', code: 'HT-7K3M9', text: 'Vâng' }],
    ['TL HT-12 xin chào', { kind: 'reply', code: null, text: 'xin chào' }],
    ['DSHT', { kind: 'list' }],
  ])('when an official types "%s", then it is that command', (typed, expected) => {
    expect(parseHandoffCommand(typed)).toMatchObject(expected);
  });

  test.each(['NHAN PA-7K3M9', 'kết thúc', 'ket thuc', 'tl', 'Chào ông', 'nhận được rồi cảm ơn'])('when "%s" is typed, then it is no hand-off command (a case command, the citizen’s word, or chat)', (typed) => {
    expect(parseHandoffCommand(typed)).toBeNull();
  });
});
