/**
 * `npm run bench:e2e`: a webhook in, its reply out, through the whole commune server (ROLE=all:
 * web and workers in one process, the default deployment; real Redis, memory store) to a fake Send
 * API in a process of its own, beside a relay baseline (lib/baseline-process.ts `relay`: express
 * answers 200, then posts the reply straight to the Send API: no queue, no engine, no store)
 * measured the same way in the same run.
 *
 * The flow is bench/flows/echo.yaml: each message is answered once with its own words, so the fake
 * can tell which message a reply answers ("#i" in the text). Messages come from a pool of PSIDs,
 * several messages per conversation, as in real traffic.
 *
 * Reply latency = when the fake received the Send API call for message i − when the bench sent the
 * webhook for message i, both read with process.hrtime.bigint() (CLOCK_MONOTONIC, one clock for
 * every process on the machine).
 *
 * Phases, on one server at a time while the other idles: a warm-up, 200 messages/s (the latency
 * targets), 500 messages/s (sustained), then higher rates while the commune server keeps up. A rate
 * is sustained when every message is answered, replies arrive at the offered rate (the reply rate
 * over the sending window, its first second left out, is within 2 % of it) and no backlog builds up
 * (p99 reply latency under 1 s).
 *
 * Options: --workers N   the commune server as ROLE=web plus N ROLE=worker processes (scaling out
 *                        by process, ARCHITECTURE.md invariant 3) instead of one ROLE=all process
 */
import { join } from 'node:path';
import { BENCH_DIR, startChild, type Child } from './lib/children';
import { measureCpu } from './lib/cpu';
import { errorsOf, openLoop, percentile, type Shot, type Target } from './lib/load';
import { eventFactory } from './lib/messages';
import { communeEnv, log, machineLoad, runIds, sleep, webhookTarget, withCleanup } from './lib/run';
import { describeSlowlog, watchSlowlog } from './lib/redis-watch';
import { fmt, printTable, type Row } from './lib/table';

const LATENCY_RATE = 200;
const SUSTAINED_RATE = 500;
/** rates tried above SUSTAINED_RATE while the commune server keeps up */
const HIGHER_RATES = [650, 800, 1000];
const PHASE_MS = 12_000;
const HIGHER_PHASE_MS = 8_000;
const WARMUP = { rate: 250, ms: 5_000 };
const PSID_POOL = 2_000;
const BACKLOG_P99_MS = 1_000;
const DRAIN_TIMEOUT_MS = 30_000;

const args = process.argv.slice(2);
const WORKERS = args.includes('--workers') ? Number(args[args.indexOf('--workers') + 1]) : 0;
if (!Number.isInteger(WORKERS) || WORKERS < 0 || WORKERS > 8) throw new Error('--workers takes a whole number from 0 to 8');

interface Phase {
  rate: number;
  sent: number;
  errors: ReturnType<typeof errorsOf>;
  answered: number;
  /** reply latencies of answered messages, ms, ascending */
  latencies: number[];
  /** replies received per second over the sending window, its first second left out */
  replyRate: number;
  /** server CPU ms per message, from sending the first webhook to the last reply */
  cpuPerMessageMs: number;
  sendLagP99Ms: number;
  sustained: boolean;
}

interface Subject {
  name: string;
  child: Child;
  /** every process of this server: its CPU time is what a message costs */
  pids: (number | undefined)[];
  target: Target;
  /** PSIDs of this server's conversations start here */
  psidBase: number;
  runs: number;
}

async function runPhase(fake: Child, s: Subject, tag: string, rate: number, durationMs: number): Promise<Phase> {
  await fake.request('reset');
  const run = s.runs++;
  const events = eventFactory(`${tag}${s.name[0]}${run}`, (i) => String(s.psidBase + (i % PSID_POOL))).take(Math.round((rate * durationMs) / 1000));
  const { value, cpu } = await measureCpu(s.pids, async () => {
    const result = await openLoop({ target: s.target, rate, durationMs, events });
    // until every acknowledged message has its reply, or nothing arrives for a while
    const acked = result.shots.filter((x) => x.status === 200).length;
    const start = Date.now();
    let last = -1;
    let lastMove = Date.now();
    for (;;) {
      const { indexes } = await fake.request<{ indexes: number }>('stats');
      if (indexes !== last) {
        last = indexes;
        lastMove = Date.now();
      }
      if (indexes >= acked || Date.now() - start > DRAIN_TIMEOUT_MS || Date.now() - lastMove > 5_000) break;
      await sleep(50);
    }
    return result;
  });
  const replies = new Map((await fake.request<[number, string][]>('indexes')).map(([i, ns]) => [i, BigInt(ns)]));
  return summarize(rate, value.shots, replies, value.sendLagP99Ms, cpu === null ? NaN : (1000 * cpu) / value.shots.length);
}

function summarize(rate: number, shots: Shot[], replies: Map<number, bigint>, sendLagP99Ms: number, cpuPerMessageMs: number): Phase {
  const latencies: number[] = [];
  let answered = 0;
  for (const s of shots) {
    const at = s.status === 200 ? replies.get(s.event.index) : undefined;
    if (at === undefined) continue;
    answered++;
    latencies.push(Number(at - s.sentNs) / 1e6);
  }
  latencies.sort((a, b) => a - b);
  const from = shots[0].sentNs + 1_000_000_000n;
  const to = shots[shots.length - 1].sentNs;
  let inWindow = 0;
  for (const at of replies.values()) if (at >= from && at <= to) inWindow++;
  const replyRate = inWindow / (Number(to - from) / 1e9);
  const errors = errorsOf(shots);
  const sustained = errors.count === 0 && answered === shots.length && replyRate >= 0.98 * rate && percentile(latencies, 99) <= BACKLOG_P99_MS;
  return { rate, sent: shots.length, errors, answered, latencies, replyRate, cpuPerMessageMs, sendLagP99Ms, sustained };
}

function describe(name: string, p: Phase): string {
  return (
    `  ${name} @ ${p.rate}/s: answered ${p.answered}/${p.sent}, replies ${fmt.rps(p.replyRate)}, ` +
    `p50 ${fmt.ms(percentile(p.latencies, 50))} p99 ${fmt.ms(percentile(p.latencies, 99))} max ${fmt.ms(p.latencies[p.latencies.length - 1] ?? NaN)}, ` +
    `CPU ${fmt.ms(p.cpuPerMessageMs)} a message${p.errors.count ? `, errors ${JSON.stringify(p.errors.kinds)}` : ''}, generator lag p99 ${fmt.ms(p.sendLagP99Ms)}` +
    `${p.sustained ? '' : ' (not sustained)'}`
  );
}

async function main(): Promise<void> {
  const { tag, prefix } = runIds();
  const children: Child[] = [];
  const track = (c: Child) => (children.push(c), c);

  await withCleanup(prefix, () => children, async () => {
    const loadAtStart = machineLoad();
    const slowlog = await watchSlowlog(prefix);
    log(`run ${tag}: Redis prefix ${prefix}, ${loadAtStart}`);
    const fake = track(await startChild('fake Send API', 'lib/fake-send-api.ts', {}));
    const sendApiPort = fake.ready.port!;
    const [relayChild, communeChild] = await Promise.all([
      startChild('relay', 'lib/baseline-process.ts', { BASELINE: 'relay', MESSENGER_API_BASE: `http://127.0.0.1:${sendApiPort}/v25.0` }).then(track),
      startChild('commune server', 'lib/app-process.ts', communeEnv({ prefix, sendApiPort, role: WORKERS > 0 ? 'web' : 'all', flowsDir: join(BENCH_DIR, 'flows') })).then(track),
    ]);
    const workers = await Promise.all(
      Array.from({ length: WORKERS }, (_, i) =>
        startChild(`commune worker ${i + 1}`, 'lib/app-process.ts', communeEnv({ prefix, sendApiPort, role: 'worker', flowsDir: join(BENCH_DIR, 'flows') })).then(track),
      ),
    );
    const relay: Subject = { name: 'relay', child: relayChild, pids: [relayChild.proc.pid], target: webhookTarget(relayChild), psidBase: 7_200_000_000_000_000, runs: 0 };
    const commune: Subject = { name: 'commune', child: communeChild, pids: [communeChild, ...workers].map((c) => c.proc.pid), target: webhookTarget(communeChild), psidBase: 7_300_000_000_000_000, runs: 0 };

    for (const s of [relay, commune]) {
      log(`${s.name}: warm-up, ${WARMUP.rate}/s for ${WARMUP.ms / 1000} s`);
      log(describe(s.name, await runPhase(fake, s, tag, WARMUP.rate, WARMUP.ms)));
    }
    const measured: Record<string, Phase[]> = { relay: [], commune: [] };
    for (const rate of [LATENCY_RATE, SUSTAINED_RATE]) {
      for (const s of [relay, commune]) {
        const p = await runPhase(fake, s, tag, rate, PHASE_MS);
        measured[s.name].push(p);
        log(describe(s.name, p));
      }
    }
    const [cLat, cSus] = measured.commune;
    const [rLat, rSus] = measured.relay;
    // the most the commune server sustains: higher rates while it keeps up
    let best = cSus.sustained ? SUSTAINED_RATE : 0;
    if (best > 0) {
      for (const rate of HIGHER_RATES) {
        const p = await runPhase(fake, commune, tag, rate, HIGHER_PHASE_MS);
        log(describe('commune', p));
        if (!p.sustained) break;
        best = rate;
      }
    }

    const q = (p: Phase, n: number) => percentile(p.latencies, n);
    const answered = (p: Phase) => `${p.answered}/${p.sent}`;
    const latRow = (metric: string, c: Phase, r: Phase, n: number, limit?: number): Row => ({
      metric,
      server: fmt.ms(q(c, n)),
      baseline: fmt.ms(q(r, n)),
      ratio: fmt.ratio(q(c, n), q(r, n)),
      target: limit === undefined ? '' : `<= ${limit} ms`,
      pass: limit === undefined ? null : q(c, n) <= limit,
    });
    const cpuRow = (metric: string, c: Phase, r: Phase): Row => ({
      metric,
      server: fmt.ms(c.cpuPerMessageMs),
      baseline: fmt.ms(r.cpuPerMessageMs),
      ratio: fmt.ratio(c.cpuPerMessageMs, r.cpuPerMessageMs),
      target: '',
      pass: null,
    });
    const errors = cLat.errors.count + cSus.errors.count;
    const rows: Row[] = [
      latRow(`p50 reply at ${LATENCY_RATE}/s`, cLat, rLat, 50, 30),
      latRow(`p99 reply at ${LATENCY_RATE}/s`, cLat, rLat, 99, 150),
      { metric: `answered at ${LATENCY_RATE}/s`, server: answered(cLat), baseline: answered(rLat), ratio: '', target: 'all', pass: cLat.answered === cLat.sent },
      cpuRow(`server CPU a message, ${LATENCY_RATE}/s`, cLat, rLat),
      { metric: `reply rate at ${SUSTAINED_RATE}/s`, server: fmt.rps(cSus.replyRate), baseline: fmt.rps(rSus.replyRate), ratio: fmt.pct(cSus.replyRate, rSus.replyRate), target: `>= ${SUSTAINED_RATE * 0.98}/s`, pass: cSus.replyRate >= 0.98 * SUSTAINED_RATE },
      { metric: `answered at ${SUSTAINED_RATE}/s`, server: answered(cSus), baseline: answered(rSus), ratio: '', target: 'all', pass: cSus.answered === cSus.sent },
      latRow(`p50 reply at ${SUSTAINED_RATE}/s`, cSus, rSus, 50),
      latRow(`p99 reply at ${SUSTAINED_RATE}/s`, cSus, rSus, 99, BACKLOG_P99_MS),
      cpuRow(`server CPU a message, ${SUSTAINED_RATE}/s`, cSus, rSus),
      { metric: 'webhook errors', server: String(errors), baseline: String(rLat.errors.count + rSus.errors.count), ratio: '', target: '0', pass: errors === 0 },
      { metric: 'most sustained (tried)', server: best > 0 ? `${best}/s` : `< ${SUSTAINED_RATE}/s`, baseline: '', ratio: '', target: `>= ${SUSTAINED_RATE}/s`, pass: best >= SUSTAINED_RATE },
    ];
    printTable(`e2e: webhook in -> reply at the fake Send API, echo flow, ${PSID_POOL} conversations, commune ${WORKERS > 0 ? `ROLE=web + ${WORKERS} ROLE=worker` : 'ROLE=all'} (${new Date().toISOString()})`, 'commune server', 'relay', rows);
    console.log(`machine: ${loadAtStart} at the start, ${machineLoad()} at the end`);
    console.log(describeSlowlog(await slowlog.report()));
    const lag = Math.max(...[...measured.relay, ...measured.commune].map((p) => p.sendLagP99Ms));
    if (lag > 5) console.log(`note: the generator itself sent late (p99 ${fmt.ms(lag)}): the machine was short of CPU`);
    return rows.every((r) => r.pass !== false);
  });
}

void main();
