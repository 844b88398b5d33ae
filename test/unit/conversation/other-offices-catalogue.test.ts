import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createReader } from '../../../bench/understanding-measure';
import { otherOfficesShadowingCatalogue } from '../../../src/cli/flows-check';
import { loadCatalogue } from '../../../src/civic/procedures/catalogue';
import { explainProcedure } from '../../../src/civic/procedures/explain';
import { loadFlowRegistry, parseUnderstanding } from '../../../src/conversation';
import { createTranslator } from '../../../src/i18n';
import { FLOWS_DIR, LOCALES_DIR } from './helpers';

// Matters the procedure catalogue explains (ID card, residence, CT07, health insurance) are answered
// by the catalogue, which names the commune police or Social Insurance; other offices' matters the
// catalogue does not hold keep their short line. Each message alone, through the real engine and matcher.
const catalogueFile = join(FLOWS_DIR, 'data', 'procedures.yaml');
const catalogue = loadCatalogue(catalogueFile);

describe('other offices beside the procedure catalogue', () => {
  let read: ReturnType<typeof createReader>;
  beforeAll(async () => {
    read = createReader(loadFlowRegistry(FLOWS_DIR), catalogue, await createTranslator(LOCALES_DIR));
  });

  test.each([
    ['làm CT07 ở đâu', 'xac-nhan-thong-tin-cu-tru', 'Công an xã'],
    ['cấp lại căn cước cho con', 'can-cuoc-vneid', 'Công an xã'],
    ['làm CCCD ở đâu', 'can-cuoc-vneid', 'Công an xã'],
    ['cccd gắn chip bị sai ngày sinh sửa ở đâu', 'can-cuoc-vneid', 'Công an xã'],
    ['dang ky tam tru o dau', 'dang-ky-cu-tru', 'Công an xã'],
    ['gia hạn bảo hiểm y tế', 'bao-hiem-y-te', 'Bảo hiểm xã hội'],
  ])('when "%s" opens a chat, then the catalogue answers with %s, which names %s', (text, id, office) => {
    expect(read(text)).toEqual({ kind: 'procedure', id, confident: true });
    const proc = catalogue.procedures.find((p) => p.id === id);
    expect(proc && explainProcedure(proc, 'vi')).toContain(office);
  });

  test.each([
    ['đổi bằng lái xe ở đâu', 'driving_licence'],
    ['rút bảo hiểm xã hội một lần', 'social_insurance'],
    ['khai báo lưu trú cho khách', 'guest_registration'],
  ])('when "%s" opens a chat, then it is still the other office\'s line (%s)', (text, id) => {
    expect(read(text)).toEqual({ kind: 'other_office', id });
  });

  it('when an other-office phrase is also a catalogue alias or keyword, then flows:check names it; the shipped lists have none', () => {
    const shipped = readFileSync(join(FLOWS_DIR, 'data', 'understanding.yaml'), 'utf8');
    const parsed = parseUnderstanding(shipped);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const source = readFileSync(catalogueFile, 'utf8');
    expect(otherOfficesShadowingCatalogue(parsed.understanding, source)).toEqual([]);
    const shadowed = parseUnderstanding(shipped.replace('phrases: [bằng lái,', 'phrases: [cccd, thường trú, bằng lái,'));
    if (!shadowed.ok) throw new Error(JSON.stringify(shadowed.problems));
    expect(otherOfficesShadowingCatalogue(shadowed.understanding, source)).toEqual([
      expect.stringContaining('"cccd" is also in the procedure catalogue (can-cuoc-vneid)'),
      expect.stringContaining('"thuong tru" is also in the procedure catalogue (dang-ky-cu-tru)'),
    ]);
  });
});
