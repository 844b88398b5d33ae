/**
 * The child side of children.ts: answers the bench's requests over IPC, says when it is ready,
 * and exits when the bench goes away (so no server outlives a crashed bench).
 */
type Handler = (msg: Record<string, unknown>) => unknown;

export function serveIpc(handlers: Record<string, Handler>, onStop: () => Promise<void>): void {
  if (!process.send) throw new Error('started without an IPC channel: run it through bench/lib/children.ts');
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const hardExit = setTimeout(() => process.exit(1), 8_000);
    hardExit.unref();
    onStop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        console.error(err);
        process.exit(1);
      });
  };
  process.on('message', (raw: unknown) => {
    const msg = raw as { type: string; id: number } & Record<string, unknown>;
    if (msg.type === 'stop') return stop();
    const handler = handlers[msg.type];
    const answer = (ok: boolean, value?: unknown, error?: string) => process.send?.({ type: 'answer', id: msg.id, ok, value, error });
    if (!handler) return void answer(false, undefined, `unknown request ${msg.type}`);
    Promise.resolve()
      .then(() => handler(msg))
      .then(
        (v) => answer(true, v),
        (e: unknown) => answer(false, undefined, e instanceof Error ? e.message : String(e)),
      );
  });
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

export function sayReady(port: number | null): void {
  process.send?.({ type: 'ready', port, pid: process.pid });
}
