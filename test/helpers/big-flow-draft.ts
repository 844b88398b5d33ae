/**
 * A valid flow of about `targetBytes` of YAML whose first `aliases` say steps reuse one anchored
 * text: the largest and most alias-heavy draft the publishing limits let through (256 kB, 50 aliases).
 */
export function bigFlowDraft(id = 'big-draft', targetBytes = 250 * 1024, aliases = 48): string {
  const lines = [`id: ${id}`, 'title: { vi: Bản nháp lớn, en: Big draft }', 'triggers:', `  - keywords: [bản nháp lớn ${id.replace(/[-_]/g, ' ')}]`, 'steps:'];
  lines.push('  - id: s0', '    say: &t0 { vi: "Xin chào, đây là bản nháp lớn.", en: "Hello" }');
  let i = 1;
  let bytes = Buffer.byteLength(lines.join('\n'));
  while (bytes < targetBytes - 300) {
    const text = i <= aliases ? '*t0' : `{ vi: "Bước ${i}: ${'thủ tục hành chính '.repeat(6)}", en: "Step ${i}" }`;
    const step = [`  - id: s${i}`, `    say: ${text}`];
    lines.push(...step);
    bytes += Buffer.byteLength(step.join('\n')) + 2;
    i++;
  }
  lines.push(`  - id: s${i}`, '    end: true');
  return `${lines.join('\n')}\n`;
}
