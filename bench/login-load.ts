/**
 * `npm run bench:login-load`: do console logins delay webhook acknowledgements? Signed Messenger
 * webhooks at 1,000/s against the commune server (ROLE=web, real Redis, memory store), first
 * alone, then while 20 console logins a second arrive (POST /admin/api/login, the right password
 * of an account made through the API at start), in turns, so that load from elsewhere on the
 * machine falls on both. Reported: webhook ack p50/p99/max with and without logins, and the
 * logins' own latency and answers.
 *
 * The reference (lib/baseline-process.ts `minimal` with LOGIN_ON_LOOP=bcrypt): the least a
 * correct webhook does, plus a login checked with bcryptjs at cost 12 on the event loop, as the
 * console did before its hashing moved off the loop (admin/password-hash.ts), measured the same way.
 *
 * Options: --seconds N   length of each turn (default 4; two turns each way)
 *          --logins N    logins a second (default 20)
 *          --rate N      webhooks a second (default 1000)
 */
import http from 'node:http';
import { startChild, type Child } from './lib/children';
import { keepAliveAgent, latenciesMs, openLoop, percentile, type Shot, type Target } from './lib/load';
import { BENCH_SECRETS, eventFactory, type EventFactory } from './lib/messages';
import { communeEnv, log, machineLoad, runIds, sleep, webhookTarget, withCleanup } from './lib/run';
import { fmt, printTable, type Row } from './lib/table';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const TURN_MS = 1000 * opt('--seconds', 4);
const LOGINS_PER_S = opt('--logins', 20);
const RATE = opt('--rate', 1000);
const TURNS = 2;
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const USERNAME = 'bench-admin';
const PASSWORD = 'mật khẩu bench 2026';

interface LoginShot {
  ms: number;
  status: number;
}

function postJson(agent: http.Agent, port: number, path: string, body: object, headers: Record<string, string> = {}): Promise<LoginShot> {
  const data = Buffer.from(JSON.stringify(body));
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': data.length, ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, status: res.statusCode ?? 0 }));
    });
    // Long: a login that waits in the hashing queue must still be answered, so the next turn starts on an idle server.
    req.setTimeout(120_000, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, status: 0 }));
    req.end(data);
  });
}

/** `perSecond` logins for `ms`, each due at start + i/perSecond, whether or not earlier ones answered. */
async function loginLoop(port: number, perSecond: number, ms: number): Promise<LoginShot[]> {
  const agent = keepAliveAgent(64);
  const total = Math.round((perSecond * ms) / 1000);
  const start = Date.now();
  const pending: Promise<LoginShot>[] = [];
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / perSecond - Date.now();
    if (wait > 0) await sleep(wait);
    pending.push(postJson(agent, port, '/admin/api/login', { username: USERNAME, password: PASSWORD }));
  }
  const shots = await Promise.all(pending);
  agent.destroy();
  return shots;
}

interface Subject {
  name: string;
  target: Target;
  events: EventFactory;
  alone: Shot[];
  withLogins: Shot[];
  logins: LoginShot[];
}

async function measure(s: Subject): Promise<void> {
  for (let turn = 0; turn < TURNS; turn++) {
    const alone = await openLoop({ target: s.target, rate: RATE, durationMs: TURN_MS, events: s.events.take((RATE * TURN_MS) / 1000) });
    s.alone.push(...alone.shots);
    await sleep(300);
    const [busy, logins] = await Promise.all([
      openLoop({ target: s.target, rate: RATE, durationMs: TURN_MS, events: s.events.take((RATE * TURN_MS) / 1000) }),
      loginLoop(s.target.port, LOGINS_PER_S, TURN_MS),
    ]);
    s.withLogins.push(...busy.shots);
    s.logins.push(...logins);
    log(`  ${s.name} turn ${turn + 1}: ack p99 alone ${fmt.ms(percentile(latenciesMs(alone.shots), 99))}, with logins ${fmt.ms(percentile(latenciesMs(busy.shots), 99))}; logins ${logins.filter((l) => l.status === 200).length}/${logins.length} ok`);
    await sleep(1_000);
  }
}

async function main(): Promise<void> {
  const { tag, prefix } = runIds();
  const children: Child[] = [];
  const track = (c: Child) => (children.push(c), c);
  await withCleanup(prefix, () => children, async () => {
    const loadAtStart = machineLoad();
    log(`run ${tag}: ${RATE} webhooks/s, ${LOGINS_PER_S} logins/s, turns of ${TURN_MS / 1000} s; ${loadAtStart}`);
    const commune = track(await startChild('commune server', 'lib/app-process.ts', { ...communeEnv({ prefix, sendApiPort: 9, role: 'web' }), ADMIN_TOKEN }));
    const reference = track(
      await startChild('reference (bcrypt on the loop)', 'lib/baseline-process.ts', { ...BENCH_SECRETS, BASELINE: 'minimal', LOGIN_ON_LOOP: 'bcrypt', BENCH_LOGIN_PASSWORD: PASSWORD, QUEUE_PREFIX: `${prefix}-ref` }),
    );
    const agent = keepAliveAgent(1);
    const made = await postJson(agent, commune.ready.port!, '/admin/api/users', { username: USERNAME, password: PASSWORD, role: 'admin' }, { authorization: `Bearer ${ADMIN_TOKEN}` });
    agent.destroy();
    if (made.status !== 201) throw new Error(`could not create the bench account: HTTP ${made.status}`);
    const subjects: Subject[] = [
      { name: 'commune', target: webhookTarget(commune), events: eventFactory(`${tag}c`, (i) => String(7_500_000_000_000_000 + i)), alone: [], withLogins: [], logins: [] },
      { name: 'reference', target: webhookTarget(reference), events: eventFactory(`${tag}r`, (i) => String(7_600_000_000_000_000 + i)), alone: [], withLogins: [], logins: [] },
    ];
    for (const s of subjects) {
      log(`${s.name}: warm-up`);
      await openLoop({ target: s.target, rate: 500, durationMs: 1_000, events: s.events.take(500) });
      await loginLoop(s.target.port, 4, 1_000);
    }
    for (const s of subjects) await measure(s);

    const [c, r] = subjects;
    const q = (shots: Shot[], p: number) => percentile(latenciesMs(shots), p);
    const errors = (shots: Shot[]) => shots.filter((x) => x.status !== 200).length;
    const loginQ = (s: Subject, p: number) => percentile(s.logins.map((l) => l.ms).sort((a, b) => a - b), p);
    const okLogins = (s: Subject) => s.logins.filter((l) => l.status === 200).length;
    const limit = Math.max(25, 1.5 * q(c.alone, 99));
    const rows: Row[] = [
      { metric: `webhook ack p50, ${RATE}/s alone`, server: fmt.ms(q(c.alone, 50)), baseline: fmt.ms(q(r.alone, 50)), ratio: '', target: '', pass: null },
      { metric: `webhook ack p99, ${RATE}/s alone`, server: fmt.ms(q(c.alone, 99)), baseline: fmt.ms(q(r.alone, 99)), ratio: '', target: '', pass: null },
      { metric: `webhook ack p50, with ${LOGINS_PER_S} logins/s`, server: fmt.ms(q(c.withLogins, 50)), baseline: fmt.ms(q(r.withLogins, 50)), ratio: '', target: '', pass: null },
      {
        metric: `webhook ack p99, with ${LOGINS_PER_S} logins/s`,
        server: fmt.ms(q(c.withLogins, 99)),
        baseline: fmt.ms(q(r.withLogins, 99)),
        ratio: fmt.ratio(q(c.withLogins, 99), q(c.alone, 99)),
        target: `<= max(25 ms, 1.5 x alone) = ${fmt.ms(limit)}`,
        pass: q(c.withLogins, 99) <= limit,
      },
      { metric: 'webhook ack max, with logins', server: fmt.ms(q(c.withLogins, 100)), baseline: fmt.ms(q(r.withLogins, 100)), ratio: '', target: '', pass: null },
      { metric: 'webhook errors', server: String(errors(c.alone) + errors(c.withLogins)), baseline: String(errors(r.alone) + errors(r.withLogins)), ratio: '', target: '0', pass: errors(c.alone) + errors(c.withLogins) === 0 },
      { metric: 'logins answered 200', server: `${okLogins(c)}/${c.logins.length}`, baseline: `${okLogins(r)}/${r.logins.length}`, ratio: '', target: 'all', pass: okLogins(c) === c.logins.length },
      { metric: 'login p50 / p99', server: `${fmt.ms(loginQ(c, 50))} / ${fmt.ms(loginQ(c, 99))}`, baseline: `${fmt.ms(loginQ(r, 50))} / ${fmt.ms(loginQ(r, 99))}`, ratio: '', target: '', pass: null },
    ];
    printTable(
      `login-load: webhooks at ${RATE}/s with and without ${LOGINS_PER_S} console logins/s (${new Date().toISOString()})`,
      'commune server (ROLE=web)',
      'reference: bcrypt on the loop',
      rows,
    );
    console.log('ratio: with logins / alone, the commune server');
    console.log(`machine: ${loadAtStart} at the start, ${machineLoad()} at the end`);
    return rows.every((row) => row.pass !== false);
  });
}

void main();
