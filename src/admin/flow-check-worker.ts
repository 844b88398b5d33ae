// The worker thread behind flow-check-thread.ts: checks one draft at a time, off the web
// process's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { validateFlowSource } from '../conversation';
import { checkFlowDraft, type DraftCheckInput, type FlowIdMemo } from './flow-check';

const viKeys = new Set((workerData as { viKeys: string[] }).viKeys);
const memo: FlowIdMemo = new Map();

type Job = { id: number; kind: 'check'; input: DraftCheckInput } | { id: number; kind: 'parse'; input: { source: string; file: string } };

parentPort?.on('message', (msg: Job) => {
  try {
    const result = msg.kind === 'check' ? checkFlowDraft(msg.input, (key) => viKeys.has(key), memo) : validateFlowSource(msg.input.source, msg.input.file);
    parentPort?.postMessage({ id: msg.id, result });
  } catch (err) {
    parentPort?.postMessage({ id: msg.id, error: (err as Error).message });
  }
});

// Loaded: the time limit of a check starts from here, never counting the thread's start.
parentPort?.postMessage({ ready: true });
