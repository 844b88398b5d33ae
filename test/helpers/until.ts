/**
 * Waiting for what a test proves instead of sleeping a fixed time: `until` polls a condition,
 * `untilIdle` waits for a BullMQ queue to have nothing left to do (so "nothing more was sent" is
 * asserted after the work that could send it has run, not after a guess at how long it takes).
 */
import type { JobType, Queue } from 'bullmq';

export interface UntilOptions {
  /** default 10 s */
  timeoutMs?: number;
  /** default 20 ms */
  intervalMs?: number;
  /** added to the timeout error: what the test saw (the app's output, the messages sent) */
  detail?: () => string;
}

export async function until(what: string, check: () => boolean | Promise<boolean>, opts: UntilOptions = {}): Promise<void> {
  const { timeoutMs = 10_000, intervalMs = 20, detail } = opts;
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail ? `:\n${detail()}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Resolves when none of `queues` has a job waiting, running or (with `delayed`) planned for later,
 * twice in a row a poll apart (a job finishing may add the next one).
 */
export async function untilIdle(queues: Queue | Queue[], opts: UntilOptions & { delayed?: boolean } = {}): Promise<void> {
  const list = Array.isArray(queues) ? queues : [queues];
  const states: JobType[] = ['waiting', 'active', 'prioritized', 'waiting-children'];
  if (opts.delayed) states.push('delayed');
  let quietPolls = 0;
  await until(
    `${list.map((q) => q.name).join(', ')} to be idle`,
    async () => {
      const counts = await Promise.all(list.map((q) => q.getJobCounts(...states)));
      const busy = counts.some((c) => Object.values(c).some((n) => n > 0));
      quietPolls = busy ? 0 : quietPolls + 1;
      return quietPolls >= 2;
    },
    opts,
  );
}
