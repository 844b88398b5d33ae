import { join } from 'node:path';
import { loadCatalogue } from '../../../../src/civic/procedures/catalogue';
import { matchProcedures } from '../../../../src/civic/procedures/match';
import { loadPhrasings, measureMatchAccuracy } from '../../../../src/civic/procedures/match-accuracy';

const root = join(__dirname, '../../../..');
const catalogue = loadCatalogue(join(root, 'flows/data/procedures.yaml'));
const phrasings = loadPhrasings(join(root, 'test/fixtures/procedure-phrasings.yaml'));

function best(query: string): { id: string | undefined; confident: boolean } {
  const r = matchProcedures(catalogue, query);
  return { id: r.matches[0]?.id, confident: r.confident };
}

describe('procedure matching on the labelled citizen phrasings', () => {
  const accuracy = measureMatchAccuracy((text) => matchProcedures(catalogue, text), phrasings);

  test('the set has at least 150 phrasings, 20 of them off-topic', () => {
    expect(phrasings.length).toBeGreaterThanOrEqual(150);
    expect(accuracy.noneCount).toBeGreaterThanOrEqual(20);
  });

  test('every expected id is in the catalogue', () => {
    const ids = new Set(catalogue.procedures.map((p) => p.id));
    for (const p of phrasings) if (p.expect !== 'none') expect(ids).toContain(p.expect);
  });

  test('top-1 accuracy is at least 90%', () => {
    expect(accuracy.top1).toBeGreaterThanOrEqual(0.9);
  });

  test('top-3 accuracy is at least 97%', () => {
    expect(accuracy.top3).toBeGreaterThanOrEqual(0.97);
  });

  test('no phrasing is answered confidently with the wrong procedure, off-topic ones included', () => {
    expect(accuracy.failures.filter((f) => f.confident)).toEqual([]);
    expect(accuracy.confidentWrong).toBe(0);
    expect(accuracy.noneConfidentlyMatched).toBe(0);
  });
});

describe('procedure matching', () => {
  it('when a question is written in English, then its function words do not match Vietnamese syllables (do/đỏ, the/thẻ)', () => {
    expect(matchProcedures(catalogue, 'Hello, how do I register the birth of my baby?').matches[0]?.id).toBe('khai-sinh');
    expect(matchProcedures(catalogue, 'I want to certify a copy of my ID card').matches[0]?.id).toBe('chung-thuc-ban-sao');
    // Vietnamese without marks keeps "do" (đỏ) and "me" (mẹ)
    expect(matchProcedures(catalogue, 'lam so do lan dau').matches[0]?.id).toBe('cap-gcn-qsdd-lan-dau');
  });

  test('when the question has diacritics or not, then the same procedure is found confidently', () => {
    expect(best('đăng ký kết hôn')).toEqual({ id: 'ket-hon', confident: true });
    expect(best('dang ky ket hon')).toEqual({ id: 'ket-hon', confident: true });
    expect(best('ĐĂNG KÝ KẾT HÔN?')).toEqual({ id: 'ket-hon', confident: true });
  });

  test('when the text arrives decomposed (NFD), then it matches like composed text', () => {
    expect(best('giấy chứng tử'.normalize('NFD')).id).toBe('khai-tu');
  });

  test.each([
    ['làm gks cho bé', 'khai-sinh'],
    ['khai sinhf', 'khai-sinh'],
    ['khai xinh cho con', 'khai-sinh'],
    ['sao y bằng tốt nghiệp', 'chung-thuc-ban-sao'],
    ['công chứng hợp đồng mua bán đất', 'chung-thuc-hop-dong'],
    ['làm sổ đỏ', 'cap-gcn-qsdd-lan-dau'],
    ['đăng ký tạm trú', 'dang-ky-cu-tru'],
    ['sắp cưới', 'ket-hon'],
    ['xin giấy xác nhận độc thân', 'xac-nhan-tinh-trang-hon-nhan'],
    ['ba mất rồi làm giấy gì', 'khai-tu'],
    ['chung thuc chu ky', 'chung-thuc-chu-ky'],
    ['kethon o xa nao', 'ket-hon'],
  ])('when a citizen writes "%s", then %s is first', (query, id) => {
    expect(best(query).id).toBe(id);
  });

  test.each(['xin chào', 'thời tiết hôm nay', 'kết quả bóng đá', 'asdf qwer', 'mất điện rồi', 'có ai ở đó không'])(
    'when the message is off-topic ("%s"), then nothing is confident',
    (query) => {
      expect(best(query).confident).toBe(false);
    },
  );

  test('when the message is empty or only punctuation, then there are no matches', () => {
    expect(matchProcedures(catalogue, '')).toEqual({ matches: [], confident: false });
    expect(matchProcedures(catalogue, '?!...')).toEqual({ matches: [], confident: false });
  });

  test('when two procedures fit about as well, then the answer is not confident and both are offered', () => {
    const r = matchProcedures(catalogue, 'sao y sổ hộ khẩu');
    expect(r.confident).toBe(false);
    expect(r.matches.map((m) => m.id)).toEqual(expect.arrayContaining(['chung-thuc-ban-sao', 'dang-ky-cu-tru']));
  });

  test('matches are best first, at most 3 by default, with the Vietnamese name', () => {
    const r = matchProcedures(catalogue, 'khai sinh');
    expect(r.matches.length).toBeLessThanOrEqual(3);
    const scores = r.matches.map((m) => m.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(r.matches[0]).toMatchObject({ id: 'khai-sinh', name: 'Đăng ký khai sinh' });
    expect(matchProcedures(catalogue, 'khai sinh', { limit: 1 }).matches).toHaveLength(1);
  });

  test('the same question always gives the same answer', () => {
    expect(matchProcedures(catalogue, 'lam giay khai sinh cho con')).toEqual(matchProcedures(catalogue, 'lam giay khai sinh cho con'));
  });
});
