import {
  CASE_CODE_ALPHABET,
  type Case,
  type CaseEvent,
  type CaseKind,
  type CaseStore,
  type NewCase,
  isCaseVersionConflict,
} from '../../src/store/ports/cases';
import { type StoreSubject, uniqueId, useStoreSubject } from './subject';

const T0 = Date.UTC(2026, 2, 2, 1, 0, 0);
const DAY = 86_400_000;
const CODE = new RegExp(`^PA-[${CASE_CODE_ALPHABET}]{5}$`);

/** What a suite may ask of the adapter beyond the defaults: a scripted code source. */
export interface CaseStoreOptions {
  newCode?: (kind: CaseKind) => string;
  maxCodeAttempts?: number;
}

function newCase(overrides: Partial<NewCase> = {}): NewCase {
  return {
    kind: 'petition',
    petitionType: 'feedback',
    category: 'environment',
    village: 'Thôn Phú Lộc',
    content: 'Rác thải đổ ở bờ kênh gần cầu Đò, bốc mùi đã một tuần.',
    attachments: [
      { type: 'image', url: 'https://example.invalid/p/1.jpg', platformId: 'att-1' },
      { type: 'location', lat: 19.93, lng: 105.88, label: 'Cầu Đò' },
    ],
    contact: { name: 'Nguyễn Thị Hoa', phone: '+84912345678', consentVersion: '2026-01', consentAt: T0 - 60_000 },
    channel: 'zalo',
    userId: uniqueId('uid'),
    status: 'assigned',
    assigneeId: 'can-bo-moi-truong',
    backupId: 'pho-chu-tich',
    dueAt: T0 + 14 * DAY,
    createdAt: T0,
    history: [
      { at: T0, by: 'citizen', what: 'received' },
      { at: T0, by: 'system', what: 'assigned', officialId: 'can-bo-moi-truong' },
    ],
    ...overrides,
  };
}

function note(at: number, by = 'can-bo-moi-truong', text = 'Đã gọi điện cho trưởng thôn'): CaseEvent {
  return { at, by, what: 'note', note: text };
}

/** The CaseStore contract: every adapter must pass it unchanged. */
export function describeCaseStore(name: string, make: (opts: CaseStoreOptions) => Promise<StoreSubject<CaseStore>>): void {
  describe(`CaseStore contract (${name})`, () => {
    const store = useStoreSubject(() => make({}));

    describe('create, get and findByCode', () => {
      it('when a case is created, then it gets an id, a readable code, version 1 and updatedAt = createdAt', async () => {
        const input = newCase();
        const created = await store().create(input);
        expect(created.code).toMatch(CODE);
        expect(created.id).toEqual(expect.any(String));
        expect(created).toEqual({ ...input, id: created.id, code: created.code, version: 1, updatedAt: T0 });
      });

      it('when a case is read back by id or by code, then it is the created case field for field', async () => {
        const created = await store().create(newCase());
        expect(await store().get(created.id)).toEqual(created);
        expect(await store().findByCode(created.code)).toEqual(created);
      });

      it('when optional fields are absent, then they stay absent (anonymous, unassigned, no attachments)', async () => {
        const { contact: _c, assigneeId: _a, backupId: _b, ...bare } = newCase({ status: 'received', attachments: [] });
        const created = await store().create(bare);
        const got = await store().get(created.id);
        expect(got).toEqual({ ...bare, id: created.id, code: created.code, version: 1, updatedAt: T0 });
        for (const field of ['contact', 'assigneeId', 'backupId', 'resolution', 'rating']) expect(got).not.toHaveProperty(field);
      });

      it('when a kiến nghị is created, then it reads back as a proposal, and a phản ánh as feedback', async () => {
        const proposal = await store().create(newCase({ petitionType: 'proposal' }));
        const feedback = await store().create(newCase({ petitionType: 'feedback' }));
        expect((await store().findByCode(proposal.code))?.petitionType).toBe('proposal');
        expect((await store().get(feedback.id))?.petitionType).toBe('feedback');
      });

      it('when the id or code is unknown, then get and findByCode return null', async () => {
        expect(await store().get(uniqueId('case'))).toBeNull();
        expect(await store().findByCode('PA-22222-nope')).toBeNull();
      });

      it('when 200 cases are created at once, then they get 200 distinct codes and ids', async () => {
        const created = await Promise.all(Array.from({ length: 200 }, () => store().create(newCase())));
        expect(new Set(created.map((c) => c.code)).size).toBe(200);
        expect(new Set(created.map((c) => c.id)).size).toBe(200);
        for (const c of created) expect(c.code).toMatch(CODE);
        const found = await Promise.all(created.map((c) => store().findByCode(c.code)));
        expect(found.map((c) => c?.id)).toEqual(created.map((c) => c.id));
      });
    });

    describe('code collisions', () => {
      it('when a drawn code is taken, then create draws again and the first case keeps its code', async () => {
        const script = ['PA-22222', 'PA-22222', 'PA-22222', 'PA-33333'];
        const subject = await make({ newCode: () => script.shift() ?? 'PA-99999' });
        try {
          const first = await subject.store.create(newCase());
          const second = await subject.store.create(newCase());
          expect([first.code, second.code]).toEqual(['PA-22222', 'PA-33333']);
          expect((await subject.store.findByCode('PA-22222'))?.id).toBe(first.id);
        } finally {
          await subject.cleanup();
        }
      });

      it('when every drawn code is taken, then create gives up with an error instead of looping', async () => {
        const subject = await make({ newCode: () => 'PA-44444', maxCodeAttempts: 3 });
        try {
          await subject.store.create(newCase());
          await expect(subject.store.create(newCase())).rejects.toThrow(/case code/);
          expect((await subject.store.list({})).cases).toHaveLength(1);
        } finally {
          await subject.cleanup();
        }
      });
    });

    describe('update', () => {
      it('when a case is updated, then the patch applies, the event is appended, updatedAt moves and the version goes up', async () => {
        const created = await store().create(newCase());
        const event: CaseEvent = { at: T0 + 3600_000, by: 'can-bo-moi-truong', what: 'accepted' };
        const updated = await store().update(created.id, { status: 'in_progress' }, event, 1);
        expect(updated).toEqual({ ...created, status: 'in_progress', history: [...created.history, event], updatedAt: T0 + 3600_000, version: 2 });
        expect(await store().get(created.id)).toEqual(updated);
      });

      it('when the expected version is stale, then the update is refused with CaseVersionConflict and nothing changes', async () => {
        const created = await store().create(newCase());
        await store().update(created.id, { status: 'in_progress' }, { at: T0 + 1, by: 'a', what: 'accepted' }, 1);
        const before = await store().get(created.id);
        const stale = store().update(created.id, { status: 'rejected' }, { at: T0 + 2, by: 'b', what: 'rejected' }, 1);
        await expect(stale).rejects.toMatchObject({ name: 'CaseVersionConflict', caseId: created.id, expectedVersion: 1, actualVersion: 2 });
        await stale.catch((e: unknown) => expect(isCaseVersionConflict(e)).toBe(true));
        expect(await store().get(created.id)).toEqual(before);
      });

      it('when two updates race with the same expected version, then exactly one wins', async () => {
        const created = await store().create(newCase());
        const results = await Promise.allSettled(
          ['resolved', 'rejected'].map((what, i) =>
            store().update(created.id, { status: what as 'resolved' | 'rejected' }, { at: T0 + i, by: `o-${i}`, what: what as 'resolved' | 'rejected' }, 1),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(isCaseVersionConflict(refused?.reason)).toBe(true);
        const after = await store().get(created.id);
        expect(after?.version).toBe(2);
        expect(after?.history).toHaveLength(3);
      });

      it('when updates without an expected version race, then every event is appended once', async () => {
        const created = await store().create(newCase());
        await Promise.all(Array.from({ length: 20 }, (_, i) => store().update(created.id, {}, note(T0 + i, `o-${i}`), undefined)));
        const after = await store().get(created.id);
        expect(after?.version).toBe(21);
        expect(after?.history.slice(2).map((e) => e.by).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `o-${i}`).sort());
      });

      it('when the case does not exist, then update returns null, with or without a version', async () => {
        expect(await store().update(uniqueId('case'), { status: 'resolved' }, note(T0))).toBeNull();
        expect(await store().update(uniqueId('case'), { status: 'resolved' }, note(T0), 3)).toBeNull();
      });

      it('when the patch holds null for backup or contact, then those fields are removed', async () => {
        const created = await store().create(newCase());
        const updated = await store().update(created.id, { backupId: null, contact: null, assigneeId: 'chu-tich' }, note(T0 + 5));
        expect(updated).not.toHaveProperty('backupId');
        expect(updated).not.toHaveProperty('contact');
        expect(updated?.assigneeId).toBe('chu-tich');
        expect(await store().get(created.id)).toEqual(updated);
      });

      it('when a resolution and a rating are set, then they come back field for field', async () => {
        const created = await store().create(newCase());
        const resolution = { answer: 'Đã cho thu gom rác và nhắc các hộ không đổ ra kênh.', by: 'can-bo-moi-truong', at: T0 + DAY };
        await store().update(created.id, { status: 'resolved', resolution }, { at: T0 + DAY, by: 'can-bo-moi-truong', what: 'resolved' });
        const rating = { score: 4, comment: 'Cảm ơn xã', trips: 0, at: T0 + 2 * DAY };
        const rated = await store().update(created.id, { rating }, { at: T0 + 2 * DAY, by: 'citizen', what: 'rated' });
        expect(rated).toMatchObject({ status: 'resolved', resolution, rating, version: 3 });
        expect(await store().get(created.id)).toEqual(rated);
      });

      it('when several updates follow one another, then the history keeps every earlier line unchanged, in order', async () => {
        const created = await store().create(newCase());
        const events: CaseEvent[] = [
          { at: T0 + 10, by: 'can-bo-moi-truong', what: 'accepted' },
          note(T0 + 20),
          { at: T0 + 15, by: 'system', what: 'reminded' },
          { at: T0 + 30, by: 'can-bo-moi-truong', what: 'transferred', officialId: 'cong-an-xa', note: 'Việc an ninh' },
        ];
        let version = created.version;
        for (const e of events) version = (await store().update(created.id, {}, e, version))!.version;
        expect((await store().get(created.id))?.history).toEqual([...created.history, ...events]);
      });
    });

    describe('list', () => {
      // Each test lists only its own village or category: the store is shared by the whole suite.
      async function seed(specs: Partial<NewCase>[]): Promise<{ village: string; cases: Case[] }> {
        const village = uniqueId('thon');
        const cases: Case[] = [];
        for (const [i, spec] of specs.entries()) cases.push(await store().create(newCase({ village, createdAt: T0 + i, ...spec })));
        return { village, cases };
      }
      const codes = (cs: Case[]) => cs.map((c) => c.code);

      it('when filtered by village, then only that village comes back, oldest first', async () => {
        const { village, cases } = await seed([{}, {}, {}]);
        await store().create(newCase());
        expect(codes((await store().list({ village })).cases)).toEqual(codes(cases));
      });

      it('when filtered by status, then only cases in one of those statuses come back', async () => {
        const { village, cases } = await seed([{ status: 'received' }, { status: 'assigned' }, { status: 'in_progress' }, { status: 'resolved' }]);
        expect(codes((await store().list({ village, status: ['received', 'in_progress'] })).cases)).toEqual(codes([cases[0], cases[2]]));
        expect((await store().list({ village, status: [] })).cases).toEqual([]);
      });

      it('when filtered by assignee, then only their cases come back', async () => {
        const official = uniqueId('can-bo');
        const { village, cases } = await seed([{ assigneeId: official }, { assigneeId: 'someone-else' }, { assigneeId: official }]);
        expect(codes((await store().list({ assigneeId: official })).cases)).toEqual(codes([cases[0], cases[2]]));
        expect(codes((await store().list({ village, assigneeId: 'someone-else' })).cases)).toEqual(codes([cases[1]]));
      });

      it('when filtered by overdue time, then open cases due before it come back and resolved or rejected ones do not', async () => {
        const cutoff = T0 + 10 * DAY;
        const { village, cases } = await seed([
          { dueAt: cutoff - 1, status: 'assigned' },
          { dueAt: cutoff - 1, status: 'resolved' },
          { dueAt: cutoff - 1, status: 'rejected' },
          { dueAt: cutoff, status: 'assigned' },
          { dueAt: cutoff - DAY, status: 'transferred' },
          { dueAt: cutoff - DAY, status: 'received' },
          { dueAt: cutoff - DAY, status: 'in_progress' },
        ]);
        expect(codes((await store().list({ village, overdueAt: cutoff })).cases)).toEqual(codes([cases[0], cases[4], cases[5], cases[6]]));
        // With a status filter too, closed statuses stay out.
        expect(codes((await store().list({ village, overdueAt: cutoff, status: ['resolved', 'received'] })).cases)).toEqual(codes([cases[5]]));
      });

      it('when filtered by category, then only that category comes back', async () => {
        const category = uniqueId('cat');
        const { cases } = await seed([{ category }, { category: 'land' }, { category }]);
        expect(codes((await store().list({ category })).cases)).toEqual(codes([cases[0], cases[2]]));
      });

      it('when filtered by petition type, then only phản ánh or only kiến nghị come back', async () => {
        const { village, cases } = await seed([{ petitionType: 'feedback' }, { petitionType: 'proposal' }, { petitionType: 'proposal' }]);
        expect(codes((await store().list({ village, petitionType: 'proposal' })).cases)).toEqual(codes([cases[1], cases[2]]));
        expect(codes((await store().list({ village, petitionType: 'feedback' })).cases)).toEqual(codes([cases[0]]));
      });

      it("when filtered by filer, then only that person's cases on that channel come back", async () => {
        const userId = uniqueId('uid');
        const { cases } = await seed([{ userId }, { userId, channel: 'messenger' }, {}]);
        expect(codes((await store().list({ filer: { channel: 'zalo', userId } })).cases)).toEqual(codes([cases[0]]));
      });

      it('when filters are combined, then a case must match all of them', async () => {
        const official = uniqueId('can-bo');
        const { village, cases } = await seed([
          { assigneeId: official, category: 'land', status: 'in_progress' },
          { assigneeId: official, category: 'land', status: 'resolved' },
          { assigneeId: official, category: 'fishing', status: 'in_progress' },
        ]);
        expect(codes((await store().list({ village, assigneeId: official, category: 'land', status: ['in_progress'] })).cases)).toEqual(codes([cases[0]]));
      });

      it('when a limit is given, then the pages follow one another through `next` and the last has none', async () => {
        // Two share a createdAt: the id breaks the tie, so no case is skipped or repeated.
        const { village, cases } = await seed([{ createdAt: T0 }, { createdAt: T0 + 1 }, { createdAt: T0 + 1 }, { createdAt: T0 + 2 }, { createdAt: T0 + 3 }]);
        const seen: string[] = [];
        let after: string | undefined;
        const sizes: number[] = [];
        do {
          const page = await store().list({ village, limit: 2, ...(after ? { after } : {}) });
          sizes.push(page.cases.length);
          seen.push(...codes(page.cases));
          after = page.next;
        } while (after);
        expect(sizes).toEqual([2, 2, 1]);
        expect([...seen].sort()).toEqual(codes(cases).sort());
        expect(seen[0]).toBe(cases[0].code);
        expect(seen[4]).toBe(cases[4].code);
      });

      it('when the page holds exactly the rest, then it has no `next`', async () => {
        const { village } = await seed([{}, {}]);
        const page = await store().list({ village, limit: 2 });
        expect(page.cases).toHaveLength(2);
        expect(page.next).toBeUndefined();
      });
    });

    describe('copies', () => {
      it('when the caller mutates what it passed or got back, then the stored case is unchanged', async () => {
        const input = newCase();
        const created = await store().create(input);
        const snapshot = structuredClone(created);
        input.attachments.push({ type: 'image', url: 'https://example.invalid/x.jpg' });
        input.history[0].note = 'changed';
        created.history.push(note(T0));
        created.contact!.phone = '+84000000000';
        const got = await store().get(created.id);
        got!.status = 'rejected';
        got!.attachments.length = 0;
        const listed = (await store().list({ village: input.village, filer: { channel: 'zalo', userId: input.userId } })).cases[0];
        listed.history.length = 0;
        const updated = await store().update(created.id, {}, note(T0 + 1));
        updated!.history[0].by = 'tampered';
        const event = note(T0 + 2);
        await store().update(created.id, {}, event);
        event.note = 'tampered';
        const final = await store().get(created.id);
        expect({ ...final, history: final!.history.slice(0, 2), version: 1, updatedAt: T0 }).toEqual(snapshot);
        expect(final!.history.slice(2)).toEqual([note(T0 + 1), note(T0 + 2)]);
      });
    });
  });
}
