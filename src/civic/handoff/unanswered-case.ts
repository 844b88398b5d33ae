/**
 * Nobody took a hand-off within the office-hours minutes: it becomes a petition (phản ánh) so it is
 * not forgotten — the topic and the citizen's waiting messages as its content, the citizen's channel
 * and user, routed and dated like any petition filed in the chat.
 */
import type { CaseStore } from '../../store/ports/cases';
import type { Handoff } from '../../store/ports/handoffs';
import type { OfficialStore } from '../../store/ports/officials';
import type { Calendar } from '../calendar/calendar';
import { dueDate } from '../calendar/due-date';
import { formatDueDate } from '../case-text';
import { isCaseCategoryId } from '../cases/categories';
import { fileCase } from '../cases/file-case';
import type { CaseOutcome } from '../cases/notices';
import { routeCase } from '../officials/route-case';
import type { RoutingRules } from '../officials/routing-rules';
import { localeOfTag } from './handoff-text';

const CONTENT_MAX = 2000;

export interface UnansweredCaseDeps {
  cases: CaseStore;
  officials: OfficialStore;
  routing: RoutingRules;
  calendar: Calendar;
  now(): number;
}

/** The case content: what the citizen asked and wrote while waiting, newest cut first when too long. */
export function unansweredContent(h: Handoff): string {
  const head = `Người dân yêu cầu gặp cán bộ (${h.code}), chưa có cán bộ nhận kịp.`;
  const topic = h.topic.trim() === '' ? '' : `\nNội dung: ${h.topic.trim()}`;
  const said = h.messages.filter((m) => m.from === 'citizen').map((m) => `\n- ${m.text}`);
  let text = head + topic + (said.length > 0 ? '\nTin nhắn của người dân:' : '');
  for (const line of said) {
    if (text.length + line.length > CONTENT_MAX - 2) {
      text += '\n…';
      break;
    }
    text += line;
  }
  return text.slice(0, CONTENT_MAX);
}

/** Files the petition; the caller plans its jobs (afterCaseChange) and tells the citizen. */
export async function fileUnansweredHandoff(deps: UnansweredCaseDeps, h: Handoff): Promise<{ outcome: CaseOutcome; dueText: string }> {
  const officials = await deps.officials.list();
  const category = h.category && isCaseCategoryId(h.category) ? h.category : 'other';
  const outcome = await fileCase(
    {
      cases: deps.cases,
      now: deps.now,
      route: (r) => routeCase(deps.routing, officials, r),
      dueDate: (d) => dueDate(deps.calendar, { kind: d.petitionType, category: d.category, receivedAt: d.receivedAt }),
    },
    { petitionType: 'feedback', category, village: h.village ?? 'Không rõ', content: unansweredContent(h), channel: h.channel, userId: h.userId },
  );
  return { outcome, dueText: formatDueDate(outcome.case.dueAt, localeOfTag(h.locale)) };
}
