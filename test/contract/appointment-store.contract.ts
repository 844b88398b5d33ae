import type { AppointmentSlot, AppointmentStore, NewAppointment } from '../../src/store/ports';
import { type StoreSubject, uniqueId, useStoreSubject } from './subject';

const HOUR = 3_600_000;
// Monday 9 March 2026, 07:30 in Vietnam (00:30 UTC).
const MONDAY_0730 = Date.UTC(2026, 2, 9, 0, 30);

/** A slot of its own per test: keys are unique, days too (so listByDay sees only this test's). */
function slot(day = uniqueId('day'), hourOffset = 0): AppointmentSlot {
  const start = MONDAY_0730 + hourOffset * HOUR;
  return { key: `${day}T${hourOffset}`, day, start, end: start + HOUR };
}

function appointment(extra: Partial<NewAppointment> = {}): NewAppointment {
  return {
    id: uniqueId('appt'),
    code: uniqueId('LH'),
    procedureId: 'khai-sinh',
    name: 'Lê Thị Hoa',
    phone: '+84987654321',
    channel: 'zalo',
    userId: uniqueId('zalo-user'),
    locale: 'vi',
    createdAt: 1_000,
    ...extra,
  };
}

/** The AppointmentStore contract: every adapter must pass it unchanged. */
export function describeAppointmentStore(name: string, make: () => Promise<StoreSubject<AppointmentStore>>): void {
  describe(`AppointmentStore contract (${name})`, () => {
    const store = useStoreSubject(make);

    it('when a place is free, then book stores the appointment as booked and get/findByCode return it', async () => {
      const s = slot();
      const input = appointment({ service: 'civil_status' });
      const result = await store().book(s, 2, input);
      const expected = { ...input, slot: s, status: 'booked', updatedAt: input.createdAt, reschedules: 0 };
      expect(result).toEqual({ ok: true, appointment: expected });
      expect(await store().get(input.id)).toEqual(expected);
      expect(await store().findByCode(input.code)).toEqual(expected);
      expect(await store().get(uniqueId('nobody'))).toBeNull();
      expect(await store().findByCode(uniqueId('LH'))).toBeNull();
    });

    it('when 50 people book a slot of capacity 3 at once, then exactly 3 succeed and the rest are told slot_full', async () => {
      const s = slot();
      const results = await Promise.all(Array.from({ length: 50 }, () => store().book(s, 3, appointment())));
      expect(results.filter((r) => r.ok)).toHaveLength(3);
      expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(Array(47).fill('slot_full'));
      expect((await store().listByDay(s.day)).filter((a) => a.status === 'booked')).toHaveLength(3);
      expect(await store().countsByDay(s.day)).toEqual({ [s.key]: 3 });
    });

    it('when a code is already used, then book refuses code_taken and takes no place', async () => {
      const s = slot();
      const first = appointment();
      await store().book(s, 1, first);
      expect(await store().book(slot(), 1, appointment({ code: first.code }))).toEqual({ ok: false, reason: 'code_taken' });
      expect(await store().countsByDay(s.day)).toEqual({ [s.key]: 1 });
    });

    it('when an appointment is cancelled, then its place is free again and a second cancel is not_booked', async () => {
      const s = slot();
      const a = appointment();
      await store().book(s, 1, a);
      expect(await store().book(s, 1, appointment())).toEqual({ ok: false, reason: 'slot_full' });
      const cancelled = await store().cancel(a.id, 5_000);
      expect(cancelled).toMatchObject({ ok: true, appointment: { id: a.id, status: 'cancelled', updatedAt: 5_000 } });
      expect(await store().cancel(a.id, 6_000)).toEqual({ ok: false, reason: 'not_booked' });
      expect(await store().cancel(uniqueId('nobody'), 6_000)).toEqual({ ok: false, reason: 'not_found' });
      expect((await store().book(s, 1, appointment())).ok).toBe(true);
    });

    it('when rescheduled to a slot with room, then the new place is taken and the old one freed', async () => {
      const day = uniqueId('day');
      const [morning, later] = [slot(day, 0), slot(day, 1)];
      const a = appointment();
      await store().book(morning, 1, a);
      const moved = await store().reschedule(a.id, later, 1, 9_000);
      expect(moved).toMatchObject({ ok: true, appointment: { id: a.id, slot: later, status: 'booked', reschedules: 1, updatedAt: 9_000 } });
      expect(await store().countsByDay(day)).toEqual({ [later.key]: 1 });
      expect((await store().book(morning, 1, appointment())).ok).toBe(true);
    });

    it('when rescheduled to a full slot, then it is refused and the appointment keeps its place', async () => {
      const day = uniqueId('day');
      const [mine, full] = [slot(day, 0), slot(day, 1)];
      const a = appointment();
      await store().book(mine, 1, a);
      await store().book(full, 1, appointment());
      expect(await store().reschedule(a.id, full, 1, 9_000)).toEqual({ ok: false, reason: 'slot_full' });
      expect((await store().get(a.id))?.slot).toEqual(mine);
      expect(await store().countsByDay(day)).toEqual({ [mine.key]: 1, [full.key]: 1 });
    });

    it('when 20 booked people move at once into a slot with 2 places, then exactly 2 move and the others keep theirs', async () => {
      const day = uniqueId('day');
      const target = slot(day, 3);
      const people = Array.from({ length: 20 }, (_, i) => ({ a: appointment(), s: slot(day, -i - 1) }));
      for (const p of people) await store().book(p.s, 1, p.a);
      const results = await Promise.all(people.map((p) => store().reschedule(p.a.id, target, 2, 9_000)));
      expect(results.filter((r) => r.ok)).toHaveLength(2);
      const counts = await store().countsByDay(day);
      expect(counts[target.key]).toBe(2);
      expect(Object.values(counts).reduce((x, y) => x + y, 0)).toBe(20);
    });

    it('when a cancelled appointment is rescheduled or marked, then it is not_booked', async () => {
      const a = appointment();
      await store().book(slot(), 1, a);
      await store().cancel(a.id, 2_000);
      expect(await store().reschedule(a.id, slot(), 1, 3_000)).toEqual({ ok: false, reason: 'not_booked' });
      expect(await store().markAttendance(a.id, 'attended', 'desk-1', 3_000)).toEqual({ ok: false, reason: 'not_booked' });
    });

    it('when an official marks attendance, then the status and who marked it are kept, and it can be corrected', async () => {
      const a = appointment();
      await store().book(slot(), 1, a);
      expect(await store().markAttendance(a.id, 'no_show', 'desk-1', 3_000)).toMatchObject({ ok: true, appointment: { status: 'no_show', markedBy: 'desk-1', updatedAt: 3_000 } });
      expect(await store().markAttendance(a.id, 'attended', 'desk-2', 4_000)).toMatchObject({ ok: true, appointment: { status: 'attended', markedBy: 'desk-2' } });
      expect(await store().markAttendance(uniqueId('nobody'), 'attended', 'desk-1', 4_000)).toEqual({ ok: false, reason: 'not_found' });
    });

    it('when a day is listed, then its appointments come by start then creation, cancelled ones too', async () => {
      const day = uniqueId('day');
      const late = appointment({ createdAt: 1 });
      const early2 = appointment({ createdAt: 3 });
      const early1 = appointment({ createdAt: 2 });
      await store().book(slot(day, 2), 5, late);
      await store().book(slot(day, 0), 5, early2);
      await store().book(slot(day, 0), 5, early1);
      await store().cancel(early2.id, 10);
      expect((await store().listByDay(day)).map((a) => [a.id, a.status])).toEqual([
        [early1.id, 'booked'],
        [early2.id, 'cancelled'],
        [late.id, 'booked'],
      ]);
    });

    it("when a person's appointments are listed, then only theirs from the given time on, by start", async () => {
      const userId = uniqueId('zalo-user');
      const day = uniqueId('day');
      const past = appointment({ userId });
      const next = appointment({ userId });
      const after = appointment({ userId });
      await store().book(slot(day, 5), 5, after);
      await store().book(slot(day, -5), 5, past);
      await store().book(slot(day, 1), 5, next);
      await store().book(slot(day, 1), 5, appointment());
      await store().book(slot(day, 1), 5, appointment({ userId, channel: 'messenger' }));
      const mine = await store().listByPerson('zalo', userId, MONDAY_0730);
      expect(mine.map((a) => a.id)).toEqual([next.id, after.id]);
    });

    it('when the caller mutates what it got back, then the stored appointment is unchanged', async () => {
      const a = appointment();
      const result = await store().book(slot(), 1, a);
      if (result.ok) result.appointment.slot.start = 0;
      a.name = 'changed';
      const got = await store().get(a.id);
      expect(got?.name).toBe('Lê Thị Hoa');
      expect(got?.slot.start).toBe(MONDAY_0730);
    });

    describe('result dates (hẹn trả kết quả)', () => {
      async function booked(): Promise<string> {
        const a = appointment();
        await store().book(slot(), 1, a);
        return a.id;
      }

      it('when a result date is set, moved, confirmed and marked ready, then each change is kept with who, when and the days', async () => {
        const id = await booked();
        expect(await store().changeResultDate(id, { what: 'set', day: '2026-03-12', officialId: 'mot-cua-1', by: 'mot-cua-1', at: 2_000 })).toMatchObject({ ok: true });
        await store().changeResultDate(id, { what: 'moved', from: '2026-03-12', day: '2026-03-16', by: 'mot-cua-1', at: 3_000, reason: 'chờ xác minh' });
        await store().changeResultDate(id, { what: 'confirmed', by: 'mot-cua-1', at: 4_000 });
        const ready = await store().changeResultDate(id, { what: 'ready', by: 'admin', at: 5_000 });
        const expected = {
          day: '2026-03-16',
          status: 'ready',
          officialId: 'mot-cua-1',
          moves: 1,
          readyAt: 5_000,
          history: [
            { at: 2_000, by: 'mot-cua-1', what: 'set', to: '2026-03-12' },
            { at: 3_000, by: 'mot-cua-1', what: 'moved', from: '2026-03-12', to: '2026-03-16', reason: 'chờ xác minh' },
            { at: 4_000, by: 'mot-cua-1', what: 'confirmed' },
            { at: 5_000, by: 'admin', what: 'ready' },
          ],
        };
        expect(ready).toEqual({ ok: true, appointment: expect.objectContaining({ result: expected, updatedAt: 5_000 }) });
        expect((await store().get(id))?.result).toEqual(expected);
      });

      it('when a change does not fit the stored result, then it is refused with its reason and nothing changes', async () => {
        const id = await booked();
        expect(await store().changeResultDate(uniqueId('nobody'), { what: 'ready', by: 'x', at: 1 })).toEqual({ ok: false, reason: 'not_found' });
        expect(await store().changeResultDate(id, { what: 'ready', by: 'x', at: 1 })).toEqual({ ok: false, reason: 'no_result' });
        await store().changeResultDate(id, { what: 'set', day: '2026-03-12', officialId: 'a', by: 'a', at: 2 });
        expect(await store().changeResultDate(id, { what: 'set', day: '2026-03-13', officialId: 'b', by: 'b', at: 3 })).toEqual({ ok: false, reason: 'result_exists' });
        expect(await store().changeResultDate(id, { what: 'moved', from: '2026-03-11', day: '2026-03-13', by: 'a', at: 3 })).toEqual({ ok: false, reason: 'result_changed' });
        await store().changeResultDate(id, { what: 'ready', by: 'a', at: 4 });
        expect(await store().changeResultDate(id, { what: 'moved', from: '2026-03-12', day: '2026-03-13', by: 'a', at: 5 })).toEqual({ ok: false, reason: 'result_ready' });
        const after = await store().get(id);
        expect(after?.result).toMatchObject({ day: '2026-03-12', status: 'ready', moves: 0 });
        expect(after?.result?.history).toHaveLength(2);

        const cancelled = await booked();
        await store().cancel(cancelled, 6);
        expect(await store().changeResultDate(cancelled, { what: 'set', day: '2026-03-12', officialId: 'a', by: 'a', at: 7 })).toEqual({ ok: false, reason: 'not_booked' });
      });

      it('when two officials move the same result date at once, then one move wins and the other is refused, not lost', async () => {
        const id = await booked();
        await store().changeResultDate(id, { what: 'set', day: '2026-03-12', officialId: 'a', by: 'a', at: 2 });
        const results = await Promise.all(
          ['2026-03-13', '2026-03-16'].map((day) => store().changeResultDate(id, { what: 'moved', from: '2026-03-12', day, by: 'a', at: 3 })),
        );
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'result_changed' }]);
        expect((await store().get(id))?.result?.moves).toBe(1);
      });

      it('when promised results are listed, then only promised ones come, by day', async () => {
        const [late, early, done] = [await booked(), await booked(), await booked()];
        await store().changeResultDate(late, { what: 'set', day: '2099-05-20', officialId: 'a', by: 'a', at: 1 });
        await store().changeResultDate(early, { what: 'set', day: '2099-05-18', officialId: 'a', by: 'a', at: 1 });
        await store().changeResultDate(done, { what: 'set', day: '2099-05-19', officialId: 'a', by: 'a', at: 1 });
        await store().changeResultDate(done, { what: 'ready', by: 'a', at: 2 });
        const ids = (await store().listPromisedResults()).map((a) => a.id);
        expect(ids.filter((i) => [late, early, done].includes(i))).toEqual([early, late]);
      });
    });
  });
}
