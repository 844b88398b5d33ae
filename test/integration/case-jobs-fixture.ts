// The commune, the stores and a recording sender shared by the case-jobs suites.
import type { ChannelName, ChannelSender, OutboundMessage, SendOptions } from '../../src/channels/types';
import type { Case, NewCase, Stores } from '../../src/store/ports';
import { createMemoryStores } from '../../src/store/memory';
import { until as untilCondition } from '../helpers/until';

export interface SentMessage {
  channel: ChannelName;
  userId: string;
  message: OutboundMessage;
  opts?: SendOptions;
}

/** A ChannelSender that records what it was asked to send; `fail` makes the next sends throw. */
export function recordingSender(channel: ChannelName, sent: SentMessage[], fail: { next: Error[] } = { next: [] }): ChannelSender {
  return {
    channel,
    async send(userId, message, opts) {
      const err = fail.next.shift();
      if (err) throw err;
      sent.push({ channel, userId, message, opts });
      return { platformMessageId: `${channel}-${sent.length}` };
    },
  };
}

export const HOUR = 3600_000;

/**
 * dia-chinh-1 (land official, on Zalo) answers to pct-1 (vice chair, on Messenger); ct-1 is the chair
 * (on Zalo); vh-2 is a village head (on Messenger); no-account has linked nothing. Everyone wrote
 * to the commune an hour before `now`.
 */
export async function seedCommune(stores: Stores, now: number): Promise<void> {
  const base = { villages: [], categories: [], onDuty: false, active: true };
  await stores.officials.upsert({ ...base, id: 'dia-chinh-1', name: 'Nguyễn Văn Địa', role: 'official', supervisorId: 'pct-1', categories: ['land'], accounts: [{ channel: 'zalo', userId: 'z-dc1' }] });
  await stores.officials.upsert({ ...base, id: 'pct-1', name: 'Trần Thị Phó', role: 'vice_chair', accounts: [{ channel: 'messenger', userId: 'm-pct' }] });
  await stores.officials.upsert({ ...base, id: 'ct-1', name: 'Lê Văn Chủ', role: 'chair', accounts: [{ channel: 'zalo', userId: 'z-ct' }] });
  await stores.officials.upsert({ ...base, id: 'vh-2', name: 'Phạm Văn Thôn', role: 'village_head', accounts: [{ channel: 'messenger', userId: 'm-vh2' }] });
  await stores.officials.upsert({ ...base, id: 'no-account', name: 'Đỗ Văn Vắng', role: 'official', accounts: [] });
  for (const [channel, userId] of [['zalo', 'z-dc1'], ['messenger', 'm-pct'], ['zalo', 'z-ct'], ['messenger', 'm-vh2'], ['zalo', 'citizen-1']]) {
    await stores.conversations.touchInbound(channel, userId, now - HOUR);
  }
}

/** A land petition from thôn Đông, filed at `createdAt` and assigned at once to dia-chinh-1. */
export async function fileCase(stores: Stores, c: { createdAt: number; dueAt: number; assigneeId?: string; status?: Case['status'] }): Promise<Case> {
  const assigneeId = c.assigneeId ?? 'dia-chinh-1';
  const input: NewCase = {
    kind: 'petition',
    petitionType: 'feedback',
    category: 'land',
    village: 'Thôn Đông',
    content: 'Nhà bên cạnh lấn sang đất nhà tôi khoảng 2 mét.',
    attachments: [],
    channel: 'zalo',
    userId: 'citizen-1',
    status: c.status ?? 'assigned',
    assigneeId,
    dueAt: c.dueAt,
    createdAt: c.createdAt,
    history: [
      { at: c.createdAt, by: 'citizen', what: 'received' },
      { at: c.createdAt, by: 'system', what: 'assigned', officialId: assigneeId },
    ],
  };
  return stores.cases.create(input);
}

export function newStores(): Stores {
  return createMemoryStores();
}

/** Polls `predicate` (see test/helpers/until.ts). */
export function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  return untilCondition('the condition', predicate, { timeoutMs, intervalMs: 25 });
}
