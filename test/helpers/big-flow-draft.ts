/**
 * A valid flow of about `targetBytes` of YAML whose first `aliases` say steps reuse one anchored
 * text: the largest and most alias-heavy draft the publishing limits let through (256 kB, 50 aliases).
 */
export function bigFlowDraft(id = 'big_draft', targetBytes = 250 * 1024, aliases = 48): string {
  const lines = [`id: ${id}`, 'title: { vi: Bản nháp lớn, en: Big draft }', 'triggers:', `  - keywords: [bản nháp lớn ${id.replace(/_/g, ' ')}]`, 'steps:'];
  lines.push('  - id: s0', '    say: &t0 { vi: "Xin chào, đây là bản nháp lớn.", en: "Hello" }');
  let i = 1;
  while (Buffer.byteLength(lines.join('\n')) < targetBytes - 300) {
    const text = i <= aliases ? '*t0' : `{ vi: "Bước ${i}: ${'thủ tục hành chính '.repeat(6)}", en: "Step ${i}" }`;
    lines.push(`  - id: s${i}`, `    say: ${text}`);
    i++;
  }
  lines.push(`  - id: s${i}`, '    end: true');
  return `${lines.join('\n')}\n`;
}
