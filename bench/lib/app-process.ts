/**
 * The commune server in a process of its own, built by startApp from the environment exactly as
 * `npm start` builds it (PORT=0 is answered with the real port over IPC). The bench reads its
 * queue depth through IPC while it drains.
 */
import { loadConfig } from '../../src/config';
import { startApp } from '../../src/main';
import { serveIpc, sayReady } from './child-ipc';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await startApp(config, { http: config.role !== 'worker' });
  serveIpc(
    {
      depth: () => app.path.depth(),
      memory: () => process.memoryUsage(),
    },
    () => app.stop(),
  );
  sayReady(app.port);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
