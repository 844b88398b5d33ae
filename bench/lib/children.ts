/**
 * Child processes for the benchmarks: every server under test runs in its own process (its own
 * event loop), started as `node --import tsx <script>`, and talks to the bench over IPC.
 * Every child started here is killed when the bench exits, however it exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const BENCH_DIR = join(__dirname, '..');
export const ROOT = join(BENCH_DIR, '..');

/** What a child says once it is listening (see child-ipc.ts). */
export interface ReadyInfo {
  port: number | null;
  pid: number;
}

export interface Child {
  name: string;
  proc: ChildProcess;
  ready: ReadyInfo;
  /** Sends a request and resolves with the child's answer. */
  request<T>(type: string, body?: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** Asks the child to stop cleanly, then kills it if it has not exited within `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();
let hooked = false;

function killAll(): void {
  for (const p of live) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
}

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', killAll);
}

/** Kills every child still running (the bench's cleanup path on failure). */
export function killChildren(): void {
  killAll();
}

interface Answer {
  type: 'answer';
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

/** Starts `script` (a path relative to bench/) and waits for its ready message. */
export async function startChild(name: string, script: string, env: Record<string, string>, opts: { startTimeoutMs?: number; /** extra node flags, e.g. --cpu-prof */ nodeArgs?: string[] } = {}): Promise<Child> {
  hookExit();
  const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', join(BENCH_DIR, script)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  live.add(proc);
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-20_000);
  });
  proc.on('exit', () => live.delete(proc));

  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const failAll = (why: string) => {
    for (const p of pending.values()) p.reject(new Error(`${name}: ${why}`));
    pending.clear();
  };
  proc.on('message', (m: unknown) => {
    const a = m as Answer;
    if (a?.type !== 'answer') return;
    const p = pending.get(a.id);
    if (!p) return;
    pending.delete(a.id);
    if (a.ok) p.resolve(a.value);
    else p.reject(new Error(`${name}: ${a.error ?? 'failed'}`));
  });
  proc.on('exit', (code, signal) => failAll(`exited (${code ?? signal})\n${stderr.trim()}`));

  const ready = await new Promise<ReadyInfo>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${opts.startTimeoutMs ?? 30_000} ms\n${stderr.trim()}`)), opts.startTimeoutMs ?? 30_000);
    const onMessage = (m: unknown) => {
      const r = m as { type?: string } & ReadyInfo;
      if (r?.type !== 'ready') return;
      clearTimeout(timer);
      proc.off('message', onMessage);
      resolve({ port: r.port, pid: r.pid });
    };
    proc.on('message', onMessage);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it was ready (${code ?? signal})\n${stderr.trim()}`));
    });
  });

  return {
    name,
    proc,
    ready,
    request<T>(type: string, body: Record<string, unknown> = {}, timeoutMs = 60_000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        if (!proc.connected) return reject(new Error(`${name}: not connected`));
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${name}: no answer to ${type} within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (v) => {
            clearTimeout(timer);
            resolve(v as T);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
        proc.send({ type, id, ...body });
      });
    },
    async stop(timeoutMs = 10_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      if (proc.connected) proc.send({ type: 'stop', id: 0 });
      else proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
