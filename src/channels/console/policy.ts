/** The terminal chat and the transcript tests: no platform, so no window. */
import type { MessagingPolicy } from '../../shared/messaging-policy';

export const consolePolicy: MessagingPolicy = {
  displayName: '',
  freeWindowMs: null,
  insideFreeWindow: () => true,
  noticeRoute: () => ({ via: 'message', billed: false }),
  humanReplyRoute: () => ({ via: 'message', purpose: 'response', billed: false }),
};
