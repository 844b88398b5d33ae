import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadCommuneData } from '../../src/commune-data';
import { loadFlowRegistry, type FlowRegistry, type Translator } from '../../src/conversation';
import { createTranslator } from '../../src/i18n';
import { playCase, readTranscriptFile } from './transcript';

const ROOT = join(__dirname, '..', '..');
const FLOWS = join(ROOT, 'flows');
const TESTS = join(FLOWS, 'tests');
const files = readdirSync(TESTS).filter((f) => /\.ya?ml$/.test(f)).sort();

let registry: FlowRegistry;
let t: Translator;
const covered = new Set<string>();

beforeAll(async () => {
  // the commune's facts of the bundled commune.yaml, as the server gives them to the texts
  registry = loadFlowRegistry(FLOWS).withCommune(loadCommuneData(FLOWS).texts);
  t = await createTranslator(join(ROOT, 'locales'));
});

describe.each(files)('flows/tests/%s', (file) => {
  // by convention flows/tests/<flow-id>.yaml is that flow's transcript
  covered.add(file.replace(/\.ya?ml$/, ''));
  const transcript = readTranscriptFile(join(TESTS, file));
  it.each(transcript.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { problems, flowsSeen } = playCase(registry, t, c);
    flowsSeen.forEach((f) => covered.add(f));
    expect(problems).toEqual([]);
  });
});

describe('transcript coverage', () => {
  it('when every transcript has run, then every bundled flow has its own transcript or was visited by one', () => {
    const missing = registry.list().map((f) => f.id).filter((id) => !covered.has(id));
    expect(missing).toEqual([]);
  });
});
