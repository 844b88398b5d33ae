import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPlaceholders, isDemoProfile, provisionalYears } from '../../../../src/civic/commune-data/placeholders';
import { placeholderFindings, runFlowsCheck } from '../../../../src/cli/flows-check';

describe('placeholders a citizen must not see', () => {
  it('finds an example official, an address left to fill in and an example fee, with their lines', () => {
    const text = [
      '# Ví dụ: a comment is not shown to anyone',
      'officials:',
      '  - { id: a, name: "Ví dụ: Bùi Thị K — Công chức" }',
      'address:',
      '  vi: Trụ sở UBND xã (cập nhật địa chỉ cụ thể)',
      'fee: Theo mức HĐND tỉnh (ví dụ 8.000đ ở An Giang).',
      'phone: ""',
      'ask: "Xin gõ mã hồ sơ, ví dụ: PA-7K3M9."',
    ].join('\n');
    const found = findPlaceholders('x.yaml', text, 'error');
    expect(found.map((f) => f.line)).toEqual([3, 5, 6, 7]);
    expect(found.every((f) => f.severity === 'error')).toBe(true);
  });

  it('reads demo: true from the commune profile', () => {
    expect(isDemoProfile('version: 1\ndemo: true\n')).toBe(true);
    expect(isDemoProfile('version: 1\ndemo: false\n')).toBe(false);
    expect(isDemoProfile(undefined)).toBe(false);
  });

  it('warns 60 days ahead of a year whose holidays are still provisional, not earlier', () => {
    const text = '- { date: 2027-01-01, kind: holiday, provisional: true, name: x }\n';
    expect(provisionalYears('h.yaml', text, new Date('2026-12-07T00:00:00Z'))).toHaveLength(1);
    expect(provisionalYears('h.yaml', text, new Date('2026-10-01T00:00:00Z'))).toHaveLength(0);
    expect(provisionalYears('h.yaml', '- { date: 2027-01-01, kind: holiday, name: x }\n', new Date('2026-12-07T00:00:00Z'))).toHaveLength(0);
  });

  it('the shipped 2027 holidays, still provisional, are warned of from 60 days before 1/1/2027, naming their first line', () => {
    const file = join(__dirname, '..', '..', '..', '..', 'flows', 'data', 'holidays.yaml');
    const text = readFileSync(file, 'utf8');
    const warned = provisionalYears(file, text, new Date('2026-12-07T00:00:00Z'));
    expect(warned.map((w) => w.message)).toEqual([expect.stringContaining('the 2027 holidays are still provisional and the year starts in 25 day(s)')]);
    expect(text.split('\n')[warned[0]!.line - 1]).toContain('2027-01-01');
    expect(provisionalYears(file, text, new Date('2026-11-01T00:00:00Z'))).toEqual([]);
    expect(provisionalYears(file, text, new Date('2026-11-02T00:00:00Z'))).toHaveLength(1);
  });

  it('flows:check fails on a data file with "Ví dụ:" unless the profile says it is demo data', () => {
    const dir = mkdtempSync(join(tmpdir(), 'placeholders-'));
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'routing-notes.yaml'), 'name: "Ví dụ: Nguyễn Văn A"\n');
    const locales = join(__dirname, '..', '..', '..', '..', 'locales');
    const lines: string[] = [];
    expect(runFlowsCheck(dir, locales, (l) => lines.push(l))).toBe(1);
    expect(lines.some((l) => /routing-notes\.yaml:1 error: placeholder/.test(l))).toBe(true);
    writeFileSync(join(dir, 'data', 'commune.yaml'), 'version: 1\ndemo: true\n');
    expect(runFlowsCheck(dir, locales, () => undefined)).toBe(0);
    expect(placeholderFindings(dir).map((f) => f.severity)).toEqual(['warning']);
  });
});
