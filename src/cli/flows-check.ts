/**
 * `npm run flows:check [dir]`: checks every flow in dir (default flows/) the way start-up would, plus
 * what only shows across files. Prints `file:line severity message`; exits 1 when any error is found.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkFlows } from '../conversation';
import { readLocaleDir } from '../i18n';

function hasKeyIn(resources: Record<string, unknown>): (key: string) => boolean {
  return (key) => {
    let cur: unknown = resources;
    for (const part of key.split('.')) {
      if (cur === null || typeof cur !== 'object') return false;
      cur = (cur as Record<string, unknown>)[part];
    }
    return typeof cur === 'string';
  };
}

export function runFlowsCheck(dir: string, localesDir: string, out: (line: string) => void): number {
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => e.name)
    .sort();
  const sources = files.map((file) => ({ file, source: readFileSync(join(dir, file), 'utf8') }));
  const findings = checkFlows(sources, hasKeyIn(readLocaleDir(localesDir, 'vi')));
  for (const f of findings) out(`${join(dir, f.file)}${f.line ? `:${f.line}` : ''} ${f.severity}: ${f.message}`);
  const errors = findings.filter((f) => f.severity === 'error').length;
  out(`${files.length} flow file(s) checked: ${errors} error(s), ${findings.length - errors} warning(s)`);
  return errors > 0 ? 1 : 0;
}

if (require.main === module) {
  const dir = resolve(process.argv[2] ?? 'flows');
  const localesDir = resolve(__dirname, '..', '..', 'locales');
  process.exitCode = runFlowsCheck(dir, localesDir, (line) => console.log(line));
}
