import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CASE_CATEGORIES, CASE_CATEGORY_IDS, caseCategoryName, normalizeVietnamesePhone } from '../../../../src/civic/cases';

describe('normalizeVietnamesePhone', () => {
  it.each([
    ['0912345678', '+84912345678'],
    ['0912 345 678', '+84912345678'],
    ['0912-345-678', '+84912345678'],
    ['84 386 123 456', '+84386123456'],
    ['+84 (0) 70 123 4567', '+84701234567'],
    ['0581234567', '+84581234567'],
    ['02373812345', '+842373812345'],
  ])('when written %s, then %s', (written, e164) => {
    expect(normalizeVietnamesePhone(written)).toBe(e164);
  });

  it.each(['', '113', '091234567', '09123456789', '0112345678', '+14155550100', '0912abc678', '+84+912345678'])(
    'when written %j, then it is not a phone number',
    (written) => {
      expect(normalizeVietnamesePhone(written)).toBeNull();
    },
  );
});

describe('case categories', () => {
  it('when the petition flow offers categories, then they are exactly these ids', () => {
    const flow = parse(readFileSync(join(__dirname, '../../../../flows/petition.yaml'), 'utf8')) as {
      steps: { id: string; input?: { choices?: { value?: string }[] } }[];
    };
    const offered = flow.steps.find((s) => s.id === 'category')?.input?.choices?.map((c) => c.value);
    expect(offered).toEqual([...CASE_CATEGORY_IDS]);
  });

  it('when a name is asked for, then it comes in Vietnamese or English, and an unknown id comes back as itself', () => {
    expect(caseCategoryName('land', 'vi')).toMatch(/^Đất đai/);
    expect(caseCategoryName('land', 'en')).toMatch(/^Land/);
    expect(caseCategoryName('gone', 'vi')).toBe('gone');
    expect(new Set(CASE_CATEGORIES.map((c) => c.id)).size).toBe(CASE_CATEGORIES.length);
  });
});
