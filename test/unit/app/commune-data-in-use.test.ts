import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createActionHandlers, runAction } from '../../../src/civic/actions';
import { seedOfficials } from '../../../src/civic/officials/seed-officials';
import { createCommuneDataInUse, liveView } from '../../../src/commune-data-in-use';
import type { Logger } from '../../../src/shared/logger';
import { createMemoryStores } from '../../../src/store/memory';

const FLOWS = join(__dirname, '../../../flows');
const data = (name: string) => readFileSync(join(FLOWS, 'data', name), 'utf8');

const BEEKEEPING = `procedures:
  - id: dang-ky-nuoi-ong
    name: { vi: "Đăng ký nuôi ong mật", en: "Beekeeping registration" }
    short: { vi: "Nuôi ong mật", en: "Beekeeping" }
    aliases: [đăng ký nuôi ong mật, nuôi ong mật]
    keywords: [nuôi ong]
    documents: [{ vi: "Tờ khai nuôi ong", en: "The beekeeping form" }]
    processingTime: { vi: "03 ngày làm việc", en: "3 working days" }
    fee: { vi: Miễn phí, en: Free }
    legalBasis: { vi: "Quy định của UBND xã", en: "The commune's rule" }
`;

function recordingLog() {
  const errors: unknown[] = [];
  const log: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (o) => void errors.push(o), child: () => log };
  return { log, errors };
}

const ctx = { channel: 'console', userId: 'u1', conversationKey: 'console:u1', now: Date.UTC(2026, 2, 2, 2), locale: 'vi' };

describe('the commune data in use', () => {
  it('when a procedure is published, then handlers built at start find, list and explain it on their next call', async () => {
    const { flows: flowStore } = createMemoryStores();
    const inUse = createCommuneDataInUse({ dir: FLOWS, flowStore, log: recordingLog().log });
    const handlers = createActionHandlers({ catalogue: inUse.live.catalogue });
    const find = async () => (await runAction(handlers, { action: 'procedure.find', args: { query: 'dang ky nuoi ong mat' } }, ctx)).data as { matches: { id: string }[] };
    expect((await find()).matches.map((m) => m.id)).not.toContain('dang-ky-nuoi-ong');

    await flowStore.publish('data:procedures', data('procedures.yaml').replace(/^procedures:\n/m, BEEKEEPING), 'lan', 1);
    await inUse.refresh();
    expect((await find()).matches[0]?.id).toBe('dang-ky-nuoi-ong');
    const explained = await runAction(handlers, { action: 'procedure.explain', args: { id: 'dang-ky-nuoi-ong' } }, ctx);
    expect(JSON.stringify(explained.data)).toContain('Tờ khai nuôi ong');
    expect(inUse.origins()['procedures.yaml']).toBe('data:procedures@1');
  });

  it('when a stored version does not load, then it is skipped with an error log and the last valid one stays', async () => {
    const { flows: flowStore } = createMemoryStores();
    const { log, errors } = recordingLog();
    const inUse = createCommuneDataInUse({ dir: FLOWS, flowStore, log });
    await flowStore.publish('data:desk', data('desk.yaml').replace('capacityPerSlot: 4', 'capacityPerSlot: 2'), 'lan', 1);
    await inUse.refresh();
    // Written past the publishing checks (e.g. straight into the database): it must not reach a citizen.
    await flowStore.publish('data:desk', data('desk.yaml').replace('capacityPerSlot: 4', 'capacityPerSlot: -3'), 'someone', 2);
    await inUse.refresh();
    expect(inUse.live.desk?.capacityPerSlot).toBe(2);
    expect(inUse.origins()['desk.yaml']).toBe('data:desk@1');
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(errors[0])).toContain('"version":2');
  });

  it('when a published roster adds an official, then the change hook sees it and seeding adds only the newcomer', async () => {
    const stores = createMemoryStores();
    const inUse = createCommuneDataInUse({ dir: FLOWS, flowStore: stores.flows, log: recordingLog().log, onChange: async (d) => void (d.cases && (await seedOfficials(stores.officials, d.cases.routing))) });
    await seedOfficials(stores.officials, inUse.live.cases!.routing);
    const before = (await stores.officials.list()).length;
    const routing = data('routing.yaml').replace(/^officials:\n/m, 'officials:\n  - id: can-bo-moi\n    name: Đỗ Thị Mới\n    role: official\n    categories: [environment]\n');
    await stores.flows.publish('data:routing', routing, 'lan', 1);
    await inUse.refresh();
    expect((await stores.officials.list()).length).toBe(before + 1);
    expect(await stores.officials.get('can-bo-moi')).toMatchObject({ name: 'Đỗ Thị Mới' });
    expect(inUse.live.cases!.routing.officials.some((o) => o.id === 'can-bo-moi')).toBe(true);
  });

  it('when a live view is spread, listed or written to, then it reads the current object and refuses writes', () => {
    let current = { a: 1, b: [1, 2] };
    const view = liveView(() => current);
    expect({ ...view, c: 3 }).toEqual({ a: 1, b: [1, 2], c: 3 });
    current = { a: 2, b: [3] };
    expect(Object.keys(view)).toEqual(['a', 'b']);
    expect(view.a).toBe(2);
    expect(JSON.stringify(view)).toBe('{"a":2,"b":[3]}');
    expect(() => {
      'use strict';
      (view as { a: number }).a = 5;
    }).toThrow(TypeError);
    expect(current.a).toBe(2);
  });
});
