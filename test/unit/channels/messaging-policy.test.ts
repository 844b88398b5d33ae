/**
 * The platforms' messaging policies (channels/<platform>/policy.ts): when a plain message may go,
 * and how a notice or an official's words can still reach a person (platforms/*.md).
 */
import { messagingPolicyFor } from '../../../src/channels/policies';
import type { NoticeSettings } from '../../../src/shared/messaging-policy';

const H = 3600_000;


const now = 1_780_000_000_000;

describe('free messaging windows', () => {
  it('when the person wrote on Messenger 23 h ago, then a reply may go; at 24 h it may not', () => {
    expect(messagingPolicyFor('messenger').insideFreeWindow(now - 23 * H, now)).toBe(true);
    expect(messagingPolicyFor('messenger').insideFreeWindow(now - 24 * H, now)).toBe(false);
  });

  it('when the person wrote on Zalo 47 h ago, then the free consultation window is open; at 48 h it is closed', () => {
    expect(messagingPolicyFor('zalo').insideFreeWindow(now - 47 * H, now)).toBe(true);
    expect(messagingPolicyFor('zalo').insideFreeWindow(now - 48 * H, now)).toBe(false);
  });

  it('when the person never wrote, then nothing is sent on a platform; the terminal chat has no window', () => {
    expect(messagingPolicyFor('messenger').insideFreeWindow(null, now)).toBe(false);
    expect(messagingPolicyFor('zalo').insideFreeWindow(null, now)).toBe(false);
    expect(messagingPolicyFor('console').insideFreeWindow(null, now)).toBe(true);
  });
});


const at = Date.UTC(2026, 4, 4, 3);
const route = (channel: string, hoursAgo: number | null, settings: NoticeSettings = {}, canSendTemplates = false, phone?: string) =>
  messagingPolicyFor(channel).noticeRoute({ lastInboundAt: hoursAgo === null ? null : at - hoursAgo * H, now: at, settings, canSendTemplates, ...(phone ? { phone } : {}) });

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


const t0 = Date.UTC(2026, 2, 9, 3, 0);

describe('the route of an official’s words to a citizen (invariant 9)', () => {
  test('when the citizen wrote within the free window, then a plain response on either platform', () => {
    expect(messagingPolicyFor('messenger').humanReplyRoute({ lastInboundAt: t0 - 23 * H, now: t0, settings: {} })).toEqual({ via: 'message', purpose: 'response', billed: false });
    expect(messagingPolicyFor('zalo').humanReplyRoute({ lastInboundAt: t0 - 47 * H, now: t0, settings: {} })).toEqual({ via: 'message', purpose: 'response', billed: false });
  });

  test('when Messenger is past 24 h, then HUMAN_AGENT only where the Page has the feature and only up to 7 days', () => {
    expect(messagingPolicyFor('messenger').humanReplyRoute({ lastInboundAt: t0 - 30 * H, now: t0, settings: {} })).toEqual({ via: 'pending', reason: 'window_closed' });
    expect(messagingPolicyFor('messenger').humanReplyRoute({ lastInboundAt: t0 - 30 * H, now: t0, settings: { messengerHumanAgent: true } })).toEqual({ via: 'message', purpose: 'human', billed: false });
    expect(messagingPolicyFor('messenger').humanReplyRoute({ lastInboundAt: t0 - 7 * 24 * H - 1, now: t0, settings: { messengerHumanAgent: true } })).toEqual({ via: 'pending', reason: 'window_closed' });
  });

  test('when Zalo is past 48 h, then a billed message only where the commune allows it, up to 7 days', () => {
    expect(messagingPolicyFor('zalo').humanReplyRoute({ lastInboundAt: t0 - 50 * H, now: t0, settings: {} })).toEqual({ via: 'pending', reason: 'window_closed' });
    expect(messagingPolicyFor('zalo').humanReplyRoute({ lastInboundAt: t0 - 50 * H, now: t0, settings: { zaloBilledWindow: true } })).toEqual({ via: 'message', purpose: 'response', billed: true });
    expect(messagingPolicyFor('zalo').humanReplyRoute({ lastInboundAt: t0 - 8 * 24 * H, now: t0, settings: { zaloBilledWindow: true, messengerHumanAgent: true } })).toEqual({ via: 'pending', reason: 'window_closed' });
  });

  test('when nothing is known of the citizen’s last message, then it waits', () => {
    expect(messagingPolicyFor('messenger').humanReplyRoute({ lastInboundAt: null, now: t0, settings: { messengerHumanAgent: true } })).toEqual({ via: 'pending', reason: 'window_closed' });
  });
});
