import type { HandoffStore, NewHandoff } from '../../src/store/ports';
import { normalizeHandoffCode } from '../../src/store/ports';
import { type StoreSubject, uniqueId, useStoreSubject } from './subject';

const T0 = Date.UTC(2026, 2, 9, 2, 0, 0);

function request(userId: string, over: Partial<NewHandoff> = {}): NewHandoff {
  return { channel: 'zalo', userId, topic: 'Hỏi về sổ đỏ', notifiedIds: ['dia-chinh-1'], createdAt: T0, ...over };
}

/** The HandoffStore contract: every adapter must pass it unchanged. */
export function describeHandoffStore(name: string, make: () => Promise<StoreSubject<HandoffStore>>): void {
  describe(`HandoffStore contract (${name})`, () => {
    const store = useStoreSubject(make);

    it('when a hand-off opens, then it waits with a readable code and is found by conversation and code', async () => {
      const user = uniqueId('u');
      const { created, handoff } = await store().open(request(user, { village: 'Thôn Đông' }));
      expect(created).toBe(true);
      expect(handoff).toMatchObject({ channel: 'zalo', userId: user, status: 'waiting', topic: 'Hỏi về sổ đỏ', village: 'Thôn Đông', lastActivityAt: T0, messages: [] });
      expect(normalizeHandoffCode(handoff.code)).toBe(handoff.code);
      expect(await store().findOpen('zalo', user)).toEqual(handoff);
      expect(await store().findByCode(handoff.code)).toEqual(handoff);
      expect(await store().get(handoff.id)).toEqual(handoff);
    });

    it('when one is open for the conversation, then opening again returns it and opens no other', async () => {
      const user = uniqueId('u');
      const first = await store().open(request(user));
      const again = await Promise.all([store().open(request(user, { topic: 'khác' })), store().open(request(user, { topic: 'nữa' }))]);
      expect(again.map((r) => r.created)).toEqual([false, false]);
      expect(again.map((r) => r.handoff.id)).toEqual([first.handoff.id, first.handoff.id]);
      expect((await store().listOpen()).filter((h) => h.userId === user)).toHaveLength(1);
    });

    it('when two officials take the same hand-off, then one has it and the other is told it is taken', async () => {
      const { handoff } = await store().open(request(uniqueId('u')));
      const [a, b] = await Promise.all([store().take(handoff.id, 'dia-chinh-1', T0 + 1000), store().take(handoff.id, 'tu-phap-1', T0 + 1000)]);
      const winners = [a, b].filter((r) => r.ok);
      expect(winners).toHaveLength(1);
      const loser = [a, b].find((r) => !r.ok);
      expect(loser).toMatchObject({ ok: false, reason: 'taken' });
      const won = winners[0].ok ? winners[0].handoff : null;
      expect(won).toMatchObject({ status: 'active', takenAt: T0 + 1000 });
      // Taking one's own again changes nothing.
      const again = await store().take(handoff.id, won?.officialId ?? '', T0 + 5000);
      expect(again).toMatchObject({ ok: true, handoff: { takenAt: T0 + 1000 } });
      expect(await store().take(uniqueId('none'), 'x', T0)).toEqual({ ok: false, reason: 'unknown' });
    });

    it('when messages are recorded, then each id is kept once, in order, and the last activity moves', async () => {
      const { handoff } = await store().open(request(uniqueId('u')));
      await store().addMessage(handoff.id, { id: 'm1', at: T0 + 10, from: 'citizen', text: 'alo' });
      await store().addMessage(handoff.id, { id: 'm1', at: T0 + 10, from: 'citizen', text: 'alo' });
      const after = await store().addMessage(handoff.id, { id: 'm2', at: T0 + 20, from: 'official', officialId: 'dia-chinh-1', text: 'Chào ông' });
      expect(after?.messages).toEqual([
        { id: 'm1', at: T0 + 10, from: 'citizen', text: 'alo' },
        { id: 'm2', at: T0 + 20, from: 'official', officialId: 'dia-chinh-1', text: 'Chào ông' },
      ]);
      expect(after?.lastActivityAt).toBe(T0 + 20);
    });

    it('when an end asks for a status the hand-off no longer has, then nothing changes', async () => {
      const { handoff } = await store().open(request(uniqueId('u')));
      await store().take(handoff.id, 'dia-chinh-1', T0 + 1000);
      expect(await store().end(handoff.id, { reason: 'unanswered', at: T0 + 2000, onlyIf: 'waiting' })).toBeNull();
      expect(await store().get(handoff.id)).toMatchObject({ status: 'active', officialId: 'dia-chinh-1' });
    });

    it('when a hand-off ends, then it is no longer open, a second end changes nothing, and a new one may open', async () => {
      const user = uniqueId('u');
      const { handoff } = await store().open(request(user));
      const ended = await store().end(handoff.id, { reason: 'unanswered', at: T0 + 60_000, caseCode: 'PA-23456' });
      expect(ended).toMatchObject({ status: 'ended', endReason: 'unanswered', endedAt: T0 + 60_000, caseCode: 'PA-23456' });
      expect(await store().end(handoff.id, { reason: 'official', at: T0 + 70_000 })).toBeNull();
      expect(await store().findOpen('zalo', user)).toBeNull();
      expect(await store().addMessage(handoff.id, { id: 'late', at: T0 + 80_000, from: 'citizen', text: 'còn đó không' })).toBeNull();
      expect(await store().take(handoff.id, 'dia-chinh-1', T0)).toMatchObject({ ok: false, reason: 'ended' });
      expect((await store().listOpen()).some((h) => h.id === handoff.id)).toBe(false);
      const next = await store().open(request(user, { createdAt: T0 + 90_000 }));
      expect(next.created).toBe(true);
      expect(next.handoff.id).not.toBe(handoff.id);
    });
  });
}
