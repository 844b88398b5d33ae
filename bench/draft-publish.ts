/**
 * `npm run bench:draft-publish`: webhook acknowledgement latency on a ROLE=web commune server
 * (real Redis, bundled flows, memory store) at a fixed rate, in turns: alone (the baseline of the
 * same run), and while an admin checks and publishes, one after the other through the admin API,
 * the largest drafts the limits let through (250 kB of YAML, 48 aliases). Prints p50/p99/max of
 * each and the drafts' own times; exits 1 when the p99 during publishing is more than 1.5 times
 * the baseline's plus 5 ms.
 *
 * Options: --rate N   webhooks a second (default 300)   --turns N   turns of each kind (default 3)
 */
import http from 'node:http';
import { bigFlowDraft } from '../test/helpers/big-flow-draft';
import { startChild, type Child } from './lib/children';
import { latenciesMs, openLoop, percentile, type Shot } from './lib/load';
import { eventFactory } from './lib/messages';
import { communeEnv, log, machineLoad, runIds, sleep, webhookTarget, withCleanup } from './lib/run';
import { fmt, printTable } from './lib/table';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const RATE = option('--rate', 300);
const TURNS = option('--turns', 3);
const TURN_MS = 5_000;
const ADMIN_TOKEN = 'bench-admin-token-0123456789';

interface AdminCall {
  status: number;
  ms: number;
}

let reported = 0;
function adminPost(port: number, path: string, body: object): Promise<AdminCall> {
  const data = JSON.stringify(body);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), authorization: `Bearer ${ADMIN_TOKEN}` } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString('utf8')));
        res.on('end', () => {
          if ((res.statusCode ?? 0) >= 300 && !reported++) log(`refused: ${res.statusCode} ${text.slice(0, 400)}`);
          resolve({ status: res.statusCode ?? 0, ms: performance.now() - started });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** Checks then publishes big drafts (made before the turn), one after the other, until `stop` says so. */
async function publishLoop(port: number, stop: () => boolean, calls: { check: AdminCall[]; publish: AdminCall[] }, drafts: { id: string; source: string }[]): Promise<void> {
  for (const { id, source } of drafts) {
    if (stop()) break;
    calls.check.push(await adminPost(port, `/admin/api/flows/${id}/check`, { source }));
    if (stop()) break;
    calls.publish.push(await adminPost(port, `/admin/api/flows/${id}`, { source }));
  }
}

async function main(): Promise<void> {
  const { tag, prefix } = runIds();
  const children: Child[] = [];
  const track = (c: Child) => (children.push(c), c);
  await withCleanup(prefix, () => children, async () => {
    log(`bench:draft-publish — ${RATE} webhooks/s, ${TURNS} turns of ${TURN_MS / 1000} s each way; ${machineLoad()}`);
    const fake = track(await startChild('fake Send API', 'lib/fake-send-api.ts', {}));
    const sendApiPort = fake.ready.port ?? 0;
    const server = track(await startChild('commune server', 'lib/app-process.ts', { ...communeEnv({ prefix, sendApiPort, role: 'web' }), ADMIN_TOKEN, NODE_ENV: 'development' }));
    const target = webhookTarget(server);
    const events = eventFactory(tag, (i) => String(7_200_000_000_000_000 + i));
    const port = target.port;
    // Warm up both paths: the webhooks and one draft checked and published.
    await openLoop({ target, rate: RATE, durationMs: 1_000, events: () => events.next() });
    const warmSource = bigFlowDraft(`bench-${tag}-warm`);
    await adminPost(port, `/admin/api/flows/bench-${tag}-warm/check`, { source: warmSource });
    await adminPost(port, `/admin/api/flows/bench-${tag}-warm`, { source: warmSource });
    await sleep(4_000); // every process reloads a published flow on its next poll (3 s)
    const quiet: Shot[] = [];
    const busy: Shot[] = [];
    const turnP99 = { quiet: [] as number[], busy: [] as number[] };
    const calls = { check: [] as AdminCall[], publish: [] as AdminCall[] };
    for (let turn = 0; turn < TURNS; turn++) {
      const alone = await openLoop({ target, rate: RATE, durationMs: TURN_MS, events: () => events.next() });
      quiet.push(...alone.shots);
      turnP99.quiet.push(percentile(latenciesMs(alone.shots), 99));
      await sleep(300);
      // Made before the turn: the load generator then spends nothing on them while it measures.
      const drafts = Array.from({ length: 40 }, (_, n) => {
        const id = `bench-${tag}-${turn}-${n}`;
        return { id, source: bigFlowDraft(id) };
      });
      let done = false;
      const publishing = publishLoop(port, () => done, calls, drafts);
      const during = await openLoop({ target, rate: RATE, durationMs: TURN_MS, events: () => events.next() });
      done = true;
      await publishing;
      busy.push(...during.shots);
      turnP99.busy.push(percentile(latenciesMs(during.shots), 99));
      await sleep(300);
    }
    const q = latenciesMs(quiet);
    const b = latenciesMs(busy);
    const errors = (shots: Shot[]) => shots.filter((s) => s.error !== undefined || s.status !== 200).length;
    const times = (c: AdminCall[]) => c.map((x) => x.ms).sort((x, y) => x - y);
    const p99 = { quiet: percentile(q, 99), busy: percentile(b, 99) };
    const limit = p99.quiet * 1.5 + 5;
    printTable(`webhook acknowledgement at ${RATE}/s, ${q.length} + ${b.length} requests`, 'while drafts are checked and published', 'alone (baseline)', [
      { metric: 'p50', server: fmt.ms(percentile(b, 50)), baseline: fmt.ms(percentile(q, 50)), ratio: fmt.ratio(percentile(b, 50), percentile(q, 50)), target: '', pass: null },
      { metric: 'p99', server: fmt.ms(p99.busy), baseline: fmt.ms(p99.quiet), ratio: fmt.ratio(p99.busy, p99.quiet), target: `≤ ${fmt.ms(limit)}`, pass: p99.busy <= limit },
      { metric: 'max', server: fmt.ms(b[b.length - 1] ?? 0), baseline: fmt.ms(q[q.length - 1] ?? 0), ratio: '', target: '', pass: null },
      { metric: 'p99 per turn', server: turnP99.busy.map(fmt.ms).join(', '), baseline: turnP99.quiet.map(fmt.ms).join(', '), ratio: '', target: '', pass: null },
      { metric: 'errors', server: String(errors(busy)), baseline: String(errors(quiet)), ratio: '', target: '0', pass: errors(busy) === 0 },
    ]);
    const bad = [...calls.check, ...calls.publish].filter((c) => c.status >= 300).length;
    log(`drafts of ${(Buffer.byteLength(bigFlowDraft('x')) / 1024).toFixed(0)} kB: ${calls.check.length} checked (median ${fmt.ms(percentile(times(calls.check), 50))}), ${calls.publish.length} published (median ${fmt.ms(percentile(times(calls.publish), 50))}), ${bad} refused`);
    const ok = p99.busy <= limit && bad === 0 && calls.publish.length > 0 && errors(busy) === 0;
    log(ok ? `OK: p99 while publishing ${fmt.ms(p99.busy)} ≤ ${fmt.ms(limit)} (1.5 × baseline + 5 ms)` : `MISSED: p99 while publishing ${fmt.ms(p99.busy)} > ${fmt.ms(limit)}, or drafts refused / webhooks failed`);
    return ok;
  });
}

void main();
