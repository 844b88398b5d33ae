import { ConfigError, loadConfig } from '../../../src/config';
import { noticeChannelsOf } from '../../../src/civic-jobs';

const messenger = { MESSENGER_APP_SECRET: 'app-secret', MESSENGER_VERIFY_TOKEN: 'verify', MESSENGER_PAGE_ACCESS_TOKEN: 'page-token' };
const zalo = { ZALO_APP_ID: '3482', ZALO_APP_SECRET: 'zalo-app-secret', ZALO_OA_SECRET_KEY: 'oa-secret' };
const templates = {
  MESSENGER_UTILITY_TEMPLATE_CASE: 'cap_nhat_ho_so',
  MESSENGER_UTILITY_TEMPLATE_REMINDER: 'nhac_lich_hen',
  ZALO_BILLED_WINDOW: 'true',
  ZALO_ZNS_TEMPLATE_CASE: '312345',
  ZALO_ZNS_TEMPLATE_REMINDER: '412345',
};

describe('settings for notices outside the free windows', () => {
  it('when nothing is set, then no template is used, billed Zalo messages are off and ZNS goes to Zalo’s host', () => {
    const c = loadConfig({ ...messenger, ...zalo });
    expect(c.notices).toEqual({ zaloBilledWindow: false });
    expect(c.ignored).toEqual([]);
    expect(c.zalo?.znsApiBase).toBe('https://business.openapi.zalo.me');
  });

  it('when every template is set, then case updates and reminders each get their own', () => {
    const c = loadConfig({ ...messenger, ...zalo, ...templates, ZALO_ZNS_API_BASE: 'http://127.0.0.1:9/zns/' });
    expect(c.zalo?.znsApiBase).toBe('http://127.0.0.1:9/zns');
    expect(noticeChannelsOf(c.notices)).toEqual({
      cases: { messengerUtilityTemplate: 'cap_nhat_ho_so', zaloBilledWindow: true, zaloZnsTemplateId: '312345' },
      reminders: { messengerUtilityTemplate: 'nhac_lich_hen', zaloBilledWindow: true, zaloZnsTemplateId: '412345' },
    });
  });

  it('when templates are set for a disabled channel, then they are dropped and listed for a start-up warning, not a crash', () => {
    const c = loadConfig({ ...messenger, ...templates });
    expect(c.notices).toEqual({ messengerCaseTemplate: 'cap_nhat_ho_so', messengerReminderTemplate: 'nhac_lich_hen', zaloBilledWindow: false });
    expect(c.ignored.map((i) => i.setting).sort()).toEqual(['ZALO_BILLED_WINDOW', 'ZALO_ZNS_TEMPLATE_CASE', 'ZALO_ZNS_TEMPLATE_REMINDER']);
  });

  it('when a template name or id is malformed, then start-up names the setting', () => {
    let error: unknown;
    try {
      loadConfig({ ...messenger, ...zalo, MESSENGER_UTILITY_TEMPLATE_CASE: 'Cập nhật hồ sơ', ZALO_ZNS_TEMPLATE_REMINDER: 'abc', ZALO_BILLED_WINDOW: 'yes' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).problems.join('\n');
    for (const name of ['MESSENGER_UTILITY_TEMPLATE_CASE', 'ZALO_ZNS_TEMPLATE_REMINDER', 'ZALO_BILLED_WINDOW']) expect(text).toContain(name);
  });
});
