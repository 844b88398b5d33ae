import { join } from 'node:path';
import { findProcedure, parseCatalogue } from '../../../../src/civic/procedures/catalogue';
import { loadCommuneData } from '../../../../src/commune-data';
import { explainProcedure, MAX_MESSAGE_LENGTH } from '../../../../src/civic/procedures/explain';

// as the server shows it: the office's address, phone and hours from commune.yaml and office-hours.yaml
const catalogue = loadCommuneData(join(__dirname, '../../../../flows')).catalogue;

describe('procedure explanation', () => {
  test.each(catalogue.procedures.map((p) => p.id))('%s fits one message in both languages, Vietnamese in NFC', (id) => {
    const proc = findProcedure(catalogue, id)!;
    for (const locale of ['vi', 'en'] as const) {
      const text = explainProcedure(proc, locale);
      expect(text.length).toBeLessThan(MAX_MESSAGE_LENGTH);
      expect(text).toBe(text.normalize('NFC'));
    }
  });

  test('the Vietnamese explanation lists documents, time, fee, where, hours, portal and legal basis', () => {
    const text = explainProcedure(findProcedure(catalogue, 'khai-sinh')!, 'vi');
    expect(text).toContain('Thủ tục: Đăng ký khai sinh');
    expect(text).toMatch(/Giấy tờ cần mang:\n• Tờ khai đăng ký khai sinh/);
    expect(text).toContain('Thời gian giải quyết: Trong ngày');
    expect(text).toContain('Lệ phí: Miễn lệ phí khi đăng ký đúng hạn');
    expect(text).toContain('Nơi nộp: Trung tâm Phục vụ hành chính công xã');
    expect(text).toContain('Thời gian tiếp nhận:');
    expect(text).toContain('Nộp trực tuyến: https://dichvucong.gov.vn');
    expect(text).toContain('Căn cứ pháp lý: Luật Hộ tịch 2014');
    expect(text).toContain('Xin cảm ơn');
  });

  test('the English explanation is in English', () => {
    const text = explainProcedure(findProcedure(catalogue, 'ket-hon')!, 'en');
    expect(text).toContain('Procedure: Marriage registration');
    expect(text).toContain('Papers to bring:');
    expect(text).toContain('Both partners must be present');
  });

  test('when a procedure cannot be filed online, then it says so instead of a link', () => {
    const text = explainProcedure(findProcedure(catalogue, 'hoa-giai-tranh-chap-dat')!, 'vi');
    expect(text).toContain('nộp trực tiếp');
    expect(text).not.toContain('dichvucong');
  });

  test('when the stored text is decomposed (NFD), then the explanation is composed (NFC)', () => {
    const yaml = `
version: 1
office: { name: Trung tâm, hours: Thứ Hai, portal: "https://dichvucong.gov.vn" }
procedures:
  - id: khai-tu
    name: "${'Đăng ký khai tử'.normalize('NFD')}"
    aliases: [khai tử]
    documents: ["${'Giấy báo tử'.normalize('NFD')}"]
    processingTime: Trong ngày
    fee: Miễn phí
    legalBasis: Luật Hộ tịch
`;
    const text = explainProcedure(parseCatalogue(yaml, 'nfd.yaml').procedures[0], 'vi');
    expect(text).toContain('Đăng ký khai tử');
    expect(text).toBe(text.normalize('NFC'));
  });

  test('when the text would pass 2000 characters, then optional sections go first and it still fits', () => {
    const long = 'Giấy tờ rất dài. '.repeat(40);
    const proc = {
      ...findProcedure(catalogue, 'khai-sinh')!,
      documents: Array.from({ length: 4 }, () => ({ vi: long })),
    };
    const text = explainProcedure(proc, 'vi');
    expect(text.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(text).toContain('Thủ tục: Đăng ký khai sinh');
  });
});
