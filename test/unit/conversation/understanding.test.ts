import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseUnderstanding, readEmergency, readOtherOffice, readProblem, readSmallTalk, readText, type Understanding } from '../../../src/conversation/understanding';

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

  it('when an emergency word is told of in the past or in a procedure question, then no alarm, unless it says it is happening now', () => {
    expect(readEmergency(u, 'bố em mất năm ngoái do tai nạn giờ làm khai tử')).toBeUndefined();
    expect(readEmergency(u, 'tai nan lao dong thi duoc tro cap the nao')).toBeUndefined();
    expect(readEmergency(u, 'năm ngoái bão làm sập chuồng bò có được hỗ trợ không')).toBeUndefined();
    expect(readEmergency(u, 'năm ngoái nhà tôi cháy một lần, giờ lại đang cháy nữa')?.id).toBe('fire');
    expect(readEmergency(u, 'có người bị tai nạn cần hỗ trợ gấp')?.id).toBe('medical');
  });

  it('when a message is typed in chat shorthand, then it is read with the words written out', () => {
    expect(readText(u, 'bot k hiểu j, ko sửa dc')).toBe('bot khong hieu gi khong sua duoc');
    expect(readProblem(u, 'den duong xom 4 hong lau r ko ai sua')?.category).toBe('infrastructure');
  });

  it('when a short reply has words of politeness around it, then the whole-message reply is still read', () => {
    expect(readSmallTalk(u, 'bye ad')?.id).toBe('goodbye');
    expect(readSmallTalk(u, 'vâng ạ')?.id).toBe('ok');
    expect(readSmallTalk(u, 'chào bạn ơi')?.id).toBe('greeting');
  });

  it('when thanks come with a question, then the question is not answered as small talk', () => {
    expect(readSmallTalk(u, 'cảm ơn ad, cho em hỏi làm khai sinh cần gì')).toBeUndefined();
    expect(readSmallTalk(u, 'cảm ơn ad nhưng em vẫn chưa biết đi làm giấy xác nhận độc thân ở bộ phận nào vậy')).toBeUndefined();
    expect(readSmallTalk(u, 'trả lời nhanh quá, bot xịn thật')?.id).toBe('praise');
  });

  it('when a problem names several topics, then the one named first decides the category', () => {
    expect(readProblem(u, 'rác ở bãi tập kết tràn ra đường cả tuần không thu')?.category).toBe('environment');
    expect(readProblem(u, 'đường làng ngập rác bốc mùi')?.category).toBe('infrastructure');
    expect(readProblem(u, 'mái kè bờ sông bị bong mấy tấm bê tông')?.category).toBe('dykes_disasters');
  });

  it('when a problem is told to ask for a procedure, then it is not offered as a petition', () => {
    expect(readProblem(u, 'hàng xóm lấn ranh đất muốn xã hòa giải')).toBeUndefined();
    expect(readProblem(u, 'hàng xóm lấn ranh đất nhà tôi')?.category).toBe('land');
  });

  it('when a word without its marks means something common, then it does not make a problem', () => {
    // "công bằng" is not "cống", "đến" is not "đèn", "cảm ơn" is not "ồn", "cho em hỏi" is not "hôi"
    expect(readProblem(u, 'xét hộ cận nghèo ở thôn không công bằng')?.category).toBe('social_policy');
    expect(readProblem(u, 'đến giờ làm việc mà không thấy cán bộ nào ngồi bàn một cửa')?.category).toBe('staff_conduct');
    expect(readProblem(u, 'cam on ad, cho em hoi duong nao ra xa')).toBeUndefined();
  });

  it('when a list would undo another, then the file is refused with the reason', () => {
    const calmFire = parseUnderstanding(source.replace('calm: [', 'calm: [cháy nhà, '));
    expect(calmFire.ok).toBe(false);
    if (!calmFire.ok) expect(calmFire.problems.map((p) => p.message)).toContainEqual(expect.stringContaining('calm: "cháy nhà" is also an emergency phrase'));
    const shortFire = parseUnderstanding(source.replace('shorthand: { ', 'shorthand: { cn: cháy nhà, '));
    expect(shortFire.ok).toBe(false);
    const fillerOk = parseUnderstanding(source.replace('fillers: [', 'fillers: [ok, '));
    expect(fillerOk.ok).toBe(false);
    if (!fillerOk.ok) expect(fillerOk.problems.map((p) => p.message)).toContainEqual(expect.stringContaining('fillers: "ok" is a whole reply'));
    const twoWords = parseUnderstanding(source.replace('shorthand: { ', 'shorthand: { "k k": không, '));
    expect(twoWords.ok).toBe(false);
  });

  it('when the file is wrong, then every problem is named with its line and nothing is read', () => {
    const r = parseUnderstanding(source.replace('call: "113"', 'call: 113'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]).toMatchObject({ message: expect.stringContaining('emergencies.2.call') as string, line: expect.any(Number) as number });
  });
});
