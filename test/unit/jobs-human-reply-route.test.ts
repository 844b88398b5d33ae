import { chooseHumanReplyRoute } from '../../src/jobs/human-reply-route';

const HOUR = 3600_000;
const now = Date.UTC(2026, 2, 9, 3, 0);

describe('the route of an official’s words to a citizen (invariant 9)', () => {
  test('when the citizen wrote within the free window, then a plain response on either platform', () => {
    expect(chooseHumanReplyRoute({ channel: 'messenger', lastInboundAt: now - 23 * HOUR, now, settings: {} })).toEqual({ via: 'message', purpose: 'response', billed: false });
    expect(chooseHumanReplyRoute({ channel: 'zalo', lastInboundAt: now - 47 * HOUR, now, settings: {} })).toEqual({ via: 'message', purpose: 'response', billed: false });
  });

  test('when Messenger is past 24 h, then HUMAN_AGENT only where the Page has the feature and only up to 7 days', () => {
    expect(chooseHumanReplyRoute({ channel: 'messenger', lastInboundAt: now - 30 * HOUR, now, settings: {} })).toEqual({ via: 'pending', reason: 'window_closed' });
    expect(chooseHumanReplyRoute({ channel: 'messenger', lastInboundAt: now - 30 * HOUR, now, settings: { messengerHumanAgent: true } })).toEqual({ via: 'message', purpose: 'human', billed: false });
    expect(chooseHumanReplyRoute({ channel: 'messenger', lastInboundAt: now - 7 * 24 * HOUR - 1, now, settings: { messengerHumanAgent: true } })).toEqual({ via: 'pending', reason: 'window_closed' });
  });

  test('when Zalo is past 48 h, then a billed message only where the commune allows it, up to 7 days', () => {
    expect(chooseHumanReplyRoute({ channel: 'zalo', lastInboundAt: now - 50 * HOUR, now, settings: {} })).toEqual({ via: 'pending', reason: 'window_closed' });
    expect(chooseHumanReplyRoute({ channel: 'zalo', lastInboundAt: now - 50 * HOUR, now, settings: { zaloBilledWindow: true } })).toEqual({ via: 'message', purpose: 'response', billed: true });
    expect(chooseHumanReplyRoute({ channel: 'zalo', lastInboundAt: now - 8 * 24 * HOUR, now, settings: { zaloBilledWindow: true, messengerHumanAgent: true } })).toEqual({ via: 'pending', reason: 'window_closed' });
  });

  test('when nothing is known of the citizen’s last message, then it waits', () => {
    expect(chooseHumanReplyRoute({ channel: 'messenger', lastInboundAt: null, now, settings: { messengerHumanAgent: true } })).toEqual({ via: 'pending', reason: 'window_closed' });
  });
});
