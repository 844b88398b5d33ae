import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChatSession, localCivic } from '../../src/cli/chat';
import { loadCommuneData } from '../../src/commune-data';
import { loadFlowRegistry } from '../../src/conversation';
import { createTranslator } from '../../src/i18n';
import { LOCALES_DIR } from '../../src/paths';

const FLOWS = join(__dirname, '../../flows');
const NOW = () => Date.UTC(2026, 2, 2, 2, 0);

/**
 * A citizen's question in the terminal chat over the real flows, catalogue and actions: the
 * explanation shown. `fromList`: typed at the procedure list ("Thủ tục hành chính"), where a matter
 * the understanding word lists send to another office (Công an, BHXH) is searched in the catalogue.
 */
async function ask(question: string, dir = FLOWS, fromList = false): Promise<string> {
  const civic = await localCivic(dir, NOW);
  const chat = createChatSession({ registry: loadFlowRegistry(dir).withCommune(loadCommuneData(dir).texts), t: await createTranslator(LOCALES_DIR), ...civic, platform: 'messenger', now: NOW });
  await chat.send({ type: 'follow' });
  if (fromList) await chat.send({ type: 'text', text: 'Thủ tục hành chính', payload: 'MENU_PROCEDURES' });
  return (await chat.type(question)).map((s) => s.text).join('\n');
}

describe('the procedures citizens ask most since the 2025 reform are explained from the catalogue', () => {
  it.each([
    ['sổ gốc ở xã mất hết rồi giờ đăng ký lại khai sinh thế nào', ['Đăng ký lại khai sinh', 'trước ngày 1/1/2016', 'Điều 24-26']],
    ['vo chong em muon xin con nuoi can giay to gi', ['Đăng ký nhận con nuôi trong nước', '30 ngày', 'Luật Nuôi con nuôi 2010', 'nộp trực tiếp']],
    ['chứng thực chữ ký người dịch', ['Chứng thực chữ ký người dịch', '10.000đ/trường hợp', 'Điều 27-31', 'nộp trực tiếp, không nộp trực tuyến']],
    ['xin giấy xác nhận cư trú ct07', ['CT07', 'Nơi nộp: Công an xã', 'Không mất lệ phí', 'Sổ hộ khẩu hết giá trị từ 1/1/2023']],
    ['quen mat khau vneid phai lam sao', ['VNeID', 'Công an xã', 'Quên mật khẩu', 'Nghị định 69/2024/NĐ-CP']],
    ['chế độ cho thương binh', ['người có công', 'Nghị định 131/2021/NĐ-CP', 'Không mất phí']],
    ['xin giấy phép xây dựng nhà ở', ['Cấp giấy phép xây dựng nhà ở riêng lẻ', 'Không quá 15 ngày', 'Điều 89', 'Xã chưa xác nhận']],
    ['đăng ký hộ kinh doanh', ['Đăng ký hộ kinh doanh', '3 ngày làm việc', 'cơ quan thuế']],
    ['đăng ký nghĩa vụ quân sự cho con trai 17 tuổi', ['Nghĩa vụ quân sự', 'tháng 4', 'Ban Chỉ huy quân sự xã', 'Điều 12, 16']],
    ['làm thẻ bhyt cho con mới sinh', ['Bảo hiểm y tế', 'Trẻ dưới 6 tuổi', 'ngân sách nhà nước đóng', 'VssID']],
    ['xin giấy xác nhận hộ nghèo để vay vốn', ['hộ nghèo, hộ cận nghèo', 'Quyết định 24/2021/QĐ-TTg', 'Không mất phí']],
  ])('"%s" is answered with the right facts', async (question, facts) => {
    // residence, ID cards and health insurance cards are named as other offices' matters at first
    // (flows/data/understanding.yaml); the catalogue has the details, found from the procedure list
    const fromList = /ct07|vneid|bhyt/.test(question);
    const answer = await ask(question, FLOWS, fromList);
    for (const fact of facts) expect(answer.toLowerCase()).toContain(fact.toLowerCase());
  });

  describe('who issues building permits is a commune setting (commune.yaml buildingPermits)', () => {
    const withSetting = (value: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'permits-'));
      cpSync(FLOWS, dir, { recursive: true });
      const file = join(dir, 'data', 'commune.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('buildingPermits: unknown', `buildingPermits: ${value}`));
      return dir;
    };

    it('when the commune issues them, then the answer says the commune issues them, filed at its centre', async () => {
      const answer = await ask('xin giấy phép xây dựng nhà ở', withSetting('commune'));
      expect(answer).toContain('UBND xã cấp giấy phép xây dựng nhà ở riêng lẻ trên địa bàn xã');
      expect(answer).toContain('Nơi nộp: Trung tâm Phục vụ hành chính công xã');
      expect(answer).not.toContain('Xã chưa xác nhận');
    });

    it('when the province issues them, then the answer sends the citizen there and says the commune does not', async () => {
      const answer = await ask('xin giấy phép xây dựng nhà ở', withSetting('province'));
      expect(answer).toContain('Nơi nộp: Sở Xây dựng tỉnh Thanh Hóa');
      expect(answer).toContain('không do UBND xã cấp');
    });

    it('when the setting is not one of its values, then the profile is refused', () => {
      expect(() => loadCommuneData(withSetting('district'))).toThrow(/commune\.yaml:\d+: buildingPermits/);
    });
  });
});
