/**
 * The bundled flows (flows/) for bench:e2e, copied to a folder of the run with one commune value
 * changed: the desk takes 1,000 visitors a slot (desk.yaml `capacityPerSlot`, its maximum) instead
 * of 4, so the bookings of a long run never fill the offered days and every booking walks the same
 * path. Flows, catalogue, routing and calendar are the shipped ones.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './children';

export function bundledFlowsCopy(tag: string): { dir: string; remove(): void } {
  const dir = join(ROOT, 'var', `bench-flows-${tag}`);
  mkdirSync(dir, { recursive: true });
  cpSync(join(ROOT, 'flows'), dir, { recursive: true });
  const desk = join(dir, 'data', 'desk.yaml');
  const text = readFileSync(desk, 'utf8');
  if (!/^capacityPerSlot: \d+$/m.test(text)) throw new Error('flows/data/desk.yaml has no capacityPerSlot line to raise');
  writeFileSync(desk, text.replace(/^capacityPerSlot: \d+$/m, 'capacityPerSlot: 1000'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
