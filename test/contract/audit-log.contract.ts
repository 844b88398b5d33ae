import type { AuditLog, NewAuditEntry } from '../../src/store/ports';
import { type StoreSubject, uniqueId, useStoreSubject } from './subject';

const T0 = Date.UTC(2025, 2, 3, 1, 0, 0);

function entry(target: string, n: number, extra: Partial<NewAuditEntry> = {}): NewAuditEntry {
  return { at: T0 + n, actor: 'lan', action: 'case.assign', target, before: { status: 'new', assigneeId: null }, after: { status: 'assigned', assigneeId: `dia-chinh-${n}`, note: 'Thôn Phú Lộc' }, ...extra };
}

/** The AuditLog contract: every adapter must pass it unchanged. */
export function describeAuditLog(name: string, make: () => Promise<StoreSubject<AuditLog>>): void {
  describe(`AuditLog contract (${name})`, () => {
    const log = useStoreSubject(make);

    it('when an entry is appended, then it comes back with an id and every field, before and after included', async () => {
      const target = uniqueId('case');
      const stored = await log().append(entry(target, 1));
      expect(stored).toEqual({ ...entry(target, 1), id: expect.any(String) });
      expect(await log().list({ target })).toEqual([stored]);
    });

    it('when an entry did not exist before, then before is null', async () => {
      const target = uniqueId('user');
      await log().append(entry(target, 1, { action: 'user.create', before: null }));
      expect((await log().list({ target }))[0].before).toBeNull();
    });

    it('when several entries are appended, then list gives them newest first and pages with beforeId', async () => {
      const target = uniqueId('flow');
      for (const n of [1, 2, 3]) await log().append(entry(target, n));
      const all = await log().list({ target });
      expect(all.map((e) => e.at)).toEqual([T0 + 3, T0 + 2, T0 + 1]);
      const page = await log().list({ target, limit: 1, beforeId: all[0].id });
      expect(page.map((e) => e.at)).toEqual([T0 + 2]);
    });

    it('when filtered by actor and action, then only matching entries come back', async () => {
      const actor = uniqueId('actor');
      await log().append(entry('x', 1, { actor, action: 'flow.publish' }));
      await log().append(entry('x', 2, { actor, action: 'case.resolve' }));
      expect((await log().list({ actor, action: 'flow.publish' })).map((e) => e.action)).toEqual(['flow.publish']);
    });

    it('when a listed entry is changed by the caller, then the log is not', async () => {
      const target = uniqueId('copy');
      await log().append(entry(target, 1));
      const [got] = await log().list({ target });
      (got.after as { status: string }).status = 'tampered';
      expect(((await log().list({ target }))[0].after as { status: string }).status).toBe('assigned');
    });

    it('when the port is inspected, then it offers no way to change or delete an entry', () => {
      const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(log())).filter((m) => m !== 'constructor' && m !== 'prepare');
      expect(methods.sort()).toEqual(['append', 'list']);
    });
  });
}
