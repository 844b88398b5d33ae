/**
 * `npm run bench:webhook-profile`: where the commune server's web process spends its CPU on the
 * webhook path. Starts it (ROLE=web, real Redis), warms it up, then profiles (node:inspector, over
 * IPC) a window of signed Messenger webhooks at a fixed rate, and prints from the profile: CPU µs per request, the share
 * of each package (bullmq, ioredis, express, pino, prom-client, our src/…, node internals, GC) and
 * the costliest functions by self time, beside the process's CPU time from /proc.
 *
 * Options: --rate N (default 1000), --seconds N (default 6), --keep (leave the .cpuprofile in var/profiles),
 *          --role all (ROLE=all with a fake Send API: the workers' share too, as bench:e2e runs it),
 *          --flows bundled|echo (with --role all; default bundled: the shipped flows and bench:e2e's mix of
 *          citizens, lib/citizens.ts; echo: bench/flows/echo.yaml over 2,000 conversations)
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, ROOT, startChild, type Child } from './lib/children';
import { cpuSeconds } from './lib/cpu';
import { errorsOf, latenciesMs, openLoop, percentile } from './lib/load';
import { eventFactory, type SignedEvent } from './lib/messages';
import { bundledFlowsCopy } from './lib/bundled-flows';
import { createPopulation, oneCallEach } from './lib/citizens';
import { communeEnv, log, machineLoad, runIds, webhookTarget, withCleanup } from './lib/run';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const RATE = opt('--rate', 1000);
const SECONDS = opt('--seconds', 6);
const KEEP = args.includes('--keep');
const ROLE = (args.includes('--role') ? args[args.indexOf('--role') + 1] : 'web') as 'web' | 'all';
if (ROLE !== 'web' && ROLE !== 'all') throw new Error('--role must be web or all');
const FLOWS = args.includes('--flows') ? args[args.indexOf('--flows') + 1] : 'bundled';
if (FLOWS !== 'bundled' && FLOWS !== 'echo') throw new Error('--flows takes bundled or echo');
const BUNDLED = ROLE === 'all' && FLOWS === 'bundled';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Which part of the program a frame belongs to. */
function bucketOf(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(idle)' || fn === '(program)' || fn === '(root)') return fn;
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  const src = /\/(src|bench|test)\/(.*)$/.exec(url);
  if (src) return `${src[1]}/${src[2].split('/').slice(0, -1).join('/') || '.'}`;
  if (url.startsWith('node:') || url === '') return 'node internals';
  return url;
}

function summarize(profile: Profile, requests: number): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
  let busy = 0;
  const buckets = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    const bucket = bucketOf(url, functionName);
    if (bucket === '(idle)') continue;
    busy += us;
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + us);
    const name = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(`file://${ROOT}/`, '')}:${lineNumber + 1}`;
    fns.set(name, (fns.get(name) ?? 0) + us);
  }
  const per = (us: number) => `${(us / requests).toFixed(1).padStart(6)} µs/req`;
  console.log(`\nCPU (busy, idle excluded): ${(busy / 1e6).toFixed(2)} s for ${requests} requests = ${(busy / requests).toFixed(0)} µs a request`);
  console.log('\nby part (self time):');
  for (const [b, us] of [...buckets].sort((a, c) => c[1] - a[1]).slice(0, 20)) console.log(`  ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${per(us)}  ${b}`);
  console.log('\ncostliest functions (self time):');
  for (const [f, us] of [...fns].sort((a, c) => c[1] - a[1]).slice(0, 30)) console.log(`  ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${per(us)}  ${f}`);
}

async function main(): Promise<void> {
  const { tag, prefix } = runIds();
  const dir = join(ROOT, 'var', 'profiles', tag);
  mkdirSync(dir, { recursive: true });
  const children: Child[] = [];
  await withCleanup(prefix, () => children, async () => {
    log(`run ${tag}: ROLE=${ROLE}${ROLE === 'all' ? `, ${FLOWS} flows` : ''}, ${RATE}/s, ${machineLoad()}`);
    let sendApiPort = 9;
    if (ROLE === 'all') {
      const fake = await startChild('fake Send API', 'lib/fake-send-api.ts', {});
      children.push(fake);
      sendApiPort = fake.ready.port!;
    }
    const flowsCopy = BUNDLED ? bundledFlowsCopy(tag) : null;
    const env = communeEnv({ prefix, sendApiPort, role: ROLE, ...(ROLE === 'all' ? { flowsDir: flowsCopy?.dir ?? join(BENCH_DIR, 'flows'), demoData: BUNDLED } : {}) });
    const child = await startChild('commune server', 'lib/app-process.ts', env).finally(() => flowsCopy?.remove());
    children.push(child);
    const target = webhookTarget(child);
    const echoEvents = eventFactory(`${tag}p`, (i) => String(7_300_000_000_000_000 + (ROLE === 'all' ? i % 2_000 : i)));
    // The bundled mix: the calls each message gets do not matter here, only what the server does for it.
    const population = createPopulation({ psidBase: 7_300_000_000_000_000, runTag: `${tag}p`, counts: oneCallEach(), gapSeconds: 1.5 });
    const take = (rate: number, n: number): SignedEvent[] => (BUNDLED ? population.phase(rate, n).map((m) => m.event) : echoEvents.take(n));
    // Warm-up (JIT, connections), then the measured window only.
    await openLoop({ target, rate: BUNDLED ? RATE : 500, durationMs: 2_000, events: take(BUNDLED ? RATE : 500, BUNDLED ? 2 * RATE : 1000) });
    const file = join(dir, 'web.cpuprofile');
    const cpuBefore = cpuSeconds(child.ready.pid);
    await child.request('loopStats', { reset: true });
    await child.request('profileStart');
    const r = await openLoop({ target, rate: RATE, durationMs: SECONDS * 1000, events: take(RATE, RATE * SECONDS) });
    await child.request('profileStop', { file }, 30_000);
    const cpuAfter = cpuSeconds(child.ready.pid);
    const loop = await child.request<{ loopDelayMs: Record<string, number>; gc: Record<string, { count: number; totalMs: number; maxMs: number }>; heapUsedMb: number }>('loopStats', { reset: false });
    const lat = latenciesMs(r.shots);
    log(`${RATE}/s for ${SECONDS} s: p50 ${percentile(lat, 50).toFixed(2)} ms, p99 ${percentile(lat, 99).toFixed(2)} ms, errors ${errorsOf(r.shots).count}, generator lag p99 ${r.sendLagP99Ms.toFixed(1)} ms`);
    if (cpuBefore !== null && cpuAfter !== null) console.log(`process CPU (/proc, user + system, profiler included): ${((1e6 * (cpuAfter - cpuBefore)) / r.shots.length).toFixed(0)} µs a request`);
    const ld = loop.loopDelayMs;
    console.log(`event-loop delay p50 ${ld.p50.toFixed(1)} ms, p99 ${ld.p99.toFixed(1)} ms, max ${ld.max.toFixed(1)} ms; heap ${loop.heapUsedMb.toFixed(0)} MB`);
    for (const [kind, g] of Object.entries(loop.gc)) console.log(`GC ${kind}: ${g.count}× total ${g.totalMs.toFixed(1)} ms, longest ${g.maxMs.toFixed(1)} ms`);
    summarize(JSON.parse(readFileSync(file, 'utf8')) as Profile, r.shots.length);
    console.log(`\n(${machineLoad()}; samples are taken on the process's thread, so on a busy machine a little of the time the process waited is counted where it waited)`);
    if (KEEP) console.log(`profile: ${file}`);
    else rmSync(dir, { recursive: true, force: true });
    return true;
  });
}

void main();
