/**
 * Appointment reminders ("không trễ hẹn"): when each one is due, and whether it can reach the
 * person on their platform. A reminder usually falls outside the free messaging window, so the
 * confirmation tells the citizen plainly which reminders they will get.
 */
import type { Appointment } from '../../store/ports/appointments';
import type { ReminderSetting } from './desk-settings';

const HOUR = 3600_000;

/**
 * The platforms' windows (platforms/*.md), as the reminder rules see them. They mirror
 * jobs/messaging-window.ts (civic may not import jobs); a unit test keeps the two equal.
 */
export const REMINDER_WINDOWS = {
  /** Messenger: free 24 h after the person's last message */
  messengerFreeMs: 24 * HOUR,
  /** Zalo consultation messages: free 48 h after the last interaction */
  zaloFreeMs: 48 * HOUR,
  /** Zalo consultation messages: billed from 48 h up to 7 days */
  zaloBilledMs: 7 * 24 * HOUR,
} as const;

/** The commune's choices for messages outside the free windows; every field off by default. */
export interface ReminderChannels {
  /** an approved Messenger Utility template for appointment reminders (never CONFIRMED_EVENT_UPDATE) */
  messengerUtilityTemplate?: string;
  /** send Zalo consultation messages billed between 48 h and 7 days; default false */
  zaloBilledWindow?: boolean;
  /** an approved Zalo ZNS template (sent to the person's phone) */
  zaloZnsTemplateId?: string;
}

export type ReminderReach =
  /** a normal message: free (or billed on Zalo, when allowed) */
  | 'message'
  /** a Messenger Utility template or a Zalo ZNS */
  | 'template'
  /** cannot be sent unless the person writes again before it is due */
  | 'unless_they_write';

/** One planned reminder. */
export interface PlannedReminder {
  kind: string;
  /** when it is due (ms) */
  at: number;
}

/** The reminders of an appointment still ahead of `now`, earliest first. */
export function remindersFor(appointment: Pick<Appointment, 'slot'>, settings: ReminderSetting[], now: number): PlannedReminder[] {
  return settings
    .map((r) => ({ kind: r.kind, at: appointment.slot.start - r.minutesBefore * 60_000 }))
    .filter((r) => r.at > now)
    .sort((a, b) => a.at - b.at);
}

/**
 * How a reminder due at `at` can reach a person whose last message was at `lastInboundAt`, if they
 * do not write again. The console channel has no window.
 */
export function reminderReach(input: { channel: string; lastInboundAt: number | null; at: number; phone?: string; channels: ReminderChannels }): ReminderReach {
  const { channel, lastInboundAt, at, phone, channels } = input;
  const since = lastInboundAt === null ? Number.POSITIVE_INFINITY : at - lastInboundAt;
  if (channel === 'messenger') {
    if (since < REMINDER_WINDOWS.messengerFreeMs) return 'message';
    return channels.messengerUtilityTemplate ? 'template' : 'unless_they_write';
  }
  if (channel === 'zalo') {
    if (since < REMINDER_WINDOWS.zaloFreeMs) return 'message';
    if (channels.zaloBilledWindow && since < REMINDER_WINDOWS.zaloBilledMs) return 'message';
    return channels.zaloZnsTemplateId && phone ? 'template' : 'unless_they_write';
  }
  return 'message';
}
