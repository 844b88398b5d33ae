/**
 * `npm run bench:webhook`: signed Messenger webhooks against the commune server (real Redis,
 * bundled flows, memory store) beside a bare express 5 handler answering 200, in the same run,
 * each server in a process of its own. For each: peak requests/s (closed loops at rising
 * concurrency), p50/p99 acknowledge latency at that peak and at a fixed 1,000 requests/s (open
 * loop), errors. Then every event the commune server acknowledged must be answered: each message
 * comes from its own PSID, and the fake Send API records which PSIDs got a Send API call.
 *
 * The servers are measured in turns (bare, reference, commune at each level, then again), so that a
 * burst of load from elsewhere on the machine falls on all of them rather than on one (with
 * --role all, one after the other: the commune server's workers never idle between turns).
 *
 * A reference server, the least a correct webhook does (signature check, dedupe and append in one
 * Lua call; lib/baseline-process.ts `minimal`), shows how much of the gap is inherent.
 *
 * Options: --role web|all   web (default): the commune server under load only acknowledges (ROLE=web),
 *                           and a ROLE=worker process answers afterwards (a second one drains no
 *                           faster on two cores); all: ROLE=all, its workers answering while it is
 *                           under load (the default deployment, one process)
 *          --no-reference   skip the reference server
 */
import { startChild, type Child } from './lib/children';
import { measureCpu } from './lib/cpu';
import { closedLoop, errorsOf, latenciesMs, openLoop, percentile, type ClosedLoopResult, type Shot, type Target } from './lib/load';
import { BENCH_SECRETS, eventFactory, type EventFactory } from './lib/messages';
import { communeEnv, log, machineLoad, runIds, sleep, webhookTarget, withCleanup } from './lib/run';
import { describeSlowlog, watchSlowlog } from './lib/redis-watch';
import { fmt, printTable, type Row } from './lib/table';

const args = process.argv.slice(2);
const ROLE = (args.includes('--role') ? args[args.indexOf('--role') + 1] : 'web') as 'web' | 'all';
if (ROLE !== 'web' && ROLE !== 'all') throw new Error('--role must be web or all');
const WITH_REFERENCE = !args.includes('--no-reference');

const FIXED_RATE = 1000;
/** the fixed-rate phase, in turns of this many ms per server */
const FIXED_TURNS = [3_000, 3_000];
const PEAK = { concurrencies: [8, 16, 32, 64], durationMs: 1_500, warmupMs: 500 };
const DRAIN_TIMEOUT_MS = 180_000;

interface Server {
  name: string;
  target: Target;
  pid: number | undefined;
  events: EventFactory;
  /** CPU seconds the server process used during the fixed-rate phase (null: /proc unreadable) */
  fixedCpu: number | null;
  levels: ClosedLoopResult[];
  fixed: Shot[];
  fixedLagP99Ms: number;
  /** p99 of each fixed-rate turn, ms: one bad turn among good ones points at a stall from outside */
  turnP99s: number[];
  /** every request sent to this server, warm-ups included */
  all: Shot[];
}

/** One PSID per message: "answered" then means that PSID got a Send API call. */
const psidOf = (i: number) => String(7_100_000_000_000_000 + i);

function server(name: string, child: Child, events: EventFactory): Server {
  return { name, target: webhookTarget(child), pid: child.proc.pid, events, fixedCpu: 0, levels: [], fixed: [], fixedLagP99Ms: 0, turnP99s: [], all: [] };
}

/** server CPU ms per request in the fixed-rate phase */
function cpuPerRequest(s: Server): number {
  return s.fixedCpu === null ? NaN : (1000 * s.fixedCpu) / s.fixed.length;
}

function peakOf(s: Server): ClosedLoopResult {
  return s.levels.reduce((a, b) => (b.rps > a.rps ? b : a));
}

/** Measures `servers` in turns: each phase and level goes to each server in turn. */
async function measureInTurns(servers: Server[]): Promise<void> {
  for (const s of servers) {
    log(`${s.name}: warm-up`);
    s.all.push(...(await openLoop({ target: s.target, rate: 500, durationMs: 1_000, events: s.events.take(500) })).shots);
  }
  log('peak search (closed loops, requests/s at each concurrency)');
  for (const concurrency of PEAK.concurrencies) {
    const line: string[] = [];
    for (const s of servers) {
      const r = await closedLoop({ target: s.target, concurrency, durationMs: PEAK.durationMs, warmupMs: PEAK.warmupMs, events: () => s.events.next() });
      s.levels.push(r);
      s.all.push(...r.all);
      const lat = latenciesMs(r.shots);
      line.push(`${s.name} ${Math.round(r.rps)}/s p50 ${fmt.ms(percentile(lat, 50))} p99 ${fmt.ms(percentile(lat, 99))}${errorsOf(r.all).count ? ` errors ${errorsOf(r.all).count}` : ''}`);
      await sleep(200);
    }
    log(`  c=${String(concurrency).padStart(3)}: ${line.join(' | ')}`);
  }
  log(`${FIXED_RATE}/s in turns of ${FIXED_TURNS.map((t) => t / 1000).join(' + ')} s`);
  for (const ms of FIXED_TURNS) {
    for (const s of servers) {
      const events = s.events.take((FIXED_RATE * ms) / 1000);
      const { value: r, cpu } = await measureCpu([s.pid], () => openLoop({ target: s.target, rate: FIXED_RATE, durationMs: ms, events }));
      s.fixedCpu = s.fixedCpu === null || cpu === null ? null : s.fixedCpu + cpu;
      s.fixed.push(...r.shots);
      s.all.push(...r.shots);
      s.turnP99s.push(percentile(latenciesMs(r.shots), 99));
      s.fixedLagP99Ms = Math.max(s.fixedLagP99Ms, r.sendLagP99Ms);
      await sleep(200);
    }
  }
  for (const s of servers) {
    const lat = latenciesMs(s.fixed);
    log(`  ${s.name}: p50 ${fmt.ms(percentile(lat, 50))} p99 ${fmt.ms(percentile(lat, 99))} (turns ${s.turnP99s.map(fmt.ms).join(', ')}) errors ${errorsOf(s.fixed).count}, CPU ${fmt.ms(cpuPerRequest(s))} a request, generator lag p99 ${fmt.ms(s.fixedLagP99Ms)}`);
  }
}

/** Waits until the fake Send API has a call for every acknowledged PSID, or nothing moves for a while. */
async function waitAnswered(fake: Child, acked: Set<string>): Promise<{ answered: number; seconds: number }> {
  const start = Date.now();
  let last = -1;
  let lastMove = Date.now();
  let lastLog = 0;
  for (;;) {
    const stats = await fake.request<{ recipients: number }>('stats');
    if (stats.recipients !== last) {
      last = stats.recipients;
      lastMove = Date.now();
    }
    if (Date.now() - lastLog > 5_000) {
      lastLog = Date.now();
      log(`  answered ${stats.recipients}/${acked.size} after ${((Date.now() - start) / 1000).toFixed(0)} s`);
    }
    if (stats.recipients >= acked.size || Date.now() - start > DRAIN_TIMEOUT_MS || Date.now() - lastMove > 15_000) break;
    await sleep(250);
  }
  const seconds = (Date.now() - start) / 1000;
  const got = new Set(await fake.request<string[]>('recipients'));
  let answered = 0;
  for (const p of acked) if (got.has(p)) answered++;
  return { answered, seconds };
}

async function main(): Promise<void> {
  const { tag, prefix } = runIds();
  const children: Child[] = [];
  const track = (c: Child) => (children.push(c), c);

  await withCleanup(prefix, () => children, async () => {
    const loadAtStart = machineLoad();
    const slowlog = await watchSlowlog(prefix);
    log(`run ${tag}: Redis prefix ${prefix}, ${loadAtStart}, commune role ${ROLE}`);
    const fake = track(await startChild('fake Send API', 'lib/fake-send-api.ts', {}));
    const sendApiPort = fake.ready.port!;
    const [bareChild, communeChild, refChild] = await Promise.all([
      startChild('bare express', 'lib/baseline-process.ts', { BASELINE: 'bare' }).then(track),
      startChild('commune server', 'lib/app-process.ts', communeEnv({ prefix, sendApiPort, role: ROLE })).then(track),
      WITH_REFERENCE ? startChild('reference', 'lib/baseline-process.ts', { BASELINE: 'minimal', QUEUE_PREFIX: `${prefix}:ref`, ...BENCH_SECRETS }).then(track) : null,
    ]);
    const bare = server('bare', bareChild, eventFactory(`${tag}b`, psidOf));
    const commune = server('commune', communeChild, eventFactory(`${tag}c`, psidOf));
    const ref = refChild ? server('reference', refChild, eventFactory(`${tag}r`, psidOf)) : null;
    const servers = ref ? [bare, ref, commune] : [bare, commune];
    // In turns when the commune server idles between its turns (ROLE=web); with its workers in the
    // process (ROLE=all) it works through its backlog during the others' turns, so one after the other.
    if (ROLE === 'web') await measureInTurns(servers);
    else for (const s of servers) await measureInTurns([s]);
    await bareChild.stop();
    if (refChild) await refChild.stop();

    const acked = new Set(commune.all.filter((s) => s.status === 200).map((s) => s.event.psid));
    log(`commune server: waiting for a reply to each of the ${acked.size} acknowledged events`);
    if (ROLE === 'web') track(await startChild('commune worker', 'lib/app-process.ts', communeEnv({ prefix, sendApiPort, role: 'worker' })));
    const drain = await waitAnswered(fake, acked);

    const cPeak = peakOf(commune);
    const bPeak = peakOf(bare);
    const at = (shots: Shot[], q: number) => percentile(latenciesMs(shots), q);
    const p99Limit = Math.max(25, 1.5 * at(bare.fixed, 99));
    const cErr = errorsOf(commune.all);
    const bErr = errorsOf(bare.all);
    const lat = (metric: string, c: Shot[], b: Shot[], q: number, target = '', pass: boolean | null = null): Row => ({
      metric,
      server: fmt.ms(at(c, q)),
      baseline: fmt.ms(at(b, q)),
      ratio: fmt.ratio(at(c, q), at(b, q)),
      target,
      pass,
    });
    const rows: Row[] = [
      { metric: 'peak requests/s', server: fmt.rps(cPeak.rps), baseline: fmt.rps(bPeak.rps), ratio: fmt.pct(cPeak.rps, bPeak.rps), target: '>= 55% of bare', pass: cPeak.rps >= 0.55 * bPeak.rps },
      { metric: '  at concurrency', server: String(cPeak.concurrency), baseline: String(bPeak.concurrency), ratio: '', target: '', pass: null },
      lat('p50 ack at peak', cPeak.shots, bPeak.shots, 50),
      lat('p99 ack at peak', cPeak.shots, bPeak.shots, 99),
      lat(`p50 ack at ${FIXED_RATE}/s`, commune.fixed, bare.fixed, 50),
      lat(`p99 ack at ${FIXED_RATE}/s`, commune.fixed, bare.fixed, 99, `<= ${fmt.ms(p99Limit)}`, at(commune.fixed, 99) <= p99Limit),
      { metric: `server CPU a request at ${FIXED_RATE}/s`, server: fmt.ms(cpuPerRequest(commune)), baseline: fmt.ms(cpuPerRequest(bare)), ratio: fmt.ratio(cpuPerRequest(commune), cpuPerRequest(bare)), target: '', pass: null },
      { metric: 'requests sent', server: String(commune.all.length), baseline: String(bare.all.length), ratio: '', target: '', pass: null },
      { metric: 'errors', server: String(cErr.count), baseline: String(bErr.count), ratio: '', target: '0', pass: cErr.count === 0 },
      { metric: 'answered / acknowledged', server: `${drain.answered}/${acked.size}`, baseline: 'n/a', ratio: '', target: 'all', pass: drain.answered === acked.size && acked.size > 0 },
      { metric: '  all answered after', server: `${drain.seconds.toFixed(1)} s`, baseline: '', ratio: '', target: '', pass: null },
    ];
    printTable(`webhook: signed Messenger webhooks, commune role ${ROLE} (${new Date().toISOString()})`, 'commune server', 'bare express', rows);
    if (cErr.count > 0) console.log(`  commune errors: ${JSON.stringify(cErr.kinds)}`);
    if (bErr.count > 0) console.log(`  bare errors: ${JSON.stringify(bErr.kinds)}`);
    if (ref) {
      const rPeak = peakOf(ref);
      console.log(
        `reference (verify + dedupe + append, one EVALSHA): peak ${fmt.rps(rPeak.rps)} = ${fmt.pct(rPeak.rps, bPeak.rps)} of bare; ` +
          `commune = ${fmt.pct(cPeak.rps, rPeak.rps)} of it; p50/p99 at ${FIXED_RATE}/s ${fmt.ms(at(ref.fixed, 50))} / ${fmt.ms(at(ref.fixed, 99))}; ` +
          `CPU ${fmt.ms(cpuPerRequest(ref))} a request; errors ${errorsOf(ref.all).count}`,
      );
    }
    console.log(`machine: ${loadAtStart} at the start, ${machineLoad()} at the end`);
    console.log(describeSlowlog(await slowlog.report()));
    const lag = Math.max(commune.fixedLagP99Ms, bare.fixedLagP99Ms);
    if (lag > 5) console.log(`note: the generator itself sent late (p99 ${fmt.ms(lag)}): the machine was short of CPU`);
    return rows.every((r) => r.pass !== false);
  });
}

void main();
