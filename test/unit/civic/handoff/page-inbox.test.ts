import { createHandoffService, type HandoffRelay } from '../../../../src/civic/handoff/handoff-service';
import { OFFICIAL_TEXT } from '../../../../src/civic/handoff/handoff-text';
import { MemoryHandoffStore } from '../../../../src/store/memory/handoff-store';
import { MemoryOfficialStore } from '../../../../src/store/memory/official-store';
import type { Handoff } from '../../../../src/store/ports/handoffs';

// Staff answered the citizen in the Messenger Page Inbox while a hand-off was open.
const AT = Date.parse('2026-03-02T09:00:00+07:00');

function setup() {
  const handoffs = new MemoryHandoffStore();
  const ended: { h: Handoff; tell: { citizen: boolean; official: boolean } }[] = [];
  const relay: HandoffRelay = {
    opened: async () => undefined,
    relay: async () => undefined,
    canReachCitizenNow: async () => true,
    taken: async () => undefined,
    ended: async (h, tell) => void ended.push({ h, tell }),
  };
  const service = createHandoffService({ handoffs, officials: new MemoryOfficialStore(), recentLines: async () => [], relay, now: () => AT + 60_000 });
  return { handoffs, service, ended };
}

describe('a hand-off answered from the Page Inbox', () => {
  it('when one waits for an official, then it ends as page_inbox, the officials are to be told and the citizen is not', async () => {
    const { handoffs, service, ended } = setup();
    await handoffs.open({ channel: 'messenger', userId: 'u1', topic: 'sổ đỏ', notifiedIds: ['van-phong', 'mot-cua'], createdAt: AT });
    const h = await service.answeredFromPageInbox('messenger', 'u1');
    expect(h).toMatchObject({ status: 'ended', endReason: 'page_inbox', endedAt: AT + 60_000 });
    expect(ended.map((e) => e.tell)).toEqual([{ citizen: false, official: true }]);
    expect(await handoffs.findOpen('messenger', 'u1')).toBeNull();
    expect(OFFICIAL_TEXT.endedOther(h!)).toContain('Page Inbox');
  });

  it('when none is open (or it ended already: a redelivered reply), then nothing changes and nobody is told', async () => {
    const { handoffs, service, ended } = setup();
    expect(await service.answeredFromPageInbox('messenger', 'u1')).toBeNull();
    await handoffs.open({ channel: 'messenger', userId: 'u2', topic: '', notifiedIds: ['van-phong'], createdAt: AT });
    await service.answeredFromPageInbox('messenger', 'u2');
    expect(await service.answeredFromPageInbox('messenger', 'u2')).toBeNull();
    expect(ended).toHaveLength(1);
  });
});
