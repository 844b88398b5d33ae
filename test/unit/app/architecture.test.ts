import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

interface Probe {
  /** the path the code is linted as, relative to the project root */
  file: string;
  code: string;
}

type Found = { rule: string | null; message: string }[];

/**
 * Lints each probe with ESLint's Node API and the project's own eslint.config.mjs. ESLint loads that
 * config with a dynamic import(), which Jest's module sandbox refuses without --experimental-vm-modules,
 * so the API runs in a plain node process beside the test.
 */
function lintProbes(probes: Probe[]): Found[] {
  const script = `
    const { ESLint } = require('eslint');
    const { join } = require('node:path');
    let input = '';
    process.stdin.on('data', (d) => (input += d));
    process.stdin.on('end', async () => {
      const eslint = new ESLint({ cwd: process.cwd() });
      const out = [];
      for (const p of JSON.parse(input)) {
        const [r] = await eslint.lintText(p.code, { filePath: join(process.cwd(), p.file) });
        out.push(r.messages.filter((m) => m.severity === 2).map((m) => ({ rule: m.ruleId, message: m.message })));
      }
      process.stdout.write(JSON.stringify(out));
    });`;
  const run = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, input: JSON.stringify(probes), encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`eslint did not run:\n${run.stderr}`);
  return JSON.parse(run.stdout) as Found[];
}

const FORBIDDEN: [string, Probe, string][] = [
  ['civic imports the queues of jobs/', { file: 'src/civic/procedures/x.ts', code: "import { QUEUES } from '../../jobs/queues';\nexport const q = QUEUES;\n" }, 'import/no-restricted-paths'],
  ['civic imports bullmq', { file: 'src/civic/x.ts', code: "import { Queue } from 'bullmq';\nexport const q = Queue;\n" }, 'no-restricted-imports'],
  ['civic imports express', { file: 'src/civic/x.ts', code: "import express from 'express';\nexport const e = express;\n" }, 'no-restricted-imports'],
  ['conversation imports the civic actions', { file: 'src/conversation/x.ts', code: "import { runAction } from '../civic/actions';\nexport const r = runAction;\n" }, 'import/no-restricted-paths'],
  ['the messenger channel imports the zalo channel', { file: 'src/channels/messenger/x.ts', code: "import { createZaloSender } from '../zalo';\nexport const z = createZaloSender;\n" }, 'import/no-restricted-paths'],
  ['jobs/ imports the memory store adapter', { file: 'src/jobs/x.ts', code: "import { createMemoryStores } from '../store/memory';\nexport const m = createMemoryStores;\n" }, 'import/no-restricted-paths'],
  ['shared/ imports the queues of jobs/', { file: 'src/shared/x.ts', code: "import { QUEUES } from '../jobs/queues';\nexport const q = QUEUES;\n" }, 'import/no-restricted-paths'],
  ['a channel imports bullmq', { file: 'src/channels/messenger/x.ts', code: "import { Queue } from 'bullmq';\nexport const q = Queue;\n" }, 'no-restricted-imports'],
  ['the admin API imports bullmq', { file: 'src/admin/api/x.ts', code: "import { Queue } from 'bullmq';\nexport const q = Queue;\n" }, 'no-restricted-imports'],
  ['jobs/ imports mongoose', { file: 'src/jobs/x.ts', code: "import mongoose from 'mongoose';\nexport const m = mongoose;\n" }, 'no-restricted-imports'],
  ['civic reads the locales itself through src/i18n.ts', { file: 'src/civic/x.ts', code: "import { createTranslatorSync } from '../i18n';\nexport const t = createTranslatorSync;\n" }, 'import/no-restricted-paths'],
  ['a channel decides a window from jobs/', { file: 'src/channels/zalo/x.ts', code: "import { QUEUES } from '../../jobs/queues';\nexport const q = QUEUES;\n" }, 'import/no-restricted-paths'],
  ['a module other than config.ts reads process.env', { file: 'src/jobs/x.ts', code: 'export const port = process.env.PORT;\n' }, 'no-restricted-properties'],
];

const ALLOWED: [string, Probe][] = [
  ['jobs/ imports the store ports', { file: 'src/jobs/x.ts', code: "import type { ConversationStore } from '../store/ports';\nexport type S = ConversationStore;\n" }],
  ['jobs/ imports bullmq', { file: 'src/jobs/x.ts', code: "import { Queue } from 'bullmq';\nexport const q = Queue;\n" }],
  ['civic uses the messaging policy port of shared/', { file: 'src/civic/x.ts', code: "import type { MessagingPolicy } from '../shared/messaging-policy';\nexport type P = MessagingPolicy;\n" }],
  ['config.ts reads process.env', { file: 'src/config.ts', code: 'export const port = process.env.PORT;\n' }],
];

describe('the import arrows of ARCHITECTURE.md', () => {
  let results: Map<string, Found>;

  beforeAll(() => {
    const cases: [string, Probe][] = [...FORBIDDEN.map(([name, probe]) => [name, probe] as [string, Probe]), ...ALLOWED];
    const found = lintProbes(cases.map(([, probe]) => probe));
    results = new Map(cases.map(([name], i) => [name, found[i]]));
  }, 60_000);

  it.each(FORBIDDEN)('when %s, then lint reports an error', (name, _probe, rule) => {
    expect(results.get(name)?.map((v) => v.rule)).toContain(rule);
  });

  it.each(ALLOWED)('when %s, then lint is clean', (name) => {
    expect(results.get(name)).toEqual([]);
  });

  it('when a forbidden import is reported, then the message says which arrow it breaks', () => {
    const messages = results.get('conversation imports the civic actions')?.map((v) => v.message).join('\n');
    expect(messages).toContain('conversation and civic never import each other');
  });
});
