import { chooseNoticeRoute, type NoticeSettings } from '../../src/jobs/notice-route';

const H = 3600_000;
const now = Date.UTC(2026, 4, 4, 3);
const route = (channel: string, hoursAgo: number | null, settings: NoticeSettings = {}, canSendTemplates = false, phone?: string) =>
  chooseNoticeRoute({ channel, lastInboundAt: hoursAgo === null ? null : now - hoursAgo * H, now, settings, canSendTemplates, phone });

describe('choosing how a notice may go out', () => {
  test('Messenger: a message inside 24 h; outside, a Utility template only when configured and sendable, else pending', () => {
    expect(route('messenger', 23.9)).toEqual({ via: 'message', billed: false });
    expect(route('messenger', 24)).toEqual({ via: 'pending', reason: 'window_closed' });
    expect(route('messenger', null)).toEqual({ via: 'pending', reason: 'window_closed' });
    expect(route('messenger', 30, { messengerUtilityTemplate: 'cap_nhat' })).toEqual({ via: 'pending', reason: 'template_sender_missing' });
    expect(route('messenger', 30, { messengerUtilityTemplate: 'cap_nhat' }, true)).toEqual({ via: 'messenger_utility', template: 'cap_nhat' });
  });

  test('Zalo: free inside 48 h; billed to 7 days only if allowed; then ZNS to a phone when configured; else pending', () => {
    expect(route('zalo', 47)).toEqual({ via: 'message', billed: false });
    expect(route('zalo', 49)).toEqual({ via: 'pending', reason: 'window_closed' });
    expect(route('zalo', 49, { zaloBilledWindow: true })).toEqual({ via: 'message', billed: true });
    expect(route('zalo', 7 * 24, { zaloBilledWindow: true })).toEqual({ via: 'pending', reason: 'window_closed' });
    expect(route('zalo', 8 * 24, { zaloZnsTemplateId: '1' }, true)).toEqual({ via: 'pending', reason: 'no_phone' });
    expect(route('zalo', 8 * 24, { zaloZnsTemplateId: '1' }, false, '+84912345678')).toEqual({ via: 'pending', reason: 'template_sender_missing' });
    expect(route('zalo', 8 * 24, { zaloZnsTemplateId: '1' }, true, '+84912345678')).toEqual({ via: 'zalo_zns', templateId: '1', phone: '+84912345678' });
  });

  test('the console channel has no window', () => {
    expect(route('console', null)).toEqual({ via: 'message', billed: false });
  });
});
