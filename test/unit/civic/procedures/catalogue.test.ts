import { join } from 'node:path';
import { loadCommuneData } from '../../../../src/commune-data';
import { findProcedure, LABEL_MAX_CHARS, labelLength, loadCatalogue, parseCatalogue, pick, procedureLabel } from '../../../../src/civic/procedures/catalogue';
import { isAppError } from '../../../../src/shared/app-error';
import { matchProcedures } from '../../../../src/civic/procedures/match';

const CATALOGUE_FILE = join(__dirname, '../../../../flows/data/procedures.yaml');

const MINIMAL = `
version: 1
office:
  name: Trung tâm Phục vụ hành chính công xã
  hours: "Thứ Hai - Thứ Sáu"
  portal: https://dichvucong.gov.vn
procedures:
  - id: khai-sinh
    name: { vi: Đăng ký khai sinh, en: Birth registration }
    aliases: [làm giấy khai sinh]
    documents: [Tờ khai]
    processingTime: Trong ngày
    fee: Miễn phí
    legalBasis: Luật Hộ tịch 2014
`;

function refusal(run: () => unknown): { file: unknown; problem: unknown; message: string } {
  try {
    run();
  } catch (e) {
    if (isAppError(e) && e.code === 'VALIDATION_FAILED') return { ...(e.details as { file: unknown; problem: unknown }), message: e.message };
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('procedure catalogue', () => {
  const catalogue = loadCatalogue(CATALOGUE_FILE);

  test('when the shipped catalogue is loaded, then it has at least 15 commune procedures with kebab-case ids', () => {
    expect(catalogue.procedures.length).toBeGreaterThanOrEqual(15);
    for (const p of catalogue.procedures) expect(p.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  test('when a procedure does not say where, when or online, then the office defaults fill them, the hours from office-hours.yaml', () => {
    const withData = loadCommuneData(join(CATALOGUE_FILE, '..', '..')).catalogue;
    const birth = findProcedure(withData, 'khai-sinh')!;
    expect(pick(birth.where, 'vi')).toContain('Trung tâm Phục vụ hành chính công xã');
    expect(pick(birth.hours!, 'vi')).toContain('Thứ Hai - Thứ Sáu: 7h30-11h30, 13h30-17h00');
    expect(pick(birth.hours!, 'en')).toContain('Monday - Friday: 7:30-11:30 and 13:30-17:00');
    expect(birth.online).toBe('https://dichvucong.gov.vn');
    // a procedure with its own place keeps it
    expect(pick(findProcedure(withData, 'dang-ky-cu-tru')!.where, 'vi')).toContain('Công an xã');
  });

  test('residence registration is routed to the commune police, not the service centre', () => {
    const residence = findProcedure(catalogue, 'dang-ky-cu-tru')!;
    expect(pick(residence.where, 'vi')).toContain('Công an xã');
    expect(pick(residence.note!, 'vi')).toContain('Công an xã');
  });

  test('"tiền già" is the social pension of NĐ 176/2025: 75 and over, decided by the commune chair in 10 working days', () => {
    const r = matchProcedures(catalogue, 'bà em 80 tuổi có được hưởng tiền già không');
    expect(r.matches[0]?.id).toBe('tro-cap-huu-tri-xa-hoi');
    const p = findProcedure(catalogue, 'tro-cap-huu-tri-xa-hoi')!;
    expect(pick(p.legalBasis, 'vi')).toContain('176/2025');
    expect(pick(p.processingTime, 'vi')).toContain('10 ngày làm việc');
    expect(pick(p.note!, 'vi')).toContain('75 tuổi');
  });

  test('marrying a foreigner is its own procedure: 10 working days, the foreign partner\'s papers, not the same-day answer', () => {
    const r = matchProcedures(catalogue, 'ket hon voi nguoi nuoc ngoai can giay gi');
    expect(r.matches[0]?.id).toBe('ket-hon-nuoc-ngoai');
    const p = findProcedure(catalogue, 'ket-hon-nuoc-ngoai')!;
    expect(pick(p.processingTime, 'vi')).toContain('10 ngày làm việc');
    expect(p.documents.map((d) => pick(d, 'vi')).join(' ')).toMatch(/hợp pháp hóa lãnh sự/);
    expect(pick(findProcedure(catalogue, 'ket-hon')!.fee, 'vi')).not.toMatch(/yếu tố nước ngoài theo mức/);
  });

  test('the residence fee is the national one of TT 75/2022, not a provincial rate', () => {
    const fee = pick(findProcedure(catalogue, 'dang-ky-cu-tru')!.fee, 'vi');
    expect(fee).toContain('75/2022/TT-BTC');
    expect(fee).toContain('20.000đ');
    expect(fee).not.toMatch(/HĐND tỉnh/);
  });

  test('no fee quotes an example from another province, and no address placeholder is shown', () => {
    for (const p of catalogue.procedures) {
      expect(pick(p.fee, 'vi')).not.toMatch(/ví dụ|An Giang/i);
      expect(pick(p.where, 'vi')).not.toMatch(/cập nhật/);
    }
  });

  test('signature and contract certification are not offered online: the signer signs in front of the officer', () => {
    expect(findProcedure(catalogue, 'chung-thuc-chu-ky')!.online).toBeNull();
    expect(findProcedure(catalogue, 'chung-thuc-hop-dong')!.online).toBeNull();
  });

  test('civil-status fees say they are set by the province', () => {
    for (const id of ['xac-nhan-tinh-trang-hon-nhan', 'nhan-cha-me-con', 'thay-doi-cai-chinh-ho-tich']) {
      expect(pick(findProcedure(catalogue, id)!.fee, 'vi')).toMatch(/HĐND tỉnh/);
    }
  });

  test('when a field has no English, then English falls back to Vietnamese', () => {
    const c = parseCatalogue(MINIMAL, 'minimal.yaml');
    const p = c.procedures[0];
    expect(pick(p.name, 'en')).toBe('Birth registration');
    expect(pick(p.fee, 'en')).toBe('Miễn phí');
  });

  test('when a required field is missing, then the file is refused with the file name and the field', () => {
    const r = refusal(() => parseCatalogue(MINIMAL.replace('    fee: Miễn phí\n', ''), 'flows/data/bad.yaml'));
    expect(r.file).toBe('flows/data/bad.yaml');
    expect(r.problem).toMatch(/procedures\.0\.fee/);
    expect(r.message).toContain('flows/data/bad.yaml');
  });

  test('when every procedure of the shipped catalogue is shown as a button, then its label fits 20 characters in both languages', () => {
    for (const p of catalogue.procedures) {
      expect(p.short).toBeDefined();
      for (const locale of ['vi', 'en'] as const) expect(labelLength(procedureLabel(p, locale))).toBeLessThanOrEqual(LABEL_MAX_CHARS);
    }
    expect(procedureLabel(findProcedure(catalogue, 'cap-gcn-qsdd-lan-dau')!, 'vi')).toBe('Cấp sổ đỏ lần đầu');
  });

  test('when a procedure has no short, then its label is its name; with one, the short', () => {
    const c = parseCatalogue(MINIMAL, 'minimal.yaml');
    expect(procedureLabel(c.procedures[0], 'vi')).toBe('Đăng ký khai sinh');
    const short = parseCatalogue(MINIMAL.replace('    aliases:', '    short: { vi: Khai sinh }\n    aliases:'), 'short.yaml');
    expect(procedureLabel(short.procedures[0], 'vi')).toBe('Khai sinh');
    // no English short: the English name when it fits
    expect(procedureLabel(short.procedures[0], 'en')).toBe('Birth registration');
  });

  test('when a short is longer than 20 characters, then the file is refused naming the procedure', () => {
    const long = MINIMAL.replace('    aliases:', '    short: { vi: "Đăng ký khai sinh cho con" }\n    aliases:');
    const r = refusal(() => parseCatalogue(long, 'flows/data/long.yaml'));
    expect(r.file).toBe('flows/data/long.yaml');
    expect(r.problem).toMatch(/procedures\.0\.short/);
    expect(r.problem).toMatch(/25 characters/);
  });

  test('when a name longer than 20 characters has no short, then the file is refused; 20 characters typed in decomposed form are accepted', () => {
    const long = MINIMAL.replace('name: { vi: Đăng ký khai sinh, en: Birth registration }', 'name: { vi: Đăng ký khai sinh cho con, en: Birth }');
    expect(refusal(() => parseCatalogue(long, 'x.yaml')).problem).toMatch(/procedures\.0\.name.*add a short/);
    const englishLong = MINIMAL.replace('en: Birth registration', 'en: Registration of a birth');
    expect(refusal(() => parseCatalogue(englishLong, 'x.yaml')).problem).toMatch(/name \(en\)/);
    // "Đăng ký kết hôn ở xã" is 20 letters; typed with combining marks (NFD) it is still 20
    const nfd = MINIMAL.replace('Đăng ký khai sinh,', `${'Đăng ký kết hôn ở xã'.normalize('NFD')},`);
    expect(() => parseCatalogue(nfd, 'x.yaml')).not.toThrow();
  });

  test('when two procedures would show the same label, then the file is refused', () => {
    const second = MINIMAL.slice(MINIMAL.indexOf('  - id:')).replace('id: khai-sinh', 'id: khai-sinh-2').replace('name: { vi: Đăng ký khai sinh, en: Birth registration }', 'name: { vi: Khai sinh lại, en: Birth again }\n    short: { vi: Đăng ký khai sinh }');
    expect(refusal(() => parseCatalogue(MINIMAL + second, 'x.yaml')).problem).toMatch(/procedures\.1\.short.*also the label of procedures\.0/);
  });

  test('when two procedures share an id, then the file is refused', () => {
    const twice = MINIMAL + MINIMAL.slice(MINIMAL.indexOf('  - id:'));
    expect(refusal(() => parseCatalogue(twice, 'dup.yaml')).problem).toMatch(/duplicate id "khai-sinh"/);
  });

  test('when an id is not kebab-case or the portal is not a URL, then the file is refused', () => {
    expect(refusal(() => parseCatalogue(MINIMAL.replace('id: khai-sinh', 'id: Khai Sinh'), 'x.yaml')).problem).toMatch(/kebab-case/);
    expect(refusal(() => parseCatalogue(MINIMAL.replace('https://dichvucong.gov.vn', 'dichvucong'), 'x.yaml')).problem).toMatch(/office\.portal/);
  });

  test('when the text is not YAML or the file is missing, then the refusal says so', () => {
    expect(refusal(() => parseCatalogue('procedures: [', 'broken.yaml')).problem).toMatch(/not valid YAML/);
    expect(refusal(() => loadCatalogue('/nonexistent/procedures.yaml')).file).toBe('/nonexistent/procedures.yaml');
  });
});
