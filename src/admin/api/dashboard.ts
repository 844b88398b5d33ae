import express, { type Router } from 'express';
import { vietnamDayOf, type ConversationStore } from '../../store/ports/conversations';
import { CLOSED_CASE_STATUSES, type CaseStore } from '../../store/ports/cases';
import { allCases, isOverdue } from './cases';
import { wrap } from './http';
import type { AdminAuth } from './roles';

export interface DashboardDeps {
  auth: AdminAuth;
  cases: CaseStore;
  conversations: ConversationStore;
  now?: () => number;
}

/** Days of messages the dashboard shows, today included. */
export const MESSAGE_DAYS = 14;
/** Channels always shown, even on days without a message. */
const CHANNELS = ['zalo', 'messenger'];
const DAY_MS = 86_400_000;

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * GET /admin/api/dashboard (every role): open and overdue cases, median time to resolve,
 * satisfaction, and `messages`: per Vietnam day (the last 14, oldest first) and channel, the
 * messages people sent in and the replies that went out.
 */
export function createDashboardRouter(deps: DashboardDeps): Router {
  const { auth, cases, conversations, now = Date.now } = deps;
  const router = express.Router();
  router.get(
    '/admin/api/dashboard',
    auth.requireRole('admin', 'official', 'viewer'),
    wrap(async (_req, res) => {
      const t = now();
      const list = await allCases(cases, {});
      const open = list.filter((c) => !CLOSED_CASE_STATUSES.includes(c.status));
      const resolvedIn = list.flatMap((c) => (c.resolution ? [c.resolution.at - c.createdAt] : []));
      const ratings = list.flatMap((c) => (c.rating ? [c.rating.score] : []));
      res.json({
        open: open.length,
        overdue: open.filter((c) => isOverdue(c, t)).length,
        medianResolveMs: median(resolvedIn),
        satisfaction: ratings.length ? { average: ratings.reduce((a, b) => a + b, 0) / ratings.length, count: ratings.length } : null,
        messages: await messagesPerDay(conversations, t),
      });
    }),
  );
  return router;
}

/** One row per day and channel, zeros included, so the page draws the same table every day. */
async function messagesPerDay(conversations: ConversationStore, t: number) {
  const days = Array.from({ length: MESSAGE_DAYS }, (_, i) => vietnamDayOf(t - (MESSAGE_DAYS - 1 - i) * DAY_MS));
  // Midnight in Vietnam (UTC+7) of the first day shown.
  const since = Date.parse(`${days[0]}T00:00:00+07:00`);
  const counted = await conversations.countMessagesByDay({ since, until: t + 1 });
  const channels = [...new Set([...CHANNELS, ...counted.map((c) => c.channel)])];
  const found = new Map(counted.map((c) => [`${c.day} ${c.channel}`, c]));
  return {
    days,
    channels,
    rows: days.flatMap((day) => channels.map((channel) => {
      const c = found.get(`${day} ${channel}`);
      return { day, channel, inbound: c?.inbound ?? 0, outbound: c?.outbound ?? 0 };
    })),
  };
}
