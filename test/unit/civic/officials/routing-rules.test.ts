import { join } from 'node:path';
import { routeCase } from '../../../../src/civic/officials/route-case';
import { findVillage, loadRoutingRules, parseRoutingRules } from '../../../../src/civic/officials/routing-rules';
import { seedOfficials } from '../../../../src/civic/officials/seed-officials';
import { isAppError } from '../../../../src/shared/app-error';
import { MemoryOfficialStore } from '../../../../src/store/memory';

const ROUTING_FILE = join(__dirname, '../../../../flows/data/routing.yaml');
// The ids of src/civic/cases/categories.ts, written out: that module belongs to the cases work.
const CATEGORIES = ['land', 'land_clearance', 'environment', 'public_order', 'infrastructure', 'social_policy', 'illegal_building', 'staff_conduct', 'dykes_disasters', 'fishing', 'other'];

const MINIMAL = `
version: 1
villages: [{ name: Thôn 1 }, { name: Thôn 2 }]
rules:
  - { category: land, villages: [Thôn 1], assignee: dia-chinh }
duty: { assignee: van-phong }
chair: { assignee: chu-tich }
`;

function refusal(run: () => unknown): { file: unknown; problem: string } {
  try {
    run();
  } catch (e) {
    if (isAppError(e) && e.code === 'VALIDATION_FAILED') return e.details as { file: unknown; problem: string };
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('routing rules', () => {
  describe('the bundled flows/data/routing.yaml', () => {
    const rules = loadRoutingRules(ROUTING_FILE, { categories: CATEGORIES });

    test('when it is loaded, then it has villages, a duty official, a chair and an example roster', () => {
      expect(rules.villages.length).toBeGreaterThan(0);
      expect(rules.chair.assignee).toBe('chu-tich');
      expect(rules.officials.map((o) => o.id)).toEqual(expect.arrayContaining([rules.chair.assignee, rules.duty.assignee]));
    });

    test('every person it names is in its roster, and the sample names are marked as examples', () => {
      const ids = new Set(rules.officials.map((o) => o.id));
      const named = [rules.chair.assignee, rules.chair.backup, rules.duty.assignee, rules.duty.backup, ...rules.rules.flatMap((r) => [r.assignee, r.backup])];
      for (const id of named) if (id !== undefined) expect(ids).toContain(id);
      for (const o of rules.officials) {
        if (o.supervisorId !== undefined) expect(ids).toContain(o.supervisorId);
        expect(o.name).toMatch(/^Ví dụ: /);
      }
    });

    test('when its roster is seeded into an empty store, then every category of every village is routed to someone', async () => {
      const store = new MemoryOfficialStore();
      expect(await seedOfficials(store, rules)).toHaveLength(rules.officials.length);
      const officials = await store.list();
      for (const village of rules.villages) {
        for (const category of CATEGORIES) {
          const decision = routeCase(rules, officials, { category, village: village.name });
          expect(decision?.assigneeId).toBeDefined();
          expect(decision?.backupId).toBeDefined();
        }
      }
    });

    test('when seeding again, then officials already in the store are left as they are', async () => {
      const store = new MemoryOfficialStore();
      await seedOfficials(store, rules);
      const chair = (await store.get('chu-tich'))!;
      await store.upsert({ ...chair, name: 'Tên thật', accounts: [{ channel: 'zalo', userId: 'z-1' }] });
      expect(await seedOfficials(store, rules)).toEqual([]);
      expect(await store.get('chu-tich')).toMatchObject({ name: 'Tên thật', accounts: [{ channel: 'zalo', userId: 'z-1' }] });
    });
  });

  test('when a village is typed any way, then findVillage gives its name as written in the file', () => {
    const rules = parseRoutingRules(`${MINIMAL}\n`.replace('{ name: Thôn 2 }', '{ name: Thôn Phú Lộc, aliases: [Phú Lộc cũ] }'), 'f.yaml');
    expect(findVillage(rules, 'phu loc')).toBe('Thôn Phú Lộc');
    expect(findVillage(rules, 'XÓM PHÚ LỘC')).toBe('Thôn Phú Lộc');
    expect(findVillage(rules, 'phú lộc cũ')).toBe('Thôn Phú Lộc');
    expect(findVillage(rules, 'thôn 3')).toBeNull();
  });

  describe('a bad file is refused, naming the entry', () => {
    test('when the file is not YAML, then it is refused with the file name', () => {
      expect(refusal(() => parseRoutingRules('version: [1', 'routing.yaml'))).toMatchObject({ file: 'routing.yaml', problem: expect.stringContaining('not valid YAML') });
    });

    test('when the file is missing, then it is refused as unreadable', () => {
      expect(refusal(() => loadRoutingRules('/nonexistent/routing.yaml')).problem).toContain('cannot be read');
    });

    test('when the chair is missing, then the refusal says so', () => {
      expect(refusal(() => parseRoutingRules(MINIMAL.replace('chair: { assignee: chu-tich }', ''), 'f.yaml')).problem).toMatch(/^chair: /);
    });

    test('when a rule has no assignee, then the refusal names the rule by category and village', () => {
      const bad = MINIMAL.replace('assignee: dia-chinh }', 'backup: dia-chinh }');
      expect(refusal(() => parseRoutingRules(bad, 'f.yaml')).problem).toContain('rules.0.assignee (land × Thôn 1): ');
    });

    test('when a rule names a village not in the list, then it is refused naming that village', () => {
      const bad = MINIMAL.replace('villages: [Thôn 1], assignee', 'villages: [Thôn 9], assignee');
      expect(refusal(() => parseRoutingRules(bad, 'f.yaml')).problem).toContain('rules.0.villages.0 (land × Thôn 9): unknown village "Thôn 9"');
    });

    test('when two rules route one category × village, then the second is refused pointing at the first', () => {
      const bad = `${MINIMAL}\n`.replace('rules:\n', 'rules:\n  - { category: land, villages: [thon 1], assignee: chu-tich }\n');
      expect(refusal(() => parseRoutingRules(bad, 'f.yaml')).problem).toContain('is already routed by rules.0');
    });

    test('when a category is not one the cases use, then it is refused', () => {
      const bad = MINIMAL.replace('category: land,', 'category: dat_dai,');
      expect(refusal(() => parseRoutingRules(bad, 'f.yaml', { categories: CATEGORIES })).problem).toContain('unknown category "dat_dai"');
    });

    test('when an official of the roster has an unknown role, then it is refused naming the official', () => {
      const roster = `${MINIMAL}officials:\n  - { id: a, name: A, role: mayor }\n`;
      expect(refusal(() => parseRoutingRules(roster, 'f.yaml')).problem).toContain('officials.0.role (a): ');
    });

    test('when two officials of the roster share an id, then the second is refused', () => {
      const roster = `${MINIMAL}officials:\n  - { id: b, name: B, role: desk }\n  - { id: b, name: B2, role: desk }\n`;
      expect(refusal(() => parseRoutingRules(roster, 'f.yaml')).problem).toBe('officials.1.id (b): duplicate id "b"');
    });

    test('when a backup is the assignee, then it is refused', () => {
      const bad = MINIMAL.replace('duty: { assignee: van-phong }', 'duty: { assignee: van-phong, backup: van-phong }');
      expect(refusal(() => parseRoutingRules(bad, 'f.yaml')).problem).toContain('duty.backup');
    });

    test('when an unknown key is present (a typo), then it is refused rather than ignored', () => {
      expect(refusal(() => parseRoutingRules(`${MINIMAL}dutty: x\n`, 'f.yaml')).problem).toContain('dutty');
    });
  });
});
