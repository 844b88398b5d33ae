import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { validateFlowSource } from '../conversation';
import type { DraftCheckInput, DraftCheckResult } from './flow-check';

/** What validateFlowSource answers: the flow, or its problems. */
export type ParsedFlow = ReturnType<typeof validateFlowSource>;

export interface FlowCheckThread {
  /** Checks a draft on the worker thread; past the time limit the draft gets an error finding saying so. */
  check(input: DraftCheckInput): Promise<DraftCheckResult>;
  /** Parses and validates one flow's YAML on the thread (a published version every process loads). */
  parse(source: string, file: string): Promise<ParsedFlow>;
  close(): Promise<void>;
}

export interface FlowCheckThreadOptions {
  /** every key of the Vietnamese locale files, as flows:check reads them */
  viKeys: string[];
  /** the longest one check may take once the thread has loaded; default 30 s. Past it the thread is replaced and the draft refused */
  timeoutMs?: number;
}

/**
 * A worker thread that checks flow drafts, so that a large draft (up to 256 kB, with every other
 * flow parsed beside it: hundreds of ms of CPU) never holds up the webhooks' acknowledgements on
 * the same process. One check at a time, in order; a check past the time limit ends the thread
 * (a new one starts for the next check) and the draft is refused.
 */
export function createFlowCheckThread(opts: FlowCheckThreadOptions): FlowCheckThread {
  const { viKeys, timeoutMs = 30_000 } = opts;
  // Compiled (dist/…/flow-check-worker.js) or, under tsx and the tests, the TypeScript source.
  const compiled = join(__dirname, 'flow-check-worker.js');
  const source = join(__dirname, 'flow-check-worker.ts');
  // A worker's entry file gets no --import loader on Node 20: the TypeScript source is required
  // through tsx's CommonJS hook, registered first.
  const boot = existsSync(compiled)
    ? { script: compiled, eval: false }
    : { script: `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(source)});`, eval: true };
  let worker: { thread: Worker; ready: Promise<void> } | null = null;
  let lastError = '';
  let nextId = 1;
  let queue: Promise<unknown> = Promise.resolve();

  const start = () => {
    const thread = new Worker(boot.script, { eval: boot.eval, workerData: { viKeys } });
    // Never what keeps the process alive.
    thread.unref();
    thread.on('error', (err) => void (lastError = err.message));
    const ready = new Promise<void>((resolve, reject) => {
      const onReady = (msg: { ready?: boolean }) => {
        if (!msg.ready) return;
        thread.off('message', onReady);
        resolve();
      };
      thread.on('message', onReady);
      thread.once('exit', () => reject(new Error(`the flow check thread stopped${lastError ? `: ${lastError}` : ''}`)));
    });
    ready.catch(() => undefined);
    return { thread, ready };
  };
  // Started at once, so that its loading is done before the first draft arrives.
  worker = start();

  const runOne = async <T>(kind: 'check' | 'parse', input: DraftCheckInput | { source: string; file: string }, onTimeout: () => T): Promise<T> => {
    const current = (worker ??= start());
    await current.ready;
    const w = current.thread;
    return new Promise<T>((resolve, reject) => {
      const id = nextId++;
      const done = (fn: () => void) => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('exit', onExit);
        fn();
      };
      const onMessage = (msg: { id?: number; result?: T; error?: string }) => {
        if (msg.id !== id) return;
        const { result } = msg;
        done(() => (result ? resolve(result) : reject(new Error(`flow check failed: ${msg.error ?? 'no answer'}`))));
      };
      const onExit = () => {
        if (worker === current) worker = null;
        done(() => reject(new Error(`the flow check thread stopped${lastError ? `: ${lastError}` : ''}`)));
      };
      const timer = setTimeout(() => {
        done(() => resolve(onTimeout()));
        if (worker === current) worker = null;
        void w.terminate();
      }, timeoutMs);
      w.on('message', onMessage);
      w.once('exit', onExit);
      w.postMessage({ id, kind, input });
    });
  };

  const queued = <T>(job: () => Promise<T>): Promise<T> => {
    const run = queue.then(job);
    queue = run.catch(() => undefined);
    return run;
  };
  const tooLong = `took longer than ${timeoutMs / 1000} s: make the flow smaller or simpler`;

  return {
    check(input) {
      // Refused like any other problem of the draft, so the editor shows it beside the others.
      return queued(() => runOne<DraftCheckResult>('check', input, () => ({ alone: false, findings: [{ severity: 'error', file: `${input.flowId} (draft)`, message: `the check ${tooLong}` }] })));
    },
    parse(source, file) {
      return queued(() => runOne<ParsedFlow>('parse', { source, file }, () => ({ ok: false, problems: [{ file, message: `reading it ${tooLong}` }] })));
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.thread.terminate();
    },
  };
}
