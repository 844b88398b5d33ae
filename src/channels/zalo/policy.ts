/**
 * What Zalo OA permits (platforms/zalo-oa.md): consultation messages are free within 48 hours of
 * the person's last interaction and billed from then up to 7 days (sent only where the commune
 * allows it); after that a status notice only as an approved ZNS template to the person's phone.
 * An official's words follow the same windows (Zalo has no human-agent exception).
 */
import { within, type MessagingPolicy } from '../../shared/messaging-policy';

const HOUR = 3600_000;
export const ZALO_FREE_WINDOW_MS = 48 * HOUR;
export const ZALO_BILLED_WINDOW_MS = 7 * 24 * HOUR;

export const zaloPolicy: MessagingPolicy = {
  displayName: 'Zalo',
  freeWindowMs: ZALO_FREE_WINDOW_MS,
  insideFreeWindow: (lastInboundAt, now) => within(lastInboundAt, now, ZALO_FREE_WINDOW_MS),
  noticeRoute({ lastInboundAt, now, settings, canSendTemplates, phone }) {
    if (within(lastInboundAt, now, ZALO_FREE_WINDOW_MS)) return { via: 'message', billed: false };
    if (settings.zaloBilledWindow && within(lastInboundAt, now, ZALO_BILLED_WINDOW_MS)) return { via: 'message', billed: true };
    if (!settings.zaloZnsTemplateId) return { via: 'pending', reason: 'window_closed' };
    if (!phone) return { via: 'pending', reason: 'no_phone' };
    if (!canSendTemplates) return { via: 'pending', reason: 'template_sender_missing' };
    return { via: 'zalo_zns', templateId: settings.zaloZnsTemplateId, phone };
  },
  humanReplyRoute({ lastInboundAt, now, settings }) {
    if (within(lastInboundAt, now, ZALO_FREE_WINDOW_MS)) return { via: 'message', purpose: 'response', billed: false };
    if (settings.zaloBilledWindow && within(lastInboundAt, now, ZALO_BILLED_WINDOW_MS)) return { via: 'message', purpose: 'response', billed: true };
    return { via: 'pending', reason: 'window_closed' };
  },
};
