/**
 * `npm run bench:e2e`: a webhook in, its replies out, through the whole commune server (ROLE=all:
 * web and workers in one process, the default deployment; real Redis, memory store) to a fake Send
 * API in a process of its own, beside a relay baseline (lib/baseline-process.ts `relay`: express
 * answers 200, then posts one reply straight to the Send API: no queue, no engine, no store)
 * measured the same way in the same run.
 *
 * --flows bundled (the default): the shipped flows (flows/, the desk's capacity raised so bookings
 * never run out: lib/bundled-flows.ts) and the mix of lib/citizens.ts: first questions that get the
 * greeting, the procedure explanation and the booking offer, follow-ups, petitions walked to the
 * end, bookings. Each citizen writes again every GAP_SECONDS; one who is done is replaced by a new
 * one. How many Send API calls each message gets is learned first (calibration, one citizen per
 * script at rest), so every call the fake receives is matched to its message by counting.
 * Reply latency is given per message (first reply) and per turn (last reply of the message).
 *
 * --flows echo: bench/flows/echo.yaml, each message answered once with its own words ("#i" in the
 * text): the floor of the message path.
 *
 * Reply latency = when the fake received the Send API call − when the bench sent the webhook, both
 * read with process.hrtime.bigint() (CLOCK_MONOTONIC, one clock for every process on the machine).
 *
 * Phases, on one server at a time while the other idles: a warm-up, then the offered rates (bundled:
 * 50, 100, 200 and 500 messages/s, each printed with first-reply and turn p50/p90/p99 beside the
 * relay; echo: 200 and 500), where 200/s holds the latency targets and 500/s the sustained one,
 * then higher rates while the commune server keeps up. A rate
 * is sustained when every message is answered in full, replies arrive at the offered rate (the
 * messages completed per second over the sending window, its first second left out, within 2 % of
 * it) and no backlog builds up (p99 reply latency under 1 s).
 *
 * Options: --flows bundled|echo   (default bundled)
 *          --rates 50,100,200   the offered rates (must include 200 and 500 for the targets' rows;
 *                        default 50,100,200,500 bundled, 200,500 echo)
 *          --seconds N   length of each measured phase (default 8 bundled, 12 echo)
 *          --no-higher   skip the rates above 500/s
 *          --workers N   the commune server as ROLE=web plus N ROLE=worker processes (scaling out
 *                        by process, ARCHITECTURE.md invariant 3) instead of one ROLE=all process.
 *                        The bundled flows keep conversation state, so several processes need the
 *                        shared store: MONGODB_URI must be set (the memory store lives in one process)
 *          --show        print what the server answered to each calibration message
 *          --calibrate-only   stop after the calibration (bundled): the Send API calls and the BullMQ
 *                        jobs each script's messages cost, a count that does not depend on the machine's load
 */
import { join } from 'node:path';
import { BENCH_DIR, startChild, type Child } from './lib/children';
import { bundledFlowsCopy } from './lib/bundled-flows';
import { SCRIPTS, createPopulation, oneCallEach, type CitizenMessage, type Population, type SendCounts } from './lib/citizens';
import { measureCpu } from './lib/cpu';
import { errorsOf, keepAliveAgent, openLoop, percentile, postEvent, type Shot, type Target } from './lib/load';
import { BENCH_SECRETS, eventFactory } from './lib/messages';
import { messengerTextBody } from '../test/helpers/messenger-bodies';
import { communeEnv, log, machineLoad, runIds, sleep, webhookTarget, withCleanup } from './lib/run';
import { describeSlowlog, watchSlowlog } from './lib/redis-watch';
import { fmt, printTable, type Row } from './lib/table';

const LATENCY_RATE = 200;
const SUSTAINED_RATE = 500;
/** rates tried above SUSTAINED_RATE while the commune server keeps up */
const HIGHER_RATES = [650, 800, 1000];
const BUNDLED_RATES = [50, 100, 200, LATENCY_RATE, SUSTAINED_RATE].filter((r, i, a) => a.indexOf(r) === i);
const HIGHER_PHASE_MS = 8_000;
/** echo: conversations the messages are spread over */
const PSID_POOL = 2_000;
/** bundled: each citizen writes again this long after its last message (so rate × GAP citizens talk at once) */
const GAP_SECONDS = 1.5;
const BACKLOG_P99_MS = 1_000;
const DRAIN_TIMEOUT_MS = 30_000;

const args = process.argv.slice(2);
const WORKERS = args.includes('--workers') ? Number(args[args.indexOf('--workers') + 1]) : 0;
if (!Number.isInteger(WORKERS) || WORKERS < 0 || WORKERS > 8) throw new Error('--workers takes a whole number from 0 to 8');
const FLOWS = args.includes('--flows') ? args[args.indexOf('--flows') + 1] : 'bundled';
if (FLOWS !== 'bundled' && FLOWS !== 'echo') throw new Error('--flows takes bundled or echo');
const SHOW = args.includes('--show');
const CALIBRATE_ONLY = args.includes('--calibrate-only');
const RATES = args.includes('--rates')
  ? args[args.indexOf('--rates') + 1].split(',').map(Number)
  : FLOWS === 'bundled'
    ? BUNDLED_RATES
    : [LATENCY_RATE, SUSTAINED_RATE];
if (!RATES.every((r) => Number.isInteger(r) && r > 0)) throw new Error('--rates takes whole numbers, comma-separated');
const PHASE_MS = 1000 * (args.includes('--seconds') ? Number(args[args.indexOf('--seconds') + 1]) : FLOWS === 'bundled' ? 8 : 12);
const HIGHER = !args.includes('--no-higher');
/** bundled: a gentle warm-up, so no backlog is carried into the first measured rate */
const WARMUP = FLOWS === 'bundled' ? { rate: 50, ms: 5_000 } : { rate: 250, ms: 5_000 };
const MONGODB_URI = process.env.MONGODB_URI || undefined;
if (FLOWS === 'bundled' && WORKERS > 0 && !MONGODB_URI) {
  console.error(
    'bench:e2e --flows bundled --workers N needs MONGODB_URI: the flows keep each conversation\'s state, and the memory store lives in one process ' +
      '(with N processes each would hold its own copy, so a conversation would restart whenever another process took its next message). ' +
      'Run --flows echo --workers N to measure the scaling of the message path without a shared store.',
  );
  process.exit(2);
}

interface Phase {
  rate: number;
  sent: number;
  errors: ReturnType<typeof errorsOf>;
  /** messages whose every reply arrived */
  answered: number;
  /** first reply of each answered message, ms, ascending */
  latencies: number[];
  /** last reply of each answered message (the whole turn), ms, ascending */
  turnLatencies: number[];
  /** messages answered in full per second over the sending window, its first second left out */
  replyRate: number;
  /** Send API calls per second over the same window */
  sendRate: number;
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
  /** bundled: its citizens */
  population?: Population;
}

function isSustained(p: Omit<Phase, 'sustained'>): boolean {
  return p.errors.count === 0 && p.answered === p.sent && p.replyRate >= 0.98 * p.rate && percentile(p.latencies, 99) <= BACKLOG_P99_MS;
}

/** Waits until `done()` says every reply is in, or nothing new arrived for 5 s, or DRAIN_TIMEOUT_MS passed. */
async function waitForReplies(progress: () => Promise<{ done: boolean; count: number }>): Promise<void> {
  const start = Date.now();
  let last = -1;
  let lastMove = Date.now();
  for (;;) {
    const { done, count } = await progress();
    if (count !== last) {
      last = count;
      lastMove = Date.now();
    }
    if (done || Date.now() - start > DRAIN_TIMEOUT_MS || Date.now() - lastMove > 5_000) return;
    await sleep(50);
  }
}

async function runEchoPhase(fake: Child, s: Subject, tag: string, rate: number, durationMs: number): Promise<Phase> {
  await fake.request('reset');
  const run = s.runs++;
  const events = eventFactory(`${tag}${s.name[0]}${run}`, (i) => String(s.psidBase + (i % PSID_POOL))).take(Math.round((rate * durationMs) / 1000));
  const { value, cpu } = await measureCpu(s.pids, async () => {
    const result = await openLoop({ target: s.target, rate, durationMs, events });
    const acked = result.shots.filter((x) => x.status === 200).length;
    await waitForReplies(async () => {
      const { indexes } = await fake.request<{ indexes: number }>('stats');
      return { done: indexes >= acked, count: indexes };
    });
    return result;
  });
  const replies = new Map((await fake.request<[number, string][]>('indexes')).map(([i, ns]) => [i, BigInt(ns)]));
  const { shots } = value;
  const latencies: number[] = [];
  for (const x of shots) {
    const at = x.status === 200 ? replies.get(x.event.index) : undefined;
    if (at !== undefined) latencies.push(Number(at - x.sentNs) / 1e6);
  }
  latencies.sort((a, b) => a - b);
  const { from, to, seconds } = windowOf(shots);
  let inWindow = 0;
  for (const at of replies.values()) if (at >= from && at <= to) inWindow++;
  const p = {
    rate,
    sent: shots.length,
    errors: errorsOf(shots),
    answered: latencies.length,
    latencies,
    turnLatencies: latencies,
    replyRate: inWindow / seconds,
    sendRate: inWindow / seconds,
    cpuPerMessageMs: cpu === null ? NaN : (1000 * cpu) / shots.length,
    sendLagP99Ms: value.sendLagP99Ms,
  };
  return { ...p, sustained: isSustained(p) };
}

/** The sending window, its first second left out. */
function windowOf(shots: Shot[]): { from: bigint; to: bigint; seconds: number } {
  const from = shots[0].sentNs + 1_000_000_000n;
  const to = shots[shots.length - 1].sentNs;
  return { from, to, seconds: Number(to - from) / 1e9 };
}

async function runBundledPhase(fake: Child, s: Subject, rate: number, durationMs: number): Promise<Phase> {
  const msgs: CitizenMessage[] = s.population!.phase(rate, Math.round((rate * durationMs) / 1000));
  const owed = new Map<string, number>();
  for (const m of msgs) owed.set(m.event.psid, Math.max(owed.get(m.event.psid) ?? 0, m.toCall));
  const psids = [...owed.keys()];
  const { value, cpu } = await measureCpu(s.pids, async () => {
    const result = await openLoop({ target: s.target, rate, durationMs, events: msgs.map((m) => m.event) });
    const failed = new Set(result.shots.filter((x) => x.status !== 200).map((x) => x.event.psid));
    await waitForReplies(async () => {
      const counts = await fake.request<number[]>('callCounts', { psids });
      let count = 0;
      let done = true;
      counts.forEach((n, i) => {
        count += n;
        if (n < owed.get(psids[i])! && !failed.has(psids[i])) done = false;
      });
      return { done, count };
    });
    return result;
  });
  const raw = await fake.request<string[][]>('calls', { psids });
  const calls = new Map(psids.map((p, i) => [p, raw[i].map(BigInt)]));
  const { shots } = value;
  const { from, to, seconds } = windowOf(shots);
  const latencies: number[] = [];
  const turnLatencies: number[] = [];
  const broken = new Set<string>();
  let completedInWindow = 0;
  for (const x of shots) {
    const m = msgs[x.event.index];
    // A message not acknowledged never gets its replies: its citizen's later calls cannot be matched.
    if (x.status !== 200) broken.add(m.event.psid);
    if (broken.has(m.event.psid)) continue;
    const list = calls.get(m.event.psid)!;
    if (list.length < m.toCall) continue;
    const last = list[m.toCall - 1];
    latencies.push(Number(list[m.fromCall] - x.sentNs) / 1e6);
    turnLatencies.push(Number(last - x.sentNs) / 1e6);
    if (last >= from && last <= to) completedInWindow++;
  }
  for (const p of broken) s.population!.retire(p);
  let sendsInWindow = 0;
  for (const list of calls.values()) for (const at of list) if (at >= from && at <= to) sendsInWindow++;
  latencies.sort((a, b) => a - b);
  turnLatencies.sort((a, b) => a - b);
  const p = {
    rate,
    sent: shots.length,
    errors: errorsOf(shots),
    answered: latencies.length,
    latencies,
    turnLatencies,
    replyRate: completedInWindow / seconds,
    sendRate: sendsInWindow / seconds,
    cpuPerMessageMs: cpu === null ? NaN : (1000 * cpu) / shots.length,
    sendLagP99Ms: value.sendLagP99Ms,
  };
  return { ...p, sustained: isSustained(p) };
}

/**
 * One citizen per script walks it at rest, message by message: the calls each message gets, once
 * the replies have stopped coming (an action result's replies come a little after the first ones).
 * Every message must be answered: a script that falls silent is a broken flow, not a figure.
 */
async function calibrate(fake: Child, target: Target, tag: string, psidBase: number): Promise<SendCounts> {
  const agent = keepAliveAgent(8);
  await fake.request('keepTexts', { on: SHOW });
  const counts: SendCounts = {};
  await Promise.all(
    SCRIPTS.map(async (script, k) => {
      const psid = String(psidBase + k);
      counts[script.name] = [];
      let before = 0;
      for (const [i, text] of script.messages.entries()) {
        const { raw, signature } = messengerTextBody({ psid, mid: `m_${tag}_cal_${k}_${i}`, text }, BENCH_SECRETS.MESSENGER_APP_SECRET);
        const shot = await postEvent(agent, target, { index: i, psid, body: Buffer.from(raw), signature });
        if (shot.status !== 200) throw new Error(`calibration: ${script.name} message ${i + 1} got ${shot.error}`);
        const start = Date.now();
        let seen = before;
        let stableSince = Date.now();
        for (;;) {
          await sleep(50);
          const [n] = await fake.request<number[]>('callCounts', { psids: [psid] });
          if (n !== seen) {
            seen = n;
            stableSince = Date.now();
          }
          if (seen > before && Date.now() - stableSince >= 600) break;
          if (Date.now() - start > 10_000) break;
        }
        if (seen === before) throw new Error(`calibration: "${text}" (${script.name}, message ${i + 1}) got no reply`);
        counts[script.name].push(seen - before);
        before = seen;
      }
      if (SHOW) {
        const texts = await fake.request<string[]>('texts', { psid });
        let at = 0;
        console.log(`\n== ${script.name}`);
        script.messages.forEach((text, i) => {
          console.log(`> ${text}`);
          for (const t of texts.slice(at, at + counts[script.name][i])) console.log(`  < ${t.replace(/\n/g, ' / ').slice(0, 160)}`);
          at += counts[script.name][i];
        });
      }
    }),
  );
  agent.destroy();
  await fake.request('keepTexts', { on: false });
  return counts;
}

function describe(name: string, p: Phase): string {
  const turn = FLOWS === 'bundled' ? `, turn p50 ${fmt.ms(percentile(p.turnLatencies, 50))} p99 ${fmt.ms(percentile(p.turnLatencies, 99))}, sends ${fmt.rps(p.sendRate)}` : '';
  return (
    `  ${name} @ ${p.rate}/s: answered ${p.answered}/${p.sent}, replies ${fmt.rps(p.replyRate)}, ` +
    `p50 ${fmt.ms(percentile(p.latencies, 50))} p99 ${fmt.ms(percentile(p.latencies, 99))} max ${fmt.ms(p.latencies[p.latencies.length - 1] ?? NaN)}${turn}, ` +
    `CPU ${fmt.ms(p.cpuPerMessageMs)} a message${p.errors.count ? `, errors ${JSON.stringify(p.errors.kinds)}` : ''}, generator lag p99 ${fmt.ms(p.sendLagP99Ms)}` +
    `${p.sustained ? '' : ' (not sustained)'}`
  );
}

/** Every offered rate: first reply and turn p50/p90/p99, sends/s and CPU a message, the commune server beside the relay. */
function printLadder(commune: Phase[], relay: Phase[]): void {
  const q = (v: number[]) => [50, 90, 99].map((n) => percentile(v, n).toFixed(1)).join(' / ');
  const head = ['offered', 'answered', 'first reply p50/p90/p99 ms', 'turn p50/p90/p99 ms', 'sends/s', 'CPU ms a msg', 'relay first reply p50/p90/p99 ms', 'relay CPU ms a msg', 'CPU ratio'];
  const cells = commune.map((c) => {
    const r = relay.find((x) => x.rate === c.rate);
    return [
      `${c.rate}/s`,
      `${c.answered}/${c.sent}${c.sustained ? '' : ' (not sustained)'}`,
      q(c.latencies),
      q(c.turnLatencies),
      fmt.rps(c.sendRate),
      c.cpuPerMessageMs.toFixed(2),
      r ? q(r.latencies) : '',
      r ? r.cpuPerMessageMs.toFixed(2) : '',
      r ? fmt.ratio(c.cpuPerMessageMs, r.cpuPerMessageMs) : '',
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
  const line = (row: string[]) => `| ${row.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\nby offered rate (${PHASE_MS / 1000} s each; commune server beside the relay of the same run)`);
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of cells) console.log(line(row));
}

async function main(): Promise<void> {
  const { tag, prefix } = runIds();
  const children: Child[] = [];
  const track = (c: Child) => (children.push(c), c);
  const flowsCopy = FLOWS === 'bundled' ? bundledFlowsCopy(tag) : null;
  const flowsDir = flowsCopy?.dir ?? join(BENCH_DIR, 'flows');

  await withCleanup(prefix, () => children, async () => {
    try {
      return await measure(tag, prefix, flowsDir, track);
    } finally {
      flowsCopy?.remove();
    }
  });
}

async function measure(tag: string, prefix: string, flowsDir: string, track: (c: Child) => Child): Promise<boolean> {
  const loadAtStart = machineLoad();
  const slowlog = await watchSlowlog(prefix);
  log(`run ${tag}: Redis prefix ${prefix}, ${FLOWS} flows, ${loadAtStart}`);
  const fake = track(await startChild('fake Send API', 'lib/fake-send-api.ts', {}));
  const sendApiPort = fake.ready.port!;
  const env = (role: 'all' | 'web' | 'worker') => communeEnv({ prefix, sendApiPort, role, flowsDir, demoData: FLOWS === 'bundled', ...(WORKERS > 0 && MONGODB_URI ? { mongoUri: MONGODB_URI } : {}) });
  const [relayChild, communeChild] = await Promise.all([
    startChild('relay', 'lib/baseline-process.ts', { BASELINE: 'relay', MESSENGER_API_BASE: `http://127.0.0.1:${sendApiPort}/v25.0` }).then(track),
    startChild('commune server', 'lib/app-process.ts', env(WORKERS > 0 ? 'web' : 'all')).then(track),
  ]);
  const workers = await Promise.all(Array.from({ length: WORKERS }, (_, i) => startChild(`commune worker ${i + 1}`, 'lib/app-process.ts', env('worker')).then(track)));
  const relay: Subject = { name: 'relay', child: relayChild, pids: [relayChild.proc.pid], target: webhookTarget(relayChild), psidBase: 7_200_000_000_000_000, runs: 0 };
  const commune: Subject = { name: 'commune', child: communeChild, pids: [communeChild, ...workers].map((c) => c.proc.pid), target: webhookTarget(communeChild), psidBase: 7_300_000_000_000_000, runs: 0 };

  if (FLOWS === 'bundled') {
    const counts = await calibrate(fake, commune.target, tag, 7_400_000_000_000_000);
    const perScript = SCRIPTS.map((sc) => `${sc.name} ${counts[sc.name].join('+')}`).join('; ');
    const calls = SCRIPTS.reduce((a, sc) => a + sc.weight * counts[sc.name].reduce((x, y) => x + y, 0), 0);
    const messages = SCRIPTS.reduce((a, sc) => a + sc.weight * sc.messages.length, 0);
    log(`Send API calls a message (calibrated): ${perScript}; ${(calls / messages).toFixed(2)} a message over the mix`);
    // Jobs the calibration's messages (one citizen per script, at rest) cost, per queue.
    const depth = await communeChild.request<{ queue: string; state: string; count: number }[]>('depth');
    const sent = SCRIPTS.reduce((a, sc) => a + sc.messages.length, 0);
    const jobs = ['inbound', 'outbound', 'effects'].map((q) => {
      const n = depth.filter((d) => d.queue === q && d.state === 'completed').reduce((a, d) => a + d.count, 0);
      return `${q} ${n} (${(n / sent).toFixed(2)} a message)`;
    });
    console.log(`BullMQ jobs completed for the ${sent} calibration messages: ${jobs.join(', ')}`);
    if (CALIBRATE_ONLY) return true;
    relay.population = createPopulation({ psidBase: relay.psidBase, runTag: `${tag}r`, counts: oneCallEach(), gapSeconds: GAP_SECONDS });
    commune.population = createPopulation({ psidBase: commune.psidBase, runTag: `${tag}c`, counts, gapSeconds: GAP_SECONDS });
  }
  const runPhase = (s: Subject, rate: number, ms: number) => (FLOWS === 'bundled' ? runBundledPhase(fake, s, rate, ms) : runEchoPhase(fake, s, tag, rate, ms));

  for (const s of [relay, commune]) {
    log(`${s.name}: warm-up, ${WARMUP.rate}/s for ${WARMUP.ms / 1000} s`);
    log(describe(s.name, await runPhase(s, WARMUP.rate, WARMUP.ms)));
  }
  const measured: Record<string, Phase[]> = { relay: [], commune: [] };
  for (const rate of RATES) {
    for (const s of [relay, commune]) {
      const p = await runPhase(s, rate, PHASE_MS);
      measured[s.name].push(p);
      log(describe(s.name, p));
    }
  }
  printLadder(measured.commune, measured.relay);
  const at = (name: string, rate: number) => measured[name].find((p) => p.rate === rate);
  const [cLat, cSus, rLat, rSus] = [at('commune', LATENCY_RATE), at('commune', SUSTAINED_RATE), at('relay', LATENCY_RATE), at('relay', SUSTAINED_RATE)];
  if (!cLat || !cSus || !rLat || !rSus) {
    console.log(`(the targets' table needs ${LATENCY_RATE}/s and ${SUSTAINED_RATE}/s among --rates)`);
    return true;
  }
  // the most the commune server sustains: higher rates while it keeps up
  let best = cSus.sustained ? SUSTAINED_RATE : 0;
  if (best > 0 && HIGHER) {
    for (const rate of HIGHER_RATES) {
      const p = await runPhase(commune, rate, HIGHER_PHASE_MS);
      log(describe('commune', p));
      if (!p.sustained) break;
      best = rate;
    }
  }

  const answered = (p: Phase) => `${p.answered}/${p.sent}`;
  const latRow = (metric: string, c: Phase, r: Phase, n: number, limit?: number, of: 'latencies' | 'turnLatencies' = 'latencies'): Row => {
    const cv = percentile(c[of], n);
    const rv = percentile(r[of], n);
    return { metric, server: fmt.ms(cv), baseline: fmt.ms(rv), ratio: fmt.ratio(cv, rv), target: limit === undefined ? '' : `<= ${limit} ms`, pass: limit === undefined ? null : cv <= limit };
  };
  const cpuRow = (metric: string, c: Phase, r: Phase): Row => ({ metric, server: fmt.ms(c.cpuPerMessageMs), baseline: fmt.ms(r.cpuPerMessageMs), ratio: fmt.ratio(c.cpuPerMessageMs, r.cpuPerMessageMs), target: '', pass: null });
  const sendRow = (rate: number, c: Phase, r: Phase): Row => ({ metric: `Send API calls/s at ${rate}/s`, server: fmt.rps(c.sendRate), baseline: fmt.rps(r.sendRate), ratio: fmt.ratio(c.sendRate, r.sendRate), target: '', pass: null });
  const bundled = FLOWS === 'bundled';
  const errors = cLat.errors.count + cSus.errors.count;
  const rows: Row[] = [
    latRow(`p50 first reply at ${LATENCY_RATE}/s`, cLat, rLat, 50, 30),
    latRow(`p99 first reply at ${LATENCY_RATE}/s`, cLat, rLat, 99, 150),
    ...(bundled ? [latRow(`p50 turn (last reply) at ${LATENCY_RATE}/s`, cLat, rLat, 50, undefined, 'turnLatencies'), latRow(`p99 turn (last reply) at ${LATENCY_RATE}/s`, cLat, rLat, 99, undefined, 'turnLatencies'), sendRow(LATENCY_RATE, cLat, rLat)] : []),
    { metric: `answered at ${LATENCY_RATE}/s`, server: answered(cLat), baseline: answered(rLat), ratio: '', target: 'all', pass: cLat.answered === cLat.sent },
    cpuRow(`server CPU a message, ${LATENCY_RATE}/s`, cLat, rLat),
    { metric: `messages answered/s at ${SUSTAINED_RATE}/s`, server: fmt.rps(cSus.replyRate), baseline: fmt.rps(rSus.replyRate), ratio: fmt.pct(cSus.replyRate, rSus.replyRate), target: `>= ${SUSTAINED_RATE * 0.98}/s`, pass: cSus.replyRate >= 0.98 * SUSTAINED_RATE },
    { metric: `answered at ${SUSTAINED_RATE}/s`, server: answered(cSus), baseline: answered(rSus), ratio: '', target: 'all', pass: cSus.answered === cSus.sent },
    latRow(`p50 first reply at ${SUSTAINED_RATE}/s`, cSus, rSus, 50),
    latRow(`p99 first reply at ${SUSTAINED_RATE}/s`, cSus, rSus, 99, BACKLOG_P99_MS),
    ...(bundled ? [latRow(`p99 turn (last reply) at ${SUSTAINED_RATE}/s`, cSus, rSus, 99, undefined, 'turnLatencies'), sendRow(SUSTAINED_RATE, cSus, rSus)] : []),
    cpuRow(`server CPU a message, ${SUSTAINED_RATE}/s`, cSus, rSus),
    { metric: 'webhook errors', server: String(errors), baseline: String(rLat.errors.count + rSus.errors.count), ratio: '', target: '0', pass: errors === 0 },
    { metric: 'most sustained (tried)', server: best > 0 ? `${best}/s` : `< ${SUSTAINED_RATE}/s`, baseline: '', ratio: '', target: `>= ${SUSTAINED_RATE}/s`, pass: best >= SUSTAINED_RATE },
  ];
  const what = bundled ? `bundled flows, ${commune.population!.citizens} citizens (a message every ${GAP_SECONDS} s each)` : `echo flow, ${PSID_POOL} conversations`;
  printTable(`e2e: webhook in -> replies at the fake Send API, ${what}, commune ${WORKERS > 0 ? `ROLE=web + ${WORKERS} ROLE=worker` : 'ROLE=all'} (${new Date().toISOString()})`, 'commune server', 'relay', rows);
  console.log(`machine: ${loadAtStart} at the start, ${machineLoad()} at the end`);
  console.log(describeSlowlog(await slowlog.report()));
  const lag = Math.max(...[...measured.relay, ...measured.commune].map((p) => p.sendLagP99Ms));
  if (lag > 5) console.log(`note: the generator itself sent late (p99 ${fmt.ms(lag)}): the machine was short of CPU`);
  return rows.every((r) => r.pass !== false);
}

void main();
