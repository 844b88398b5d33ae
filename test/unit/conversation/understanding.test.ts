import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseUnderstanding, readEmergency, readOtherOffice, readProblem, readSmallTalk, type Understanding } from '../../../src/conversation/understanding';

const source = readFileSync(join(__dirname, '../../../flows/data/understanding.yaml'), 'utf8');

function bundled(): Understanding {
  const r = parseUnderstanding(source);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.understanding;
}

describe('understanding word lists', () => {
  const u = bundled();

  it('when an emergency is typed with or without diacritics, then its kind and number are read', () => {
    expect(readEmergency(u, 'nhà hàng xóm đang cháy to lắm cứu với')?.call).toBe('114');
    expect(readEmergency(u, 'co nguoi bi tai nan goi cap cuu giup')?.call).toBe('115');
    expect(readEmergency(u, 'có trộm đang cạy cửa nhà tôi')?.call).toBe('113');
    expect(readEmergency(u, 'vo de roi')?.id).toBe('disaster');
  });

  it('when an ordinary sentence holds an emergency word, then no alarm is raised', () => {
    for (const t of ['cháy hàng rồi', 'khai sinh mất bao lâu', 'tôi muốn đánh giá', 'tôi đang chạy xe', 'chạy chợ mệt quá']) expect(readEmergency(u, t)).toBeUndefined();
  });

  it('when a problem is told in passing, then its category and village are guessed', () => {
    expect(readProblem(u, 'đường thôn 3 bị sụt lún nguy hiểm quá')).toMatchObject({ category: 'infrastructure', village: 'thôn 3' });
    expect(readProblem(u, 'cán bộ xã hách dịch')?.category).toBe('staff_conduct');
    expect(readProblem(u, 'làm giấy khai sinh cần gì')).toBeUndefined();
  });

  it('when another office is named or a thanks is said, then it is read as such', () => {
    expect(readOtherOffice(u, 'đổi bằng lái xe máy ở đâu')?.id).toBe('driving_licence');
    expect(readSmallTalk(u, 'cảm ơn ad nhiều nhé')?.id).toBe('thanks');
    expect(readSmallTalk(u, '👍')?.id).toBe('ok');
  });

  it('when the file is wrong, then every problem is named with its line and nothing is read', () => {
    const r = parseUnderstanding(source.replace('call: "113"', 'call: 113'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]).toMatchObject({ message: expect.stringContaining('emergencies.2.call') as string, line: expect.any(Number) as number });
  });
});
