import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFlowDraft, type DraftCheckInput } from '../../../src/admin/flow-check';
import { createFlowCheckThread, type FlowCheckThread } from '../../../src/admin/flow-check-thread';
import { localeKeys } from '../../../src/i18n';
import { LOCALES_DIR } from '../../../src/paths';
import { bigFlowDraft } from '../../helpers/big-flow-draft';

const FLOWS = join(__dirname, '..', '..', '..', 'flows');
const files = readdirSync(FLOWS)
  .filter((f) => f.endsWith('.yaml'))
  .map((file) => ({ file, source: readFileSync(join(FLOWS, file), 'utf8') }));
const viKeys = localeKeys(LOCALES_DIR, 'vi');
const input = (flowId: string, source: string): DraftCheckInput => ({ flowId, source, files, published: [] });

/** How long this thread ran JavaScript (its event loop busy) while `work` ran, in ms. */
async function busyMs(work: () => Promise<unknown>): Promise<number> {
  const before = performance.eventLoopUtilization();
  await work();
  await new Promise((r) => setTimeout(r, 20));
  return performance.eventLoopUtilization(before).active;
}

describe('the flow check thread', () => {
  // A 250 kB draft is checked in about a second here, far longer on a loaded machine.
  jest.setTimeout(120_000);
  let thread: FlowCheckThread;
  beforeAll(() => {
    thread = createFlowCheckThread({ viKeys });
  });
  afterAll(() => thread.close());

  test('when a draft is checked on the thread, then it finds what the check on this thread finds', async () => {
    const bookingFile = files.find((f) => f.file === 'booking.yaml');
    if (!bookingFile) throw new Error('flows/booking.yaml is missing');
    const hasViKey = (k: string) => viKeys.includes(k);
    for (const [flowId, source] of [
      ['booking', bookingFile.source],
      ['booking', bookingFile.source.replace('triggers:\n', 'triggers:\n  - payload: GET_STARTED\n')],
      ['booking', 'id: booking\nsteps: [\n'],
      ['other_id', bookingFile.source],
      ['big-draft', bigFlowDraft()],
    ] as const) {
      expect(await thread.check(input(flowId, source))).toEqual(checkFlowDraft(input(flowId, source), hasViKey));
    }
  });

  test('when a 250 kB draft with aliases is checked, then this thread stays free (the work is elsewhere)', async () => {
    const big = input('big-draft', bigFlowDraft());
    await thread.check(big); // the thread has started and loaded its code
    const inHere = await busyMs(async () => checkFlowDraft(big, () => true));
    const onThread = await busyMs(() => thread.check(big));
    expect(inHere).toBeGreaterThan(50);
    expect(onThread).toBeLessThan(inHere / 5);
  });

  test('when a check takes longer than the limit, then the draft is refused saying so, and the next check runs', async () => {
    const hasty = createFlowCheckThread({ viKeys, timeoutMs: 5 });
    try {
      const r = await hasty.check(input('big-draft', bigFlowDraft()));
      expect(r).toEqual({ alone: false, findings: [{ severity: 'error', file: 'big-draft (draft)', message: expect.stringContaining('the check took longer than') }] });
    } finally {
      await hasty.close();
    }
    const again = await thread.check(input('big-draft', bigFlowDraft()));
    expect(again.alone).toBe(true);
  });
});
