import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GOAL_KINDS, loadDialogues, type Dialogue, type TapAction } from '../../bench/dialogues-set';

// The typed dialogues of `npm run bench:dialogues` must load and be playable; the share reaching
// the goal is a measure, never asserted here.
const dialogues: Dialogue[] = loadDialogues();
const FLOWS = resolve(__dirname, '../../flows');
const flowText = readdirSync(FLOWS)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => readFileSync(join(FLOWS, f), 'utf8'))
  .join('\n');
const actions = (d: Dialogue): TapAction[] => d.turns.flatMap((t) => (t.tap === undefined ? [] : Array.isArray(t.tap) ? t.tap : [t.tap]));

describe('bench/dialogues', () => {
  it('when the dialogue files are read, then there are at least 60 dialogues on both platforms with about a third held out', () => {
    expect(dialogues.length).toBeGreaterThanOrEqual(60);
    expect(new Set(dialogues.map((d) => d.platform))).toEqual(new Set(['messenger', 'zalo']));
    const held = dialogues.filter((d) => d.holdout).length / dialogues.length;
    expect(held).toBeGreaterThan(0.25);
    expect(held).toBeLessThan(0.45);
  });

  it('when a dialogue has a goal, then it is one the harness checks, and the holdout part covers every goal of the flows', () => {
    for (const d of dialogues) expect(GOAL_KINDS).toContain(d.goal.kind);
    const heldKinds = new Set(dialogues.filter((d) => d.holdout).map((d) => d.goal.kind));
    for (const k of ['case_filed', 'appointment_booked', 'status_shown', 'rating_recorded', 'handoff_opened', 'data_rights_recorded'] as const) expect(heldKinds).toContain(k);
  });

  it('when a goal or a turn needs an earlier case or appointment, then the dialogue sets it up', () => {
    for (const d of dialogues) {
      const words = JSON.stringify([d.turns, d.goal]);
      const needsCase = /\{case(_lower)?\}/.test(words) || d.goal.kind === 'rating_recorded';
      const needsAppt = words.includes('{appt}') || d.goal.kind === 'appointment_cancelled' || d.goal.kind === 'appointment_moved';
      expect({ id: d.id, case: needsCase && !d.setup?.case, appointment: needsAppt && !d.setup?.appointment }).toEqual({ id: d.id, case: false, appointment: false });
    }
  });

  it('when a turn taps a payload, then the bundled flows offer that payload somewhere', () => {
    const unknown = dialogues.flatMap((d) => actions(d).filter((a): a is string => typeof a === 'string' && !flowText.includes(a) && a !== 'SKIP' && a !== 'YES' && a !== 'NO').map((a) => `${d.id}: ${a}`));
    expect(unknown).toEqual([]);
  });
});
