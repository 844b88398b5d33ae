import { findCaseCode } from '../../../src/civic/case-actions';

describe('a case code inside a citizen message', () => {
  it.each([
    ['tra cứu PA-7K3M9', 'PA-7K3M9'],
    ['TRACUU pa7k3m9', 'PA-7K3M9'],
    ['cho tôi tra cứu hồ sơ PA 7K3M9 với', 'PA-7K3M9'],
  ])('when the message is "%s", then the code %s is found', (text, code) => {
    expect(findCaseCode(text)).toBe(code);
  });

  it('when the message holds no code, then nothing is found (and it is not a wrong guess)', () => {
    expect(findCaseCode('tra cứu hồ sơ')).toBeNull();
    expect(findCaseCode('tra cứu giúp tôi với')).toBeNull();
  });
});
