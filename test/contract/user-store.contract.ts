import type { User, UserStore } from '../../src/store/ports';
import { type StoreSubject, uniqueId, useStoreSubject } from './subject';

const T0 = Date.UTC(2025, 2, 3, 1, 0, 0);

function user(username: string, extra: Partial<User> = {}): User {
  return { username, role: 'official', passwordHash: '$2b$04$abcdefghijklmnopqrstuuQ8m1yWm0KJbV7A2l9m5y0w2GxPpC3y', officialId: 'dia-chinh-1', active: true, createdAt: T0, updatedAt: T0, ...extra };
}

/** The UserStore contract: every adapter must pass it unchanged. */
export function describeUserStore(name: string, make: () => Promise<StoreSubject<UserStore>>): void {
  describe(`UserStore contract (${name})`, () => {
    const store = useStoreSubject(make);

    it('when an account is created, then get returns it field for field', async () => {
      const u = user(uniqueId('lan'));
      expect(await store().create(u)).toBe(true);
      expect(await store().get(u.username)).toEqual(u);
    });

    it('when the username is taken, then create resolves false and the first account stays', async () => {
      const u = user(uniqueId('minh'));
      await store().create(u);
      expect(await store().create(user(u.username, { role: 'admin' }))).toBe(false);
      expect((await store().get(u.username))?.role).toBe('official');
    });

    it('when the same username is created 5 times at once, then exactly one wins', async () => {
      const username = uniqueId('race');
      const results = await Promise.all(Array.from({ length: 5 }, () => store().create(user(username))));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('when an account is updated, then only the given fields change, updatedAt moves and officialId null removes the link', async () => {
      const u = user(uniqueId('hoa'));
      await store().create(u);
      const changed = await store().update(u.username, { role: 'viewer', active: false, officialId: null }, T0 + 5);
      const { officialId: _dropped, ...rest } = u;
      expect(changed).toEqual({ ...rest, role: 'viewer', active: false, updatedAt: T0 + 5 });
      expect(await store().get(u.username)).toEqual(changed);
      expect(await store().update(uniqueId('nobody'), { active: false }, T0)).toBeNull();
    });

    it('when a returned account is changed, then the stored one is not', async () => {
      const u = user(uniqueId('copy'));
      await store().create(u);
      const got = await store().get(u.username);
      got!.role = 'admin';
      expect((await store().get(u.username))?.role).toBe('official');
    });

    it('when accounts are listed and counted, then they are ordered by username and counted by role', async () => {
      const prefix = uniqueId('list');
      const before = await store().count('viewer');
      await store().create(user(`${prefix}-b`, { role: 'viewer' }));
      await store().create(user(`${prefix}-a`, { role: 'viewer' }));
      const mine = (await store().list()).filter((u) => u.username.startsWith(prefix)).map((u) => u.username);
      expect(mine).toEqual([`${prefix}-a`, `${prefix}-b`]);
      expect(await store().count('viewer')).toBe(before + 2);
      expect(await store().count()).toBeGreaterThanOrEqual(before + 2);
    });

    it('when a lookup is given an operator object instead of a name, then nothing is found', async () => {
      await store().create(user(uniqueId('inj')));
      // The API validates first; the adapter must still never read a value as a query operator.
      expect(await store().get({ $ne: '' } as unknown as string)).toBeNull();
    });
  });
}
