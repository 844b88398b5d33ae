import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFlows, FlowLoadError, flowJsonSchema, loadFlowRegistry, validateFlowSource } from '../../../src/conversation';
import { runFlowsCheck } from '../../../src/cli/flows-check';
import { FLOWS_DIR, LOCALES_DIR } from './helpers';

const GOOD = `id: demo
title: Demo
triggers:
  - payload: DEMO
steps:
  - id: hello
    say: Xin chào
`;

describe('validateFlowSource', () => {
  it('when a flow is valid, then it is version 1 unless stated', () => {
    const r = validateFlowSource(GOOD);
    expect(r.ok && r.flow.version).toBe(1);
  });

  it('when a step has an unknown key and a bad input type, then each problem names its line', () => {
    const src = `id: demo
title: Demo
steps:
  - id: a
    say: Xin chào
    colour: red
  - id: b
    ask: Số?
    input: { type: telepathy }
`;
    const r = validateFlowSource(src, 'demo.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'demo.yaml', line: 4, message: expect.stringContaining('colour') }),
        expect.objectContaining({ file: 'demo.yaml', line: 9, message: expect.stringContaining('steps.1.input') }),
      ]),
    );
  });

  it('when a step jumps to a missing step or has two kinds, then it is refused', () => {
    const r = validateFlowSource(`id: demo
title: Demo
steps:
  - id: a
    say: x
    next: nowhere
  - id: b
    say: y
    end: true
`);
    expect(!r.ok && r.problems.map((p) => p.message)).toEqual([expect.stringContaining('one kind only')]);
    const r2 = validateFlowSource(`id: demo
title: Demo
steps:
  - id: a
    say: x
    next: nowhere
`);
    expect(!r2.ok && r2.problems[0]).toMatchObject({ line: 6, message: expect.stringContaining('"nowhere"') });
  });

  it('when a question offers one payload twice, then it is refused', () => {
    const r = validateFlowSource(`id: demo
title: Demo
steps:
  - id: a
    ask: Chọn
    input:
      type: choice
      choices:
        - { title: A, payload: SAME }
        - { title: B, payload: SAME }
`);
    expect(!r.ok && r.problems[0].message).toContain('offered twice');
  });

  it('when the YAML itself is broken, then the line is given', () => {
    const r = validateFlowSource('id: demo\ntitle: [unclosed\n', 'x.yaml');
    expect(!r.ok && r.problems[0]).toMatchObject({ file: 'x.yaml', line: expect.any(Number) });
  });
});

describe('loadFlowRegistry', () => {
  it('when a directory has an invalid flow, then start-up refuses and names every invalid file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flows-'));
    writeFileSync(join(dir, 'good.yaml'), GOOD);
    writeFileSync(join(dir, 'bad.yaml'), 'id: Bad Id\ntitle: x\nsteps: []\n');
    writeFileSync(join(dir, 'worse.yaml'), 'id: worse\n');
    mkdirSync(join(dir, 'tests'));
    writeFileSync(join(dir, 'tests', 'ignored.yaml'), 'not: a flow');
    let err: unknown;
    try {
      loadFlowRegistry(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FlowLoadError);
    const files = new Set((err as FlowLoadError).problems.map((p) => p.file));
    expect([...files].sort()).toEqual(['bad.yaml', 'worse.yaml']);
  });

  it('when the bundled flows load, then each has its id and the menu is reachable by payload', () => {
    const reg = loadFlowRegistry(FLOWS_DIR);
    expect(reg.list().map((f) => f.id)).toEqual(expect.arrayContaining(['main-menu', 'procedures', 'petition', 'booking', 'lookup', 'official', 'rating', 'consent']));
    expect(reg.triggers().payloads.get('CMD_MENU')).toEqual({ flowId: 'main-menu', step: 'menu' });
  });
});

describe('checkFlows', () => {
  const yes = () => true;
  it('when the bundled flows are checked, then there is no error', () => {
    const out: string[] = [];
    expect(runFlowsCheck(FLOWS_DIR, LOCALES_DIR, (l) => out.push(l))).toBe(0);
    expect(out.join('\n')).toContain('0 error(s), 0 warning(s)');
    expect(out.join('\n')).toContain('6 commune data file(s) checked: 0 error(s)');
  });

  it('when a commune data file in dir/data is wrong, then flows:check names the file and line and exits non-zero', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flows-'));
    writeFileSync(join(dir, 'demo.yaml'), GOOD);
    mkdirSync(join(dir, 'data'));
    const hours = readFileSync(join(FLOWS_DIR, 'data', 'office-hours.yaml'), 'utf8').replace('workdayEnds: "17:00"', 'workdayEnds: "25:00"');
    writeFileSync(join(dir, 'data', 'office-hours.yaml'), hours);
    const out: string[] = [];
    expect(runFlowsCheck(dir, LOCALES_DIR, (l) => out.push(l))).toBe(1);
    const line = hours.split('\n').findIndex((l) => l.startsWith('workdayEnds')) + 1;
    expect(out).toContain(`${join(dir, 'data', 'office-hours.yaml')}:${line} error: workdayEnds: must be a 24-hour time HH:MM, e.g. "07:30"`);
  });

  it('when a wording key is missing in Vietnamese or its English uses a placeholder the Vietnamese lacks, then flows:check names the file and key and exits non-zero', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flows-'));
    writeFileSync(join(dir, 'demo.yaml'), GOOD);
    const locales = mkdtempSync(join(tmpdir(), 'locales-'));
    mkdirSync(join(locales, 'vi'));
    mkdirSync(join(locales, 'en'));
    writeFileSync(join(locales, 'vi', 'citizen.json'), JSON.stringify({ case: { status: 'Tình trạng: {{status}}' } }));
    writeFileSync(join(locales, 'en', 'citizen.json'), JSON.stringify({ case: { status: 'Status: {{status}} ({{code}})', due: 'Answer due: {{date}}' } }));
    const out: string[] = [];
    expect(runFlowsCheck(dir, locales, (l) => out.push(l))).toBe(1);
    const file = join(locales, 'vi', 'citizen.json');
    expect(out).toContain(`${file} error: case.status: the English text uses {{code}}, the Vietnamese does not`);
    expect(out).toContain(`${file} error: case.due: no Vietnamese text (locales/en has one)`);
    expect(out).toContain('locales: 2 error(s)');
  });

  it('when flows have cross-file problems, then each is reported', () => {
    const a = `id: a
title: A
triggers:
  - payload: SHARED
  - keywords: [xin giấy]
steps:
  - id: one
    call: civic.teleport
  - id: two
    goto: { flow: nowhere }
  - id: orphan
    say: { key: engine.no_such_key }
  - id: three
    say: Chọn
    choices: [{ title: X, payload: UNHANDLED }]
`;
    const b = `id: b
title: B
triggers:
  - payload: SHARED
  - keywords: [Xin Giay]
steps:
  - id: one
    goto: { flow: a, step: missing }
`;
    const messages = checkFlows([{ file: 'a.yaml', source: a }, { file: 'b.yaml', source: b }], (k) => k.startsWith('engine.') && k !== 'engine.no_such_key').map((f) => `${f.file}:${f.line} ${f.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^a\.yaml:8 unknown action "civic.teleport"/),
        expect.stringMatching(/^a\.yaml:\d+ jumps to flow "nowhere"/),
        expect.stringMatching(/^a\.yaml:11 step "orphan" can never be reached/),
        expect.stringMatching(/^a\.yaml:12 .*locale key "engine.no_such_key"/),
        expect.stringMatching(/^b\.yaml:4 payload SHARED is also a trigger of a\.yaml/),
        expect.stringMatching(/^b\.yaml:5 keyword "Xin Giay" is also a trigger of a\.yaml/),
        expect.stringMatching(/^b\.yaml:\d+ jumps to step "missing" of flow "a"/),
      ]),
    );
    expect(checkFlows([{ file: 'a.yaml', source: GOOD }], yes).filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('when a choice title is longer than a Messenger quick reply shows, then it is refused with its line, counted in characters of NFC', () => {
    const src = `id: long
title: Long
triggers:
  - payload: LONG
steps:
  - id: pick
    ask: Chọn
    input:
      type: choice
      choices:
        - { title: { vi: Chứng thực hợp đồng giao dịch, en: Short }, payload: LONG_A }
        - { title: "${'Đăng ký khai sinh'.normalize('NFD')}", payload: LONG_B }
`;
    const found = checkFlows([{ file: 'long.yaml', source: src }], yes).filter((f) => f.severity === 'error');
    expect(found.map((f) => `${f.line} ${f.message}`)).toEqual([expect.stringMatching(/^11 choice title "Chứng thực hợp đồng giao dịch" \(vi\) has 29 characters/)]);
  });

  it('when a flow holds a link a citizen must not be sent, an impossible question or both kinds of choices, then it is refused with the line', () => {
    const src = (extra: string) => `id: risky
title: Risky
triggers:
  - payload: RISKY
steps:
${extra}`;
    const problems = (extra: string) => {
      const r = validateFlowSource(src(extra));
      return r.ok ? [] : r.problems.map((p) => `${p.line} ${p.message}`);
    };
    for (const url of ['javascript:alert(1)', 'ftp://files.example/x', 'http://example.com']) {
      expect(problems(`  - id: a\n    say: Xem\n    buttons: [{ title: Mở, url: "${url}" }]\n`).join()).toContain('https://');
    }
    expect(problems(`  - id: a\n    say: Xem\n    buttons: [{ title: Mở, url: "https://dichvucong.gov.vn" }]\n`)).toEqual([]);
    expect(problems(`  - id: n\n    ask: Bao nhiêu?\n    input: { type: number, min: 10, max: 1 }\n`).join()).toMatch(/^8 .*min \(10\) is greater than max \(1\)/);
    expect(problems(`  - id: c\n    ask: Chọn\n    input: { type: choice, choices: [{ title: A, payload: RISKY_A }], choices_from: { list: x.items, title: name, payload: id } }\n`).join()).toContain('not both');
  });

  it('when a flow is too large or an alias bomb, then it is refused before it is expanded', () => {
    const big = validateFlowSource(`${GOOD}# ${'x'.repeat(300 * 1024)}\n`);
    expect(!big.ok && big.problems[0].message).toMatch(/at most 262144 are accepted/);
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n');
    const started = Date.now();
    const bomb = validateFlowSource(`${GOOD}${laughs}\n`);
    expect(bomb.ok).toBe(false);
    expect(!bomb.ok && bomb.problems[0].message).toMatch(/alias/i);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('when editors read the JSON Schema, then a trigger with nothing to match, a choice question with no choices and an http link are flagged', () => {
    const schema = JSON.stringify(flowJsonSchema());
    expect(schema).toContain('"anyOf":[{"required":["keywords"]},{"required":["payload"]},{"required":["event"]}]');
    expect(schema).toContain('"oneOf":[{"required":["choices"]},{"required":["choices_from"]}]');
    expect(schema).toContain('"pattern":"^https://"');
  });

  it('when a directory has errors, then flows:check exits non-zero', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flows-'));
    writeFileSync(join(dir, 'bad.yaml'), 'id: bad\ntitle: x\nsteps:\n  - id: a\n    call: nope.nope\n');
    expect(runFlowsCheck(dir, LOCALES_DIR, () => undefined)).toBe(1);
  });
});

describe('flows/flow.schema.json', () => {
  it('when the flow schema changes, then the JSON Schema file is regenerated (UPDATE_SCHEMA=1 writes it)', () => {
    const path = join(FLOWS_DIR, 'flow.schema.json');
    const expected = `${JSON.stringify(flowJsonSchema(), null, 2)}\n`;
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(path, expected);
    expect(readFileSync(path, 'utf8')).toBe(expected);
  });
});
