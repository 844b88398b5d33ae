/**
 * The commune server in a process of its own, built by startApp from the environment exactly as
 * `npm start` builds it (PORT=0 is answered with the real port over IPC). The bench reads its
 * queue depth through IPC while it drains; bench/webhook-profile.ts takes a CPU profile of a
 * chosen window (profileStart, then profileStop writes it to the file asked for).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver, monitorEventLoopDelay, constants as perfConstants, type PerformanceEntry } from 'node:perf_hooks';
import { loadConfig } from '../../src/config';
import { startApp } from '../../src/main';
import { serveIpc, sayReady } from './child-ipc';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await startApp(config, { http: config.role !== 'worker' });
  let profiler: Session | undefined;
  // Event-loop delay and GC pauses, for the tail of the acknowledge latency (loopStats resets them).
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  let gcs: PerformanceEntry[] = [];
  new PerformanceObserver((list) => void gcs.push(...list.getEntries())).observe({ entryTypes: ['gc'] });
  const gcKind = (e: PerformanceEntry) => {
    const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
    return kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR ? 'major' : kind === perfConstants.NODE_PERFORMANCE_GC_MINOR ? 'minor' : kind === perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL ? 'incremental' : 'weak';
  };
  serveIpc(
    {
      depth: () => app.path.depth(),
      memory: () => process.memoryUsage(),
      loopStats: (msg: Record<string, unknown>) => {
        const out = {
          loopDelayMs: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
          gc: {} as Record<string, { count: number; totalMs: number; maxMs: number }>,
          heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20,
        };
        for (const e of gcs) {
          const g = (out.gc[gcKind(e)] ??= { count: 0, totalMs: 0, maxMs: 0 });
          g.count++;
          g.totalMs += e.duration;
          g.maxMs = Math.max(g.maxMs, e.duration);
        }
        if (msg.reset) {
          loopDelay.reset();
          gcs = [];
        }
        return out;
      },
      profileStart: async () => {
        profiler ??= new Session();
        profiler.connect();
        await profiler.post('Profiler.enable');
        await profiler.post('Profiler.setSamplingInterval', { interval: 250 });
        await profiler.post('Profiler.start');
        return true;
      },
      profileStop: async (msg: Record<string, unknown>) => {
        if (!profiler) throw new Error('no profile started');
        const { profile } = await profiler.post('Profiler.stop');
        writeFileSync(String(msg.file), JSON.stringify(profile));
        profiler.disconnect();
        return true;
      },
    },
    () => app.stop(),
  );
  sayReady(app.port);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
