import type { TokenPair, TokenStore } from '../../src/store/ports';
import { type StoreSubject, uniqueId, useStoreSubject } from './subject';

const T0 = Date.UTC(2025, 2, 3, 1, 0, 0);

function pair(n: number): TokenPair {
  return { accessToken: `access-${n}`, refreshToken: `refresh-${n}`, accessExpiresAt: T0 + n * 3_600_000 + 90_000, obtainedAt: T0 + n * 3_600_000 };
}

/** The TokenStore contract: every adapter must pass it unchanged. */
export function describeTokenStore(name: string, make: () => Promise<StoreSubject<TokenStore>>): void {
  describe(`TokenStore contract (${name})`, () => {
    const store = useStoreSubject(make);

    it('when no pair was stored under a name, then get returns null', async () => {
      expect(await store().get(uniqueId('zalo-oa'))).toBeNull();
    });

    it('when a first pair is stored, then it is current and there is no previous', async () => {
      const name = uniqueId('zalo-oa');
      await store().rotate(name, pair(1));
      expect(await store().get(name)).toEqual({ current: pair(1) });
    });

    it('when pairs rotate, then the one before the last rotation is kept as previous', async () => {
      const name = uniqueId('zalo-oa');
      await store().rotate(name, pair(1));
      await store().rotate(name, pair(2));
      expect(await store().get(name)).toEqual({ current: pair(2), previous: pair(1) });
      await store().rotate(name, pair(3));
      expect(await store().get(name)).toEqual({ current: pair(3), previous: pair(2) });
    });

    it('when a token looks like a MongoDB field path or operator, then it is stored as text', async () => {
      const name = uniqueId('zalo-oa');
      const odd: TokenPair = { ...pair(1), accessToken: '$current', refreshToken: '$$ROOT' };
      await store().rotate(name, odd);
      await store().rotate(name, pair(2));
      expect(await store().get(name)).toEqual({ current: pair(2), previous: odd });
    });

    it('when two names rotate, then each keeps its own pairs', async () => {
      const a = uniqueId('zalo-oa');
      const b = uniqueId('zalo-oa');
      await store().rotate(a, pair(1));
      await store().rotate(b, pair(5));
      await store().rotate(a, pair(2));
      expect(await store().get(a)).toEqual({ current: pair(2), previous: pair(1) });
      expect(await store().get(b)).toEqual({ current: pair(5) });
    });

    it('when the caller mutates a pair it passed or got back, then the stored pair is unchanged', async () => {
      const name = uniqueId('zalo-oa');
      const given = pair(1);
      await store().rotate(name, given);
      given.accessToken = 'mutated';
      const got = await store().get(name);
      got!.current.refreshToken = 'mutated';
      expect(await store().get(name)).toEqual({ current: pair(1) });
    });
  });
}
