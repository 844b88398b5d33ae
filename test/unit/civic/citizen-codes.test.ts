import { findCode, readCode, readTypedCode } from '../../../src/civic/citizen-codes';

describe('a citizen code typed as people type it', () => {
  it.each([
    ['PA-7K3M9', 'case', 'PA-7K3M9'],
    ['pa 7k3m9', 'case', 'PA-7K3M9'],
    ['LH-1208-EZTP', 'appointment', 'LH-1208-EZTP'],
    ['lh1208eztp', 'appointment', 'LH-1208-EZTP'],
    ['lh 1208 eztp', 'appointment', 'LH-1208-EZTP'],
    ['ht-7k3m9.', 'handoff', 'HT-7K3M9'],
  ])('when the answer is "%s", then it is the %s code %s', (typed, kind, code) => {
    expect(readCode(typed)).toEqual({ kind, code });
  });

  it.each([
    ['cho hỏi lịch LH-1208-EZTP của em', 'appointment', 'LH-1208-EZTP'],
    ['e muon hoi lich hen lh 1208 eztp a', 'appointment', 'LH-1208-EZTP'],
    ['mã:LH-1208-EZTP.', 'appointment', 'LH-1208-EZTP'],
    ['tra cứu PA-7K3M9', 'case', 'PA-7K3M9'],
    ['TRACUU pa 7k3m9', 'case', 'PA-7K3M9'],
    ['hồ sơ (pa7k3m9) tới đâu rồi ạ?', 'case', 'PA-7K3M9'],
    ['yêu cầu HT 7K3M9 của tôi', 'handoff', 'HT-7K3M9'],
    ['ma\u200B PA-7K3M9', 'case', 'PA-7K3M9'],
  ])('when the message is "%s", then the %s code %s is found in it', (text, kind, code) => {
    expect(findCode(text)).toEqual({ kind, code });
  });

  it('when the message holds no code, then nothing is found, whatever words surround it', () => {
    for (const text of ['tra cứu hồ sơ', 'cho hỏi lịch hẹn của em', 'làm căn cước mất bao lâu', 'PA-7K3', 'lh 1208', 'pa 7k3m0']) expect(findCode(text)).toBeNull();
  });

  it('when the answer to "mã hồ sơ hoặc mã lịch hẹn" is a sentence, then the code inside it is read', () => {
    expect(readTypedCode('mã của em là lh-1208-eztp ạ')).toEqual({ kind: 'appointment', code: 'LH-1208-EZTP' });
    expect(readTypedCode('em quên mã rồi')).toBeNull();
  });
});
