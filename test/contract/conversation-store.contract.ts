import type { ConversationStore, TranscriptEntry } from '../../src/store/ports';
import { type StoreSubject, uniqueId, useStoreSubject } from './subject';

const T0 = Date.UTC(2025, 2, 3, 1, 0, 0);

function inbound(id: string, at: number, text = `in ${id}`): TranscriptEntry {
  return { direction: 'in', at, id, text, platformMessageId: `mid.${id}` };
}

function outbound(id: string, at: number, text = `out ${id}`): TranscriptEntry {
  return { direction: 'out', at, id, text, status: 'pending' };
}

/** The ConversationStore contract: every adapter must pass it unchanged. */
export function describeConversationStore(name: string, make: () => Promise<StoreSubject<ConversationStore>>): void {
  describe(`ConversationStore contract (${name})`, () => {
    const store = useStoreSubject(make);

    function newConversation() {
      const userId = uniqueId('user');
      return { key: `zalo:${userId}`, channel: 'zalo', userId };
    }

    describe('get and save', () => {
      it('when nothing was saved under a key, then get returns null and the transcript is empty', async () => {
        const { key } = newConversation();
        expect(await store().get(key)).toBeNull();
        expect(await store().transcript(key)).toEqual([]);
      });

      it('when a conversation is saved, then get returns its state with updatedAt = now', async () => {
        const c = newConversation();
        const state = { flowId: 'thu-tuc', version: 2, step: 'ask_name', answers: { ten: 'Nguyễn Văn Ánh', tuoi: 42, ok: true, none: null }, seen: ['a', 'b'] };
        await store().save({ ...c, state }, [], T0);
        expect(await store().get(c.key)).toEqual({ ...c, state, updatedAt: T0 });
      });

      it('when the state is empty, then it comes back empty, not missing', async () => {
        const c = newConversation();
        await store().save({ ...c, state: {} }, [], T0);
        expect((await store().get(c.key))?.state).toEqual({});
      });

      it('when saved again, then the new state replaces the old one and updatedAt moves', async () => {
        const c = newConversation();
        await store().save({ ...c, state: { step: 'one', extra: 1 } }, [], T0);
        await store().save({ ...c, state: { step: 'two' } }, [], T0 + 1000);
        expect(await store().get(c.key)).toEqual({ ...c, state: { step: 'two' }, updatedAt: T0 + 1000 });
      });

      it('when the caller mutates what get returned, then the stored conversation is unchanged', async () => {
        const c = newConversation();
        await store().save({ ...c, state: { step: 'one', nested: { n: 1 } } }, [inbound('e1', T0)], T0);
        const got = await store().get(c.key);
        (got!.state.nested as { n: number }).n = 99;
        got!.state.step = 'hacked';
        const lines = await store().transcript(c.key);
        lines[0].text = 'hacked';
        expect((await store().get(c.key))?.state).toEqual({ step: 'one', nested: { n: 1 } });
        expect((await store().transcript(c.key))[0].text).toBe('in e1');
      });
    });

    describe('transcript', () => {
      it('when entries come through save and appendTranscript, then the transcript keeps their order', async () => {
        const c = newConversation();
        await store().save({ ...c, state: {} }, [inbound('e1', T0), outbound('r1', T0 + 10), outbound('r2', T0 + 10)], T0);
        await store().appendTranscript(c.key, outbound('r3', T0 + 10));
        await store().save({ ...c, state: {} }, [inbound('e2', T0 + 20)], T0 + 20);
        await store().appendTranscript(c.key, outbound('r4', T0 + 30));
        expect((await store().transcript(c.key)).map((e) => e.id)).toEqual(['e1', 'r1', 'r2', 'r3', 'e2', 'r4']);
      });

      it('when entries are stored, then they come back field for field', async () => {
        const c = newConversation();
        const failed: TranscriptEntry = { direction: 'out', at: T0 + 5, id: 'r1', text: 'Xin chào', status: 'failed', error: 'USER_BLOCKED' };
        await store().save({ ...c, state: {} }, [inbound('e1', T0, 'Tôi muốn làm CCCD')], T0);
        await store().appendTranscript(c.key, failed);
        expect(await store().transcript(c.key)).toEqual([inbound('e1', T0, 'Tôi muốn làm CCCD'), failed]);
      });

      it('when a limit is given, then the latest entries come back, oldest first', async () => {
        const c = newConversation();
        await store().save({ ...c, state: {} }, [inbound('e1', T0), outbound('r1', T0 + 1), inbound('e2', T0 + 2), outbound('r2', T0 + 3)], T0);
        expect((await store().transcript(c.key, 3)).map((e) => e.id)).toEqual(['r1', 'e2', 'r2']);
        expect((await store().transcript(c.key, 10)).map((e) => e.id)).toEqual(['e1', 'r1', 'e2', 'r2']);
      });

      it("when another conversation has entries, then they stay out of this one's transcript", async () => {
        const a = newConversation();
        const b = newConversation();
        await store().save({ ...a, state: {} }, [inbound('same-id', T0)], T0);
        await store().save({ ...b, state: {} }, [inbound('same-id', T0), outbound('rb', T0 + 1)], T0);
        expect((await store().transcript(a.key)).map((e) => e.id)).toEqual(['same-id']);
        expect(await store().hasInbound(b.key, 'same-id')).toBe(true);
      });

      it('when appendTranscript targets a conversation never saved, then the entry is kept', async () => {
        const { key } = newConversation();
        await store().appendTranscript(key, outbound('r1', T0));
        expect((await store().transcript(key)).map((e) => e.id)).toEqual(['r1']);
      });
    });

    describe('inbound dedupe', () => {
      it('when a save carried an inbound entry, then hasInbound is true for its id only', async () => {
        const c = newConversation();
        await store().save({ ...c, state: {} }, [inbound('e1', T0), outbound('r1', T0 + 1)], T0);
        expect(await store().hasInbound(c.key, 'e1')).toBe(true);
        expect(await store().hasInbound(c.key, 'e2')).toBe(false);
        // An outbound entry is not an inbound event, whatever its id.
        expect(await store().hasInbound(c.key, 'r1')).toBe(false);
        expect(await store().hasInbound(newConversation().key, 'e1')).toBe(false);
      });

      it('when a save is retried with the same inbound entry, then the transcript holds it once and the state is the retry', async () => {
        const c = newConversation();
        const entries = [inbound('e1', T0), outbound('r1', T0 + 1)];
        await store().save({ ...c, state: { step: 'two' } }, entries, T0);
        await store().save({ ...c, state: { step: 'two', retried: true } }, entries, T0 + 500);
        expect((await store().transcript(c.key)).map((e) => e.id)).toEqual(['e1', 'r1']);
        expect(await store().get(c.key)).toEqual({ ...c, state: { step: 'two', retried: true }, updatedAt: T0 + 500 });
      });

      it('when appendTranscript repeats an inbound entry, then it is not duplicated', async () => {
        const c = newConversation();
        await store().save({ ...c, state: {} }, [inbound('e1', T0)], T0);
        await store().appendTranscript(c.key, inbound('e1', T0));
        expect((await store().transcript(c.key)).map((e) => e.id)).toEqual(['e1']);
      });
    });

    describe('updateTranscriptEntry', () => {
      it('when an outbound entry is updated, then its status, platform id and error change and the rest stays', async () => {
        const c = newConversation();
        await store().save({ ...c, state: {} }, [inbound('e1', T0), outbound('r1', T0 + 1), outbound('r2', T0 + 2)], T0);
        await store().updateTranscriptEntry(c.key, 'r1', { status: 'sent', platformMessageId: 'msg-777' });
        await store().updateTranscriptEntry(c.key, 'r2', { status: 'failed', error: 'OUTSIDE_WINDOW' });
        expect(await store().transcript(c.key)).toEqual([
          inbound('e1', T0),
          { ...outbound('r1', T0 + 1), status: 'sent', platformMessageId: 'msg-777' },
          { ...outbound('r2', T0 + 2), status: 'failed', error: 'OUTSIDE_WINDOW' },
        ]);
      });

      it('when the entry is absent, then nothing changes and nothing is created', async () => {
        const c = newConversation();
        await store().save({ ...c, state: {} }, [inbound('e1', T0)], T0);
        await store().updateTranscriptEntry(c.key, 'nope', { status: 'sent' });
        // The id of an inbound entry does not name an outbound one.
        await store().updateTranscriptEntry(c.key, 'e1', { status: 'sent' });
        expect(await store().transcript(c.key)).toEqual([inbound('e1', T0)]);
      });
    });

    describe('updateTranscriptEntries', () => {
      it('when a turn\'s entries are updated together, then each gets its own patch, absent ids are skipped and the order stays', async () => {
        const c = newConversation();
        await store().save({ ...c, state: {} }, [inbound('e1', T0), outbound('r1', T0 + 1), outbound('r2', T0 + 2), outbound('r3', T0 + 3)], T0);
        await store().updateTranscriptEntries(c.key, [
          { id: 'r1', patch: { status: 'sent', platformMessageId: 'msg-1' } },
          { id: 'nope', patch: { status: 'sent' } },
          { id: 'e1', patch: { status: 'sent' } },
          { id: 'r2', patch: { status: 'failed', error: 'user_blocked' } },
        ]);
        await store().updateTranscriptEntries(c.key, []);
        expect(await store().transcript(c.key)).toEqual([
          inbound('e1', T0),
          { ...outbound('r1', T0 + 1), status: 'sent', platformMessageId: 'msg-1' },
          { ...outbound('r2', T0 + 2), status: 'failed', error: 'user_blocked' },
          outbound('r3', T0 + 3),
        ]);
      });
    });

    describe('last inbound time', () => {
      it('when nothing was recorded for a person, then lastInboundAt is null', async () => {
        expect(await store().lastInboundAt('messenger', uniqueId('psid'))).toBeNull();
      });

      it('when an older time is recorded after a newer one, then the newer one stays', async () => {
        const userId = uniqueId('psid');
        await store().touchInbound('messenger', userId, T0 + 60_000);
        expect(await store().lastInboundAt('messenger', userId)).toBe(T0 + 60_000);
        await store().touchInbound('messenger', userId, T0);
        expect(await store().lastInboundAt('messenger', userId)).toBe(T0 + 60_000);
        await store().touchInbound('messenger', userId, T0 + 120_000);
        expect(await store().lastInboundAt('messenger', userId)).toBe(T0 + 120_000);
      });

      it('when the same user id writes on two channels, then each channel keeps its own time', async () => {
        const userId = uniqueId('uid');
        await store().touchInbound('zalo', userId, T0);
        await store().touchInbound('messenger', userId, T0 + 5000);
        expect(await store().lastInboundAt('zalo', userId)).toBe(T0);
        expect(await store().lastInboundAt('messenger', userId)).toBe(T0 + 5000);
      });

      it('when touches for one person race, then the latest time wins', async () => {
        const userId = uniqueId('uid');
        await Promise.all([5, 1, 9, 3, 7].map((n) => store().touchInbound('zalo', userId, T0 + n)));
        expect(await store().lastInboundAt('zalo', userId)).toBe(T0 + 9);
      });
    });

    describe('messages per day', () => {
      // Each test reads a window no other test writes in: the suite shares one store.
      const windowOf = () => {
        const since = Date.UTC(2031, 0, 1) + Math.floor(Math.random() * 3000) * 86_400_000 * 3;
        return { since, until: since + 3 * 86_400_000 };
      };

      it('when people write on two channels, then each Vietnam day counts their messages in and the replies sent', async () => {
        const { since, until } = windowOf();
        const zalo = `zalo:${uniqueId('u')}`;
        const messenger = `messenger:${uniqueId('psid')}`;
        // 16:59 UTC is 23:59 in Vietnam; 17:00 UTC is already the next day there.
        const late = since + 16 * 3600_000 + 59 * 60_000;
        const nextDay = since + 17 * 3600_000;
        await store().save({ key: zalo, channel: 'zalo', userId: zalo.slice(5), state: {} }, [inbound('a1', late), { ...outbound('a2', late), status: 'sent' }, inbound('a3', nextDay)], late);
        await store().save({ key: messenger, channel: 'messenger', userId: messenger.slice(10), state: {} }, [inbound('b1', late), outbound('b2', late), { ...outbound('b3', late), status: 'failed' }], late);
        await store().appendTranscript(messenger, { ...outbound('b4', nextDay), status: 'sent' });
        const day = (t: number) => new Date(t + 7 * 3600_000).toISOString().slice(0, 10);
        expect(await store().countMessagesByDay({ since, until })).toEqual([
          { day: day(late), channel: 'messenger', inbound: 1, outbound: 0 },
          { day: day(late), channel: 'zalo', inbound: 1, outbound: 1 },
          { day: day(nextDay), channel: 'messenger', inbound: 0, outbound: 1 },
          { day: day(nextDay), channel: 'zalo', inbound: 1, outbound: 0 },
        ]);
        expect(day(late)).not.toBe(day(nextDay));
      });

      it('when a pending reply is later marked sent, then it counts; entries outside [since, until) never do', async () => {
        const { since, until } = windowOf();
        const key = `zalo:${uniqueId('u')}`;
        await store().save({ key, channel: 'zalo', userId: key.slice(5), state: {} }, [inbound('c0', since - 1), inbound('c1', since), outbound('c2', since + 1000), inbound('c3', until)], since);
        expect(await store().countMessagesByDay({ since, until })).toEqual([{ day: new Date(since + 7 * 3600_000).toISOString().slice(0, 10), channel: 'zalo', inbound: 1, outbound: 0 }]);
        await store().updateTranscriptEntry(key, 'c2', { status: 'sent' });
        expect((await store().countMessagesByDay({ since, until }))[0]).toMatchObject({ inbound: 1, outbound: 1 });
      });
    });
  });
}
