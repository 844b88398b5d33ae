import { petitionContent, petitionTypeInSentence, petitionTypeName } from '../../../../src/civic/cases';
import { legacyPetitionType } from '../../../../src/store/ports/cases';

describe('petition types', () => {
  test('when a type is named, then Vietnamese says phản ánh or kiến nghị and English feedback or proposal', () => {
    expect([petitionTypeName('feedback', 'vi'), petitionTypeName('proposal', 'vi')]).toEqual(['Phản ánh', 'Kiến nghị']);
    expect([petitionTypeName('feedback', 'en'), petitionTypeName('proposal', 'en')]).toEqual(['Feedback', 'Proposal']);
    expect(petitionTypeInSentence('proposal')).toBe('kiến nghị');
  });

  test('when an old case leads with "[Kiến nghị] " or "[Phản ánh] ", then its type comes from the lead and the shown content drops it', () => {
    expect(legacyPetitionType('[Kiến nghị] Đề nghị lắp đèn đường.')).toBe('proposal');
    expect(legacyPetitionType('[Phản ánh] Đường hỏng.')).toBe('feedback');
    expect(legacyPetitionType('Đường hỏng, không có lời dẫn.')).toBe('feedback');
    expect(petitionContent({ content: '[Kiến nghị] Đề nghị lắp đèn đường.\nĐịa điểm: gần chợ' })).toBe('Đề nghị lắp đèn đường.\nĐịa điểm: gần chợ');
    expect(petitionContent({ content: '[Phản ánh] Người dân yêu cầu gặp cán bộ (HT-1).' })).toBe('Người dân yêu cầu gặp cán bộ (HT-1).');
  });

  test('when a citizen writes brackets of their own, then only a leading type lead is dropped, nothing else', () => {
    expect(petitionContent({ content: 'Đường [đoạn qua thôn 2] bị ngập. [Kiến nghị] sửa cống.' })).toBe('Đường [đoạn qua thôn 2] bị ngập. [Kiến nghị] sửa cống.');
    expect(petitionContent({ content: '[Khác] Nội dung.' })).toBe('[Khác] Nội dung.');
  });
});
