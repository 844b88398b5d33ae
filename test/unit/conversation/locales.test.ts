import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputSchema } from '../../../src/conversation/schema';
import { loadFlowRegistry, type Translator } from '../../../src/conversation';
import { readLocaleDir } from '../../../src/i18n';
import { ERROR_CODES } from '../../../src/shared/error-codes';
import { FLOWS_DIR, LOCALES_DIR, ROOT, translator } from './helpers';
import { commandList } from '../../../src/civic/officials/chat-command-text';
import { handoffCommandList } from '../../../src/civic/handoff/handoff-text';
import { resultCommandList } from '../../../src/civic/appointments/result-date-text';

let t: Translator;
beforeAll(async () => {
  t = await translator();
});

/** Every 'engine.…' literal in the engine's source, plus the keys it builds from input types. */
function keysUsedByEngine(): string[] {
  const dir = join(ROOT, 'src', 'conversation');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const keys = new Set<string>();
  for (const f of files) {
    for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/'(engine\.[a-z_]+(?:\.[a-z_]+)*)'/g)) keys.add(m[1]);
  }
  for (const type of InputSchema.options.map((o) => o.shape.type.value)) keys.add(`engine.help.${type}`);
  return [...keys].sort();
}

function flatten(obj: unknown, prefix = ''): string[] {
  if (typeof obj === 'string') return [prefix];
  if (obj === null || typeof obj !== 'object') return [];
  return Object.entries(obj).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

describe('locale keys', () => {
  it('when the engine uses a key, then locales/vi and locales/en have it', () => {
    const used = keysUsedByEngine();
    expect(used.length).toBeGreaterThan(20);
    expect(used.filter((k) => !t.hasKey(k, 'vi'))).toEqual([]);
    expect(used.filter((k) => !t.hasKey(k, 'en'))).toEqual([]);
  });

  it('when a flow references a locale key, then it exists in Vietnamese', () => {
    const refs = loadFlowRegistry(FLOWS_DIR)
      .list()
      .flatMap((f) => JSON.stringify(f.steps).match(/"key":"[^"]+"/g) ?? [])
      .map((s) => s.slice(7, -1));
    expect(refs.filter((k) => !t.hasKey(k, 'vi'))).toEqual([]);
  });

  it('when locales/en has a key, then locales/vi has it too (Vietnamese is the fallback)', () => {
    const vi = new Set(flatten(readLocaleDir(LOCALES_DIR, 'vi')));
    expect(flatten(readLocaleDir(LOCALES_DIR, 'en')).filter((k) => !vi.has(k))).toEqual([]);
  });

  it('when a citizen text has words in one language, then it has them in the other, with the same placeholders', () => {
    const strings = (lng: string) => {
      const out = new Map<string, string>();
      const walk = (v: unknown, at: string) => {
        if (typeof v === 'string') out.set(at, v);
        else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, at ? `${at}.${k}` : k);
      };
      walk(readLocaleDir(LOCALES_DIR, lng).citizen, '');
      return out;
    };
    const vi = strings('vi');
    const en = strings('en');
    expect(vi.size).toBeGreaterThan(50);
    // An official's words relayed to the citizen are always Vietnamese (from_official).
    expect([...vi.keys()].filter((k) => !en.has(k))).toEqual(['handoff.from_official']);
    const vars = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    expect([...en].filter(([k, text]) => vars(text).join() !== vars(vi.get(k) ?? '').join()).map(([k]) => k)).toEqual([]);
  });

  it('when the civic texts are read, then their words come from locales/ and never the apology for a missing key', () => {
    expect(t.hasKey('citizen.case.heading', 'vi')).toBe(true);
    expect(t.hasKey('officials.commands.list', 'vi')).toBe(true);
    expect(commandList()).toContain('Các lệnh đồng chí có thể nhắn:');
    expect(handoffCommandList()).toContain('Người dân cần gặp cán bộ (mã HT-…):');
    expect(resultCommandList()).toContain('• HENTRA <mã lịch hẹn> <ngày/tháng>');
  });

  it('when an error code exists, then it has a Vietnamese and an English message', () => {
    for (const code of Object.keys(ERROR_CODES)) {
      expect(t.hasKey(`errors.${code}`, 'vi')).toBe(true);
      expect(t.hasKey(`errors.${code}`, 'en')).toBe(true);
    }
  });
});

describe('createTranslator', () => {
  it('when an English text is missing, then the Vietnamese one is shown, never the key', async () => {
    expect(t.t('engine.sorry', 'en')).toContain('Sorry');
    expect(t.t('engine.sorry', 'fr')).toContain('Xin lỗi');
    const missing = t.t('engine.no.such.key', 'en');
    expect(missing).not.toContain('engine.');
    expect(missing).toContain('Xin lỗi');
  });

  it('when variables are given, then they are filled without HTML escaping', () => {
    expect(t.t('engine.too_long_idle', 'vi', { max: 2000 })).toContain('2000');
    expect(t.t('engine.invalid.too_short', 'en', { min: '<4>' })).toContain('<4>');
  });
});
