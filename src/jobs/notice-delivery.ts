import { UnrecoverableError } from 'bullmq';
import { isSendError, type ChannelSender, type Choice, type TemplateParams, type TemplateRequest, type TemplateSender } from '../channels/types';
import type { Logger } from '../shared/logger';
import type { ConversationStore } from '../store/ports/conversations';
import type { ChatAccount, OfficialStore } from '../store/ports/officials';
import { messagingPolicyFor } from '../channels/policies';
import type { NoticeRoute, NoticeSettings, PendingReason } from '../shared/messaging-policy';
import type { PendingNotices } from './pending-notices';
import { safeId } from './queues';

// The template types live with the channels (which may not import jobs); re-exported for the jobs' users.
export type { TemplateRequest, TemplateSender } from '../channels/types';

/** Whom a notice is for: an official (through their linked chat account), or a person on a channel. */
export type NoticeRecipient = { officialId: string } | { channel: string; userId: string; phone?: string };

export interface OutgoingNotice {
  /** stable across retries, e.g. the job id plus the recipient: the pending list and transcript key it */
  id: string;
  caseId: string;
  caseCode: string;
  /** e.g. 'assigned', 'remind_day_before', 'overdue', 'resolved' */
  kind: string;
  recipient: NoticeRecipient;
  text: string;
  /** buttons sent with the text inside the window (e.g. the rating button of a closed case); a template carries none */
  choices?: Choice[];
  /** what a template is filled with: a case update's, or an appointment reminder's */
  params: TemplateParams;
}

export type DeliveryResult =
  | { status: 'sent'; channel: string; userId: string; billed: boolean; platformMessageId?: string }
  | { status: 'template'; channel: string; userId: string; route: 'messenger_utility' | 'zalo_zns' }
  | { status: 'pending'; channel: string; userId: string; reason: PendingReason };

export interface NoticeDelivery {
  /**
   * Delivers one notice within the platform's rules (invariant 9) or keeps it pending. Throws
   * UnrecoverableError for a send that can never succeed (window closed on the platform's side,
   * user blocked, bad token, disabled channel) and rethrows a transient SendError for the queue's backoff.
   */
  deliverNotice(notice: OutgoingNotice): Promise<DeliveryResult>;
  /** Everyone with notices waiting, for the admins. */
  pendingNotices(): ReturnType<PendingNotices['list']>;
}

/** The pending "channel" of an official with no linked account: linking one is the way to reach them. */
export const UNLINKED = 'unlinked';

export function createNoticeDelivery(deps: {
  senders: Partial<Record<string, ChannelSender>>;
  officials: OfficialStore;
  conversations: ConversationStore;
  pending: PendingNotices;
  settings?: NoticeSettings;
  templates?: TemplateSender;
  log: Logger;
  now?: () => number;
}): NoticeDelivery {
  const { senders, officials, conversations, pending, settings = {}, templates, log, now = Date.now } = deps;
  const canSendTemplates = templates !== undefined;

  // Of an official's accounts, the one they wrote from last: the window is judged there, and a
  // pending notice reaches them when they next write from it.
  async function accountOf(officialId: string): Promise<ChatAccount | null> {
    const official = await officials.get(officialId);
    let best: { account: ChatAccount; last: number } | null = null;
    for (const account of official?.accounts ?? []) {
      const last = (await conversations.lastInboundAt(account.channel, account.userId)) ?? -1;
      if (!best || last > best.last) best = { account, last };
    }
    return best?.account ?? null;
  }

  async function keep(n: OutgoingNotice, channel: string, userId: string, reason: PendingReason): Promise<DeliveryResult> {
    const at = now();
    await pending.add(channel, userId, { id: n.id, caseId: n.caseId, caseCode: n.caseCode, kind: n.kind, text: n.text, ...(n.choices?.length ? { choices: n.choices } : {}), reason, at });
    if (channel !== UNLINKED) await transcript(channel, userId, n, at, 'pending', reason);
    log.info({ channel, case: n.caseCode, kind: n.kind, reason }, 'case notice kept pending');
    return { status: 'pending', channel, userId, reason };
  }

  async function transcript(channel: string, userId: string, n: OutgoingNotice, at: number, status: 'sent' | 'pending' | 'failed', error?: string, platformMessageId?: string) {
    await conversations.appendTranscript(`${channel}:${userId}`, { direction: 'out', at, id: `notice:${n.id}`, text: n.text, status, ...(error ? { error } : {}), ...(platformMessageId ? { platformMessageId } : {}) });
  }

  async function send(n: OutgoingNotice, channel: string, userId: string, route: Exclude<NoticeRoute, { via: 'pending' }>): Promise<DeliveryResult> {
    const at = now();
    if (route.via === 'message') {
      const sender = senders[channel];
      if (!sender) throw new UnrecoverableError(`channel ${channel} is disabled`);
      const res = await sender.send(userId, { type: 'text', text: n.text, ...(n.choices?.length ? { choices: n.choices } : {}) }, { purpose: 'update' });
      await transcript(channel, userId, n, at, 'sent', undefined, res.platformMessageId);
      return { status: 'sent', channel, userId, billed: route.billed, ...(res.platformMessageId ? { platformMessageId: res.platformMessageId } : {}) };
    }
    // the platform's noticeRoute picks a template route only when `templates` is set.
    const t = templates as TemplateSender;
    const request: TemplateRequest =
      route.via === 'messenger_utility'
        ? { channel: 'messenger', userId, template: route.template, language: 'vi', params: n.params }
        : { channel: 'zalo', phone: route.phone, templateId: route.templateId, params: n.params, trackingId: safeId(n.id) };
    const res = await t.sendTemplate(request);
    await transcript(channel, userId, n, at, 'sent', undefined, res.platformMessageId);
    return { status: 'template', channel, userId, route: route.via };
  }

  return {
    async deliverNotice(n) {
      let channel: string;
      let userId: string;
      let phone: string | undefined;
      if ('officialId' in n.recipient) {
        const account = await accountOf(n.recipient.officialId);
        if (!account) {
          log.warn({ official: n.recipient.officialId, case: n.caseCode }, 'official has no linked chat account: notice kept pending');
          return keep(n, UNLINKED, n.recipient.officialId, 'no_linked_account');
        }
        ({ channel, userId } = account);
      } else {
        ({ channel, userId, phone } = n.recipient);
      }
      const lastInboundAt = await conversations.lastInboundAt(channel, userId);
      const route = messagingPolicyFor(channel).noticeRoute({ lastInboundAt, now: now(), settings, canSendTemplates, phone });
      if (route.via === 'pending') {
        if (route.reason === 'template_sender_missing') log.warn({ channel }, 'a template is configured but no template sender is wired: notice kept pending');
        return keep(n, channel, userId, route.reason);
      }
      try {
        return await send(n, channel, userId, route);
      } catch (err) {
        if (!isSendError(err)) throw err;
        log.warn({ channel, case: n.caseCode, kind: n.kind, reason: err.reason, retryable: err.retryable, platformCode: err.platformCode }, 'case notice send failed');
        if (err.retryable) throw err;
        if (err.reason === 'window_closed') {
          // The platform judged the window closed (a last inbound time we did not see): wait for the person.
          await keep(n, channel, userId, 'window_closed');
        } else {
          await transcript(channel, userId, n, now(), 'failed', err.reason);
        }
        throw new UnrecoverableError(`notice not sent: ${err.reason}`);
      }
    },
    pendingNotices: () => pending.list(),
  };
}
