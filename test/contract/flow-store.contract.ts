import type { FlowStore } from '../../src/store/ports';
import { type StoreSubject, uniqueId, useStoreSubject } from './subject';

const T0 = Date.UTC(2025, 2, 3, 1, 0, 0);

function yaml(n: number): string {
  // Diacritics, indentation and trailing blank lines: the store must keep the text byte for byte.
  return `id: dang-ky-khai-sinh\ntitle: "Đăng ký khai sinh — bản ${n}"\nsteps:\n  - say: "Xin chào!"  \n\n`;
}

/** The FlowStore contract: every adapter must pass it unchanged. */
export function describeFlowStore(name: string, make: () => Promise<StoreSubject<FlowStore>>): void {
  describe(`FlowStore contract (${name})`, () => {
    const store = useStoreSubject(make);

    it('when a flow was never published, then latest and get are null and history is empty', async () => {
      const flowId = uniqueId('flow');
      expect(await store().latest(flowId)).toBeNull();
      expect(await store().get(flowId, 1)).toBeNull();
      expect(await store().history(flowId)).toEqual([]);
    });

    it('when a flow is published three times, then the versions are 1, 2, 3 and latest is 3', async () => {
      const flowId = uniqueId('flow');
      const published = [];
      for (const n of [1, 2, 3]) published.push(await store().publish(flowId, yaml(n), 'admin-lan', T0 + n));
      expect(published).toEqual([1, 2, 3].map((n) => ({ flowId, version: n, source: yaml(n), publishedAt: T0 + n, publishedBy: 'admin-lan' })));
      expect(await store().latest(flowId)).toEqual(published[2]);
      expect(await store().history(flowId)).toEqual(published);
    });

    it('when an older version is asked for, then its source comes back unchanged', async () => {
      const flowId = uniqueId('flow');
      await store().publish(flowId, yaml(1), 'admin-lan', T0);
      await store().publish(flowId, yaml(2), 'admin-minh', T0 + 1);
      expect(await store().get(flowId, 1)).toEqual({ flowId, version: 1, source: yaml(1), publishedAt: T0, publishedBy: 'admin-lan' });
      expect(await store().get(flowId, 3)).toBeNull();
    });

    it('when 10 publishes of one flow run at once, then they get 10 distinct versions, 1 to 10', async () => {
      const flowId = uniqueId('flow');
      const published = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store().publish(flowId, yaml(i), `admin-${i}`, T0 + i)),
      );
      expect(published.map((p) => p.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      // Each caller got back what was stored under its version.
      for (const p of published) expect(await store().get(flowId, p.version)).toEqual(p);
      expect((await store().history(flowId)).map((p) => p.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    it('when several flows are published, then latestAll holds the newest version of each, ordered by flowId', async () => {
      // One prefix for this test's flows: the store is shared with the other tests of the suite.
      const prefix = uniqueId('all');
      const a = `${prefix}-a`;
      const b = `${prefix}-b`;
      await store().publish(b, yaml(1), 'admin-lan', T0);
      await store().publish(a, yaml(1), 'admin-lan', T0 + 1);
      await store().publish(b, yaml(2), 'admin-lan', T0 + 2);
      await store().publish(a, yaml(2), 'admin-lan', T0 + 3);
      await store().publish(a, yaml(3), 'admin-lan', T0 + 4);
      const mine = (await store().latestAll()).filter((v) => v.flowId.startsWith(prefix));
      expect(mine).toEqual([
        { flowId: a, version: 3, source: yaml(3), publishedAt: T0 + 4, publishedBy: 'admin-lan' },
        { flowId: b, version: 2, source: yaml(2), publishedAt: T0 + 2, publishedBy: 'admin-lan' },
      ]);
    });

    it('when two flows are published, then each numbers its versions from 1', async () => {
      const a = uniqueId('flow');
      const b = uniqueId('flow');
      await store().publish(a, yaml(1), 'admin-lan', T0);
      await store().publish(a, yaml(2), 'admin-lan', T0);
      expect((await store().publish(b, yaml(1), 'admin-lan', T0)).version).toBe(1);
    });
  });
}
