/**
 * CPU time a process has used (user + system), read from /proc/<pid>/stat on Linux; null elsewhere.
 * The benches divide it by the messages handled: what one message costs the server, whatever else
 * the machine was doing at the time.
 */
import { readFileSync } from 'node:fs';

/** clock ticks per second of /proc/<pid>/stat: 100 on every mainstream Linux (USER_HZ) */
const TICKS_PER_SECOND = 100;

export function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces: count fields after its closing parenthesis
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime + stime) ? (utime + stime) / TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}

/** Adds up the CPU seconds `pids` use while `fn` runs (null when /proc cannot be read). */
export async function measureCpu<T>(pids: (number | undefined)[], fn: () => Promise<T>): Promise<{ value: T; cpu: number | null }> {
  const before = pids.map(cpuSeconds);
  const value = await fn();
  const after = pids.map(cpuSeconds);
  let cpu: number | null = 0;
  for (let i = 0; i < pids.length; i++) {
    const a = after[i];
    const b = before[i];
    if (a === null || b === null || cpu === null) cpu = null;
    else cpu += a - b;
  }
  return { value, cpu };
}
