import type { ChatAccount, Official, OfficialInput, OfficialStore } from '../../src/store/ports';
import { isAppError } from '../../src/shared/app-error';
import { type StoreSubject, uniqueId, useStoreSubject } from './subject';

// Link-code times lie a year ahead of the real clock: MongoDB's TTL monitor deletes codes whose
// expiresAt is really past, which would turn an "expired" answer into "unknown" mid-test.
const FUTURE = Date.now() + 365 * 24 * 3_600_000;
const DAY = 24 * 3_600_000;

function official(id: string, extra: Partial<OfficialInput> = {}): OfficialInput {
  return { id, name: `Cán bộ ${id}`, role: 'official', villages: ['Thôn 1'], categories: ['land'], onDuty: false, active: true, ...extra };
}

function zalo(userId = uniqueId('zalo-user')): ChatAccount {
  return { channel: 'zalo', userId };
}

/** A code as the civic layer draws them: 8 characters, unique per test. */
function code(): string {
  return uniqueId('').replace(/[^0-9a-f]/g, '').slice(0, 8).toUpperCase();
}

/** The OfficialStore contract: every adapter must pass it unchanged. */
export function describeOfficialStore(name: string, make: () => Promise<StoreSubject<OfficialStore>>): void {
  describe(`OfficialStore contract (${name})`, () => {
    const store = useStoreSubject(make);

    describe('officials', () => {
      it('when an official is upserted, then get returns it field for field, with no accounts yet', async () => {
        const id = uniqueId('dia-chinh');
        const input = official(id, { supervisorId: 'pho-chu-tich', role: 'village_head', villages: ['Thôn 2', 'Thôn 3'], categories: [], onDuty: true });
        const expected: Official = { ...input, accounts: [] } as Official;
        expect(await store().upsert(input)).toEqual(expected);
        expect(await store().get(id)).toEqual(expected);
        expect(await store().get(uniqueId('nobody'))).toBeNull();
      });

      it('when upserted again without accounts, then the fields are replaced and the linked accounts stay', async () => {
        const id = uniqueId('tu-phap');
        const phone = zalo();
        await store().upsert(official(id, { supervisorId: 'chu-tich', accounts: [phone] }));
        const updated = await store().upsert(official(id, { name: 'Tên mới', active: false, categories: ['social_policy'] }));
        expect(updated).toEqual({ ...official(id, { name: 'Tên mới', active: false, categories: ['social_policy'] }), accounts: [phone] });
        // A supervisor left out of the new record is removed, not kept from the old one.
        expect((await store().get(id))?.supervisorId).toBeUndefined();
      });

      it('when officials are listed, then they come ordered by id', async () => {
        const prefix = uniqueId('list');
        for (const suffix of ['c', 'a', 'b']) await store().upsert(official(`${prefix}-${suffix}`));
        const mine = (await store().list()).filter((o) => o.id.startsWith(prefix));
        expect(mine.map((o) => o.id)).toEqual([`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]);
      });

      it('when the caller mutates what it passed or got back, then the stored official is unchanged', async () => {
        const id = uniqueId('van-hoa');
        const input = official(id, { accounts: [zalo('u-1')] });
        await store().upsert(input);
        input.villages.push('Thôn 9');
        const got = await store().get(id);
        got!.accounts.push(zalo('u-2'));
        got!.categories.length = 0;
        expect(await store().get(id)).toEqual({ ...official(id), accounts: [zalo('u-1')] });
      });
    });

    describe('chat accounts', () => {
      it('when an account is linked, then findByAccount finds its official on that channel only', async () => {
        const id = uniqueId('dia-chinh');
        const userId = uniqueId('uid');
        await store().upsert(official(id, { accounts: [{ channel: 'zalo', userId }] }));
        expect((await store().findByAccount('zalo', userId))?.id).toBe(id);
        expect(await store().findByAccount('messenger', userId)).toBeNull();
        expect(await store().findByAccount('zalo', uniqueId('uid'))).toBeNull();
      });

      it('when an upsert gives an account held by another official, then the account moves', async () => {
        const a = uniqueId('a');
        const b = uniqueId('b');
        const shared = zalo();
        const own = zalo();
        await store().upsert(official(a, { accounts: [shared, own] }));
        await store().upsert(official(b, { accounts: [shared, shared] }));
        expect((await store().get(a))?.accounts).toEqual([own]);
        expect((await store().get(b))?.accounts).toEqual([shared]);
        expect((await store().findByAccount('zalo', shared.userId))?.id).toBe(b);
      });

      it('when several officials have no account at all, then they all store fine', async () => {
        const ids = [uniqueId('none'), uniqueId('none'), uniqueId('none')];
        for (const id of ids) await store().upsert(official(id, { accounts: [] }));
        for (const id of ids) expect((await store().get(id))?.accounts).toEqual([]);
      });
    });

    describe('link codes', () => {
      it('when a code is redeemed before it expires, then the account is linked and the code is spent', async () => {
        const id = uniqueId('dia-chinh');
        await store().upsert(official(id));
        const c = code();
        expect(await store().issueLinkCode(id, c, FUTURE + DAY)).toBe(true);
        const phone = zalo();
        const first = await store().redeemLinkCode(c, phone, FUTURE);
        expect(first).toEqual({ ok: true, official: { ...official(id), accounts: [phone] } });
        expect((await store().findByAccount('zalo', phone.userId))?.id).toBe(id);
        expect(await store().redeemLinkCode(c, zalo(), FUTURE + 1)).toEqual({ ok: false, reason: 'unknown' });
      });

      it('when a code is redeemed at or after its expiry, then it is refused as expired and links nothing', async () => {
        const id = uniqueId('dia-chinh');
        await store().upsert(official(id));
        const c = code();
        await store().issueLinkCode(id, c, FUTURE);
        const phone = zalo();
        expect(await store().redeemLinkCode(c, phone, FUTURE)).toEqual({ ok: false, reason: 'expired' });
        expect(await store().redeemLinkCode(c, phone, FUTURE + DAY)).toEqual({ ok: false, reason: 'expired' });
        expect(await store().findByAccount('zalo', phone.userId)).toBeNull();
      });

      it('when a code was never issued, then it is unknown', async () => {
        expect(await store().redeemLinkCode(code(), zalo(), FUTURE)).toEqual({ ok: false, reason: 'unknown' });
      });

      it('when 10 redemptions of one code run at once, then exactly one wins', async () => {
        const id = uniqueId('dia-chinh');
        await store().upsert(official(id));
        const c = code();
        await store().issueLinkCode(id, c, FUTURE + DAY);
        const accounts = Array.from({ length: 10 }, () => zalo());
        const results = await Promise.all(accounts.map((a) => store().redeemLinkCode(c, a, FUTURE)));
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.filter((r) => !r.ok)).toEqual(Array.from({ length: 9 }, () => ({ ok: false, reason: 'unknown' })));
        expect((await store().get(id))?.accounts).toHaveLength(1);
      });

      it('when an account linked to one official redeems a code of another, then it moves to the other', async () => {
        const a = uniqueId('a');
        const b = uniqueId('b');
        await store().upsert(official(a));
        await store().upsert(official(b));
        const phone = zalo();
        const [ca, cb] = [code(), code()];
        await store().issueLinkCode(a, ca, FUTURE + DAY);
        await store().issueLinkCode(b, cb, FUTURE + DAY);
        await store().redeemLinkCode(ca, phone, FUTURE);
        await store().redeemLinkCode(cb, phone, FUTURE);
        expect((await store().get(a))?.accounts).toEqual([]);
        expect((await store().get(b))?.accounts).toEqual([phone]);
        expect((await store().findByAccount('zalo', phone.userId))?.id).toBe(b);
      });

      it('when an official redeems a code with an account already theirs, then it is kept once', async () => {
        const id = uniqueId('dia-chinh');
        const phone = zalo();
        await store().upsert(official(id, { accounts: [phone] }));
        const c = code();
        await store().issueLinkCode(id, c, FUTURE + DAY);
        expect(await store().redeemLinkCode(c, phone, FUTURE)).toMatchObject({ ok: true });
        expect((await store().get(id))?.accounts).toEqual([phone]);
      });

      it('when a code is already taken, then issuing it again is refused and the first stays valid', async () => {
        const a = uniqueId('a');
        const b = uniqueId('b');
        await store().upsert(official(a));
        await store().upsert(official(b));
        const c = code();
        expect(await store().issueLinkCode(a, c, FUTURE + DAY)).toBe(true);
        expect(await store().issueLinkCode(b, c, FUTURE + DAY)).toBe(false);
        expect(await store().redeemLinkCode(c, zalo(), FUTURE)).toMatchObject({ ok: true, official: { id: a } });
      });

      it("when a new code is issued for an official, then that official's earlier code stops working", async () => {
        const id = uniqueId('dia-chinh');
        await store().upsert(official(id));
        const [older, newer] = [code(), code()];
        await store().issueLinkCode(id, older, FUTURE + DAY);
        await store().issueLinkCode(id, newer, FUTURE + DAY);
        expect(await store().redeemLinkCode(older, zalo(), FUTURE)).toEqual({ ok: false, reason: 'unknown' });
        expect(await store().redeemLinkCode(newer, zalo(), FUTURE)).toMatchObject({ ok: true });
      });

      it('when a code is issued for an unknown official, then it is refused with NOT_FOUND', async () => {
        const refusal = await store().issueLinkCode(uniqueId('nobody'), code(), FUTURE).catch((e: unknown) => e);
        expect(isAppError(refusal) && refusal.code).toBe('NOT_FOUND');
      });
    });
  });
}
