import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDataFiles, DATA_FILES, dataFileOfVersionId, dataVersionId, literalProcedureIds, type DataSources } from '../../../../src/civic/commune-data/data-files';

const DATA = join(__dirname, '../../../../flows/data');
const FLOWS = join(__dirname, '../../../../flows');

function bundled(): DataSources {
  const s: DataSources = {};
  for (const name of DATA_FILES) s[name] = readFileSync(join(DATA, name), 'utf8');
  return s;
}

/** The text of the line a problem points at. */
function lineText(source: string, line: number | undefined): string {
  return line === undefined ? '' : source.split('\n')[line - 1];
}

describe('the commune data files checked together', () => {
  it('when the bundled files and flows are checked, then there is no problem', () => {
    const flows = ['booking.yaml', 'procedures.yaml'].map((file) => ({ file, source: readFileSync(join(FLOWS, file), 'utf8') }));
    expect(checkDataFiles(bundled(), { flows })).toEqual(expect.objectContaining({ ok: true, problems: [] }));
  });

  it('when a holiday date is not a date, then the problem names the file and the line of that entry', () => {
    const holidays = bundled()['holidays.yaml']!.replace('date: 2025-01-01', 'date: 2025-13-01');
    const r = checkDataFiles({ ...bundled(), 'holidays.yaml': holidays }, { label: (n) => `${n} (draft)` });
    expect(r.ok).toBe(false);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ file: 'holidays.yaml (draft)', message: expect.stringContaining('2025-13-01') });
    expect(lineText(holidays, r.problems[0].line)).toContain('2025-13-01');
  });

  it('when a procedure short label is too long, or a long name loses its short, then flows:check names the file and that line', () => {
    const tooLong = bundled()['procedures.yaml']!.replace('short: { vi: "Chứng thực hợp đồng",', 'short: { vi: "Chứng thực hợp đồng, di chúc",');
    const r = checkDataFiles({ ...bundled(), 'procedures.yaml': tooLong });
    expect(r.problems).toEqual([expect.objectContaining({ file: 'procedures.yaml', message: expect.stringContaining('28 characters') })]);
    expect(lineText(tooLong, r.problems[0].line)).toContain('Chứng thực hợp đồng, di chúc');
    const noShort = bundled()['procedures.yaml']!.replace(/\n {4}short: \{ vi: "Cấp sổ đỏ lần đầu"[^\n]*/, '');
    const n = checkDataFiles({ ...bundled(), 'procedures.yaml': noShort });
    // one problem per language whose name is too long, each on the name's line
    expect(n.problems.map((p) => p.message)).toEqual([expect.stringMatching(/name \(vi\).*add a short/), expect.stringMatching(/name \(en\).*add a short/)]);
    for (const p of n.problems) expect(lineText(noShort, p.line)).toContain('Cấp Giấy chứng nhận quyền sử dụng đất lần đầu');
  });

  it('when office hours close before they open, then it is refused at that session', () => {
    const hours = bundled()['office-hours.yaml']!.replace('wednesday: [{ from: "07:30", to: "11:30" }', 'wednesday: [{ from: "11:30", to: "07:30" }');
    const r = checkDataFiles({ 'office-hours.yaml': hours });
    expect(r.problems).toEqual([expect.objectContaining({ file: 'office-hours.yaml', message: 'desk.wednesday.0: from must be before to' })]);
    expect(lineText(hours, r.problems[0].line)).toContain('wednesday');
  });

  it('when the desk takes no one per slot, then it is refused', () => {
    const desk = bundled()['desk.yaml']!.replace('capacityPerSlot: 4', 'capacityPerSlot: 0');
    const r = checkDataFiles({ ...bundled(), 'desk.yaml': desk });
    expect(r.problems).toEqual([expect.objectContaining({ file: 'desk.yaml', message: expect.stringContaining('capacityPerSlot: must be at least 1') })]);
    expect(lineText(desk, r.problems[0].line)).toBe('capacityPerSlot: 0');
  });

  it('when routing names a village or a category nobody knows, then each is refused on its line', () => {
    const routing = bundled()['routing.yaml']!;
    const firstRule = /\n( {2}- category: )(\w+)/.exec(routing)!;
    const broken = routing.replace(firstRule[0], `\n${firstRule[1]}hang_xom`);
    const r = checkDataFiles({ 'routing.yaml': broken });
    expect(r.problems.map((p) => p.message)).toEqual(expect.arrayContaining([expect.stringContaining('unknown category "hang_xom"')]));
    expect(lineText(broken, r.problems[0].line)).toContain('hang_xom');
  });

  it('when a procedure the desk books is removed from the catalogue, then the desk entry is named', () => {
    const procedures = bundled()['procedures.yaml']!.replace(/\n {2}- id: khai-tu\n[\s\S]*?(?=\n {2}- id: )/, '');
    const r = checkDataFiles({ ...bundled(), 'procedures.yaml': procedures });
    expect(r.problems).toEqual([expect.objectContaining({ file: 'desk.yaml', message: expect.stringContaining('"khai-tu" is not a procedure of procedures.yaml') })]);
    expect(lineText(bundled()['desk.yaml']!, r.problems[0].line)).toBe('  - khai-tu');
  });

  it('when a flow names a procedure that the catalogue no longer has, then the flow and its line are named', () => {
    const flow = 'id: birth\ntitle: Birth\ntriggers:\n  - payload: BIRTH\nsteps:\n  - id: show\n    call: procedure.explain\n    args: { id: khai-sinh-moi, locale: "{{locale}}" }\n  - id: keep\n    set: { procedure_id: "{{found}}" }\n';
    expect(literalProcedureIds(flow)).toEqual([{ id: 'khai-sinh-moi', line: 8 }]);
    const r = checkDataFiles(bundled(), { flows: [{ file: 'birth.yaml', source: flow }] });
    expect(r.problems).toEqual([expect.objectContaining({ file: 'birth.yaml', line: 8, message: expect.stringContaining('"khai-sinh-moi"') })]);
  });

  it('when the YAML itself is broken, then the problem has its line and nothing else is checked in that file', () => {
    const r = checkDataFiles({ 'desk.yaml': 'version: 1\nslotMinutes: [60\ncapacityPerSlot: 2\n' });
    expect(r.problems[0]).toMatchObject({ file: 'desk.yaml', line: expect.any(Number), message: expect.stringContaining('not valid YAML') });
  });

  it('when versions are stored, then their reserved ids never look like a flow id and map back to the file', () => {
    expect(dataVersionId('office-hours.yaml')).toBe('data:office-hours');
    expect(dataFileOfVersionId('data:office-hours')).toBe('office-hours.yaml');
    expect(dataFileOfVersionId('main-menu')).toBeUndefined();
    expect(dataFileOfVersionId('data:passwords')).toBeUndefined();
  });
});
