/**
 * Appointment reminders ("không trễ hẹn"): when each one is due, and whether it can reach the
 * person on their platform. A reminder usually falls outside the free messaging window, so the
 * confirmation tells the citizen plainly which reminders they will get.
 */
import type { Appointment } from '../../store/ports/appointments';
import type { MessagingPolicy, NoticeSettings } from '../../shared/messaging-policy';
import type { ReminderSetting } from './desk-settings';

/** The commune's choices for messages outside the free windows; every field off by default. */
export type ReminderChannels = NoticeSettings;

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
 * do not write again: the platform's own answer for a notice sent then.
 */
export function reminderReach(policy: MessagingPolicy, input: { lastInboundAt: number | null; at: number; phone?: string; channels: ReminderChannels }): ReminderReach {
  const { lastInboundAt, at, phone, channels } = input;
  const route = policy.noticeRoute({ lastInboundAt, now: at, settings: channels, canSendTemplates: true, ...(phone ? { phone } : {}) });
  if (route.via === 'message') return 'message';
  if (route.via === 'pending') return 'unless_they_write';
  return 'template';
}
