/** The benches' output: one row per metric, the server beside its baseline from the same run. */
export interface Row {
  metric: string;
  server: string;
  baseline: string;
  ratio: string;
  target: string;
  pass: boolean | null;
}

export function printTable(title: string, serverName: string, baselineName: string, rows: Row[]): void {
  const head = ['metric', serverName, baselineName, 'ratio', 'target', 'pass/fail'];
  const cells = rows.map((r) => [r.metric, r.server, r.baseline, r.ratio, r.target, r.pass === null ? '' : r.pass ? 'PASS' : 'FAIL']);
  const widths = head.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c].length)));
  const line = (row: string[]) => `| ${row.map((v, c) => v.padEnd(widths[c])).join(' | ')} |`;
  console.log(`\n${title}`);
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of cells) console.log(line(row));
}

export const fmt = {
  ms: (v: number) => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 2 : 1)} ms` : 'n/a'),
  rps: (v: number) => (Number.isFinite(v) ? `${Math.round(v)}/s` : 'n/a'),
  ratio: (a: number, b: number) => (b > 0 && Number.isFinite(a) && Number.isFinite(b) ? `${(a / b).toFixed(2)}x` : 'n/a'),
  pct: (a: number, b: number) => (b > 0 ? `${((100 * a) / b).toFixed(0)}%` : 'n/a'),
};
