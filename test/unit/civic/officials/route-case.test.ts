import { routeCase } from '../../../../src/civic/officials/route-case';
import { parseRoutingRules } from '../../../../src/civic/officials/routing-rules';
import type { Official } from '../../../../src/store/ports';

const RULES = parseRoutingRules(
  `
version: 1
villages:
  - { name: Thôn Phú Lộc, aliases: [Phú Lộc cũ] }
  - { name: Thôn 2 }
villageMatters: [environment, infrastructure]
rules:
  - { category: land, villages: [Thôn Phú Lộc], assignee: dia-chinh, backup: pho-chu-tich }
duty: { assignee: van-phong, backup: mot-cua }
chair: { assignee: chu-tich, backup: pho-chu-tich }
`,
  'test.yaml',
);

function official(id: string, extra: Partial<Official> = {}): Official {
  return { id, name: id, role: 'official', villages: [], categories: [], onDuty: false, accounts: [], active: true, ...extra };
}

const ROSTER: Official[] = [
  official('chu-tich', { role: 'chair' }),
  official('pho-chu-tich', { role: 'vice_chair', supervisorId: 'chu-tich' }),
  official('dia-chinh', { supervisorId: 'pho-chu-tich', villages: ['Thôn 2'], categories: ['land'] }),
  official('moi-truong', { supervisorId: 'pho-chu-tich', villages: ['Thôn 2'], categories: ['environment'] }),
  official('truong-thon-phu-loc', { role: 'village_head', supervisorId: 'pho-chu-tich', villages: ['Thôn Phú Lộc'] }),
  official('van-phong', { supervisorId: 'chu-tich' }),
  official('mot-cua', { role: 'desk', supervisorId: 'van-phong' }),
];

function roster(changes: Record<string, Partial<Official>>, base: Official[] = ROSTER): Official[] {
  return base.map((o) => ({ ...o, ...changes[o.id] }));
}

describe('routeCase', () => {
  describe('order of the steps', () => {
    test('when a rule names the category × village, then its assignee gets the case with the rule backup', () => {
      expect(routeCase(RULES, ROSTER, { category: 'land', village: 'Thôn Phú Lộc' })).toEqual({ assigneeId: 'dia-chinh', backupId: 'pho-chu-tich', reason: 'rule' });
    });

    test('when the citizen types the village without diacritics, in capitals or by an alias, then the rule still applies', () => {
      for (const village of ['thon phu loc', 'PHÚ LỘC', 'Phu Loc cu', '  Thôn  Phú Lộc ']) {
        expect(routeCase(RULES, ROSTER, { category: 'land', village })).toMatchObject({ assigneeId: 'dia-chinh', reason: 'rule' });
      }
    });

    test('when no rule applies, then an active official covering category and village gets it, the supervisor as backup', () => {
      expect(routeCase(RULES, ROSTER, { category: 'land', village: 'thôn 2' })).toEqual({ assigneeId: 'dia-chinh', backupId: 'pho-chu-tich', reason: 'category' });
    });

    test('when two officials cover the case, then the specialist is assignee and the other the backup', () => {
      const both = [...ROSTER, official('a-tiep-nhan', { role: 'desk', villages: ['Thôn 2'], categories: ['land'] })];
      expect(routeCase(RULES, both, { category: 'land', village: 'Thôn 2' })).toEqual({ assigneeId: 'dia-chinh', backupId: 'a-tiep-nhan', reason: 'category' });
    });

    test('when nobody covers a village matter, then the village head gets it', () => {
      expect(routeCase(RULES, ROSTER, { category: 'environment', village: 'Phú Lộc' })).toEqual({
        assigneeId: 'truong-thon-phu-loc',
        backupId: 'pho-chu-tich',
        reason: 'village_head',
      });
    });

    test('when the category is not a village matter, then the village head is passed over for the official on duty', () => {
      const onDuty = roster({ 'van-phong': { onDuty: true } });
      expect(routeCase(RULES, onDuty, { category: 'social_policy', village: 'Thôn Phú Lộc' })).toEqual({ assigneeId: 'van-phong', backupId: 'mot-cua', reason: 'duty' });
    });

    test('when someone else is flagged on duty, then they take it before the duty official of the file', () => {
      const onDuty = roster({ 'mot-cua': { onDuty: true } });
      expect(routeCase(RULES, onDuty, { category: 'social_policy', village: 'Thôn 2' })).toEqual({ assigneeId: 'mot-cua', backupId: 'van-phong', reason: 'duty' });
    });

    test('when nobody is flagged on duty, then the duty official of the file takes it', () => {
      expect(routeCase(RULES, ROSTER, { category: 'social_policy', village: 'Thôn 2' })).toEqual({ assigneeId: 'van-phong', backupId: 'mot-cua', reason: 'duty' });
    });

    test('when the duty officials are inactive, then the chair takes it with the chair backup', () => {
      const away = roster({ 'van-phong': { active: false }, 'mot-cua': { active: false } });
      expect(routeCase(RULES, away, { category: 'social_policy', village: 'Thôn 2' })).toEqual({ assigneeId: 'chu-tich', backupId: 'pho-chu-tich', reason: 'chair' });
    });

    test('when the village is unknown, then the case still goes to someone: the duty official', () => {
      expect(routeCase(RULES, ROSTER, { category: 'environment', village: 'không rõ' })).toMatchObject({ assigneeId: 'van-phong', reason: 'duty' });
    });
  });

  describe('inactive officials', () => {
    test('when the rule assignee is inactive, then the rule backup takes over', () => {
      const away = roster({ 'dia-chinh': { active: false } });
      expect(routeCase(RULES, away, { category: 'land', village: 'Thôn Phú Lộc' })).toEqual({ assigneeId: 'pho-chu-tich', backupId: 'chu-tich', reason: 'rule' });
    });

    test('when both people of a rule are inactive, then the next step decides', () => {
      const away = roster({ 'dia-chinh': { active: false }, 'pho-chu-tich': { active: false } });
      expect(routeCase(RULES, away, { category: 'land', village: 'Thôn Phú Lộc' })).toEqual({ assigneeId: 'van-phong', backupId: 'mot-cua', reason: 'duty' });
    });

    test('when the covering official is inactive, then the village head is next for a village matter', () => {
      const away = roster({ 'moi-truong': { active: false } });
      expect(routeCase(RULES, ROSTER, { category: 'environment', village: 'Thôn 2' })).toMatchObject({ assigneeId: 'moi-truong', reason: 'category' });
      // Thôn 2 has no head in this roster: the duty official is next.
      expect(routeCase(RULES, away, { category: 'environment', village: 'Thôn 2' })).toMatchObject({ assigneeId: 'van-phong', reason: 'duty' });
    });

    test('when the village head is inactive, then the duty official takes it', () => {
      const away = roster({ 'truong-thon-phu-loc': { active: false } });
      expect(routeCase(RULES, away, { category: 'environment', village: 'Thôn Phú Lộc' })).toMatchObject({ assigneeId: 'van-phong', reason: 'duty' });
    });

    test('when the supervisor is inactive, then the backup is the chair instead', () => {
      const away = roster({ 'pho-chu-tich': { active: false } });
      expect(routeCase(RULES, away, { category: 'land', village: 'Thôn 2' })).toEqual({ assigneeId: 'dia-chinh', backupId: 'chu-tich', reason: 'category' });
    });

    test('when the chair is inactive, then the chair backup takes the last resort', () => {
      const away = roster({ 'van-phong': { active: false }, 'mot-cua': { active: false }, 'chu-tich': { active: false } });
      expect(routeCase(RULES, away, { category: 'other', village: 'Thôn 2' })).toEqual({ assigneeId: 'pho-chu-tich', reason: 'chair' });
    });

    test('when everyone is inactive, then the chair is still named rather than nobody', () => {
      const everyoneAway = ROSTER.map((o) => ({ ...o, active: false }));
      expect(routeCase(RULES, everyoneAway, { category: 'land', village: 'Thôn Phú Lộc' })).toEqual({ assigneeId: 'chu-tich', reason: 'chair' });
    });
  });

  describe('the chair', () => {
    test('when the chair of the file is missing from the roster, then an official with the chair role is the last resort', () => {
      const renamed = [...ROSTER.filter((o) => o.id !== 'chu-tich' && o.id !== 'van-phong' && o.id !== 'mot-cua'), official('chu-tich-moi', { role: 'chair' })];
      expect(routeCase(RULES, renamed, { category: 'other', village: 'Thôn 2' })).toEqual({ assigneeId: 'chu-tich-moi', backupId: 'pho-chu-tich', reason: 'chair' });
    });

    test('when no chair exists at all and nobody else fits, then there is no decision', () => {
      expect(routeCase(RULES, [], { category: 'land', village: 'Thôn 2' })).toBeNull();
    });

    test('when the roster comes in another order, then the decision is the same', () => {
      const both = [...ROSTER, official('a-dia-chinh', { villages: ['Thôn 2'], categories: ['land'] })];
      const first = routeCase(RULES, both, { category: 'land', village: 'Thôn 2' });
      expect(routeCase(RULES, [...both].reverse(), { category: 'land', village: 'Thôn 2' })).toEqual(first);
      expect(first).toMatchObject({ assigneeId: 'a-dia-chinh', backupId: 'dia-chinh' });
    });
  });
});
