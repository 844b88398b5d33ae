/**
 * The commune server in a process of its own, built by startApp from the environment exactly as
 * `npm start` builds it (PORT=0 is answered with the real port over IPC). The bench reads its
 * queue depth through IPC while it drains; bench/webhook-profile.ts takes a CPU profile of a
 * chosen window (profileStart, then profileStop writes it to the file asked for).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadConfig } from '../../src/config';
import { startApp } from '../../src/main';
import { serveIpc, sayReady } from './child-ipc';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await startApp(config, { http: config.role !== 'worker' });
  let profiler: Session | undefined;
  serveIpc(
    {
      depth: () => app.path.depth(),
      memory: () => process.memoryUsage(),
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
