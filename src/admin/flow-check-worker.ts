// The worker thread behind flow-check-thread.ts: checks one draft at a time, off the web
// process's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { checkFlowDraft, type DraftCheckInput } from './flow-check';

const viKeys = new Set((workerData as { viKeys: string[] }).viKeys);

parentPort?.on('message', (msg: { id: number; input: DraftCheckInput }) => {
  try {
    parentPort?.postMessage({ id: msg.id, result: checkFlowDraft(msg.input, (key) => viKeys.has(key)) });
  } catch (err) {
    parentPort?.postMessage({ id: msg.id, error: (err as Error).message });
  }
});
