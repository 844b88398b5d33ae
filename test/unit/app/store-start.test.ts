import { openStoreWithin, storeHost } from '../../../src/store-start';
import type { Logger } from '../../../src/shared/logger';

function recordingLog(): Logger & { warnings: object[] } {
  const warnings: object[] = [];
  const log = { warnings, debug: () => undefined, info: () => undefined, warn: (o: object) => void warnings.push(o), error: () => undefined, child: () => log };
  return log;
}

/** A fixed clock that the pauses move on. */
function clock() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms), advance: (ms: number) => (t += ms) };
}

describe('opening the store at start', () => {
  test('when MongoDB answers only on the third try, then the start waits for it, logging each miss', async () => {
    const c = clock();
    const log = recordingLog();
    const budgets: number[] = [];
    let tries = 0;
    const store = await openStoreWithin(
      async (attemptMs) => {
        budgets.push(attemptMs);
        tries++;
        c.advance(1000);
        if (tries < 3) throw new Error('connect ECONNREFUSED 127.0.0.1:27017');
        return 'stores';
      },
      { waitMs: 60_000, log, what: 'mongo:27017', now: c.now, sleep: c.sleep },
    );
    expect(store).toBe('stores');
    expect(tries).toBe(3);
    expect(budgets.every((b) => b <= 3000 && b >= 1000)).toBe(true);
    expect(log.warnings).toEqual([
      { store: 'mongo:27017', attempt: 1, retryInMs: 1000, err: 'connect ECONNREFUSED 127.0.0.1:27017' },
      { store: 'mongo:27017', attempt: 2, retryInMs: 2000, err: 'connect ECONNREFUSED 127.0.0.1:27017' },
    ]);
  });

  test('when MongoDB never answers, then the start gives up with the last error once the wait is over', async () => {
    const c = clock();
    let tries = 0;
    const failing = openStoreWithin(
      async () => {
        tries++;
        c.advance(3000);
        throw new Error(`attempt ${tries} failed`);
      },
      { waitMs: 20_000, log: recordingLog(), what: 'mongo:27017', now: c.now, sleep: c.sleep },
    );
    await expect(failing).rejects.toThrow(/failed/);
    expect(c.now()).toBeGreaterThanOrEqual(20_000);
    expect(c.now()).toBeLessThan(20_000 + 3000 + 5000);
    expect(tries).toBeGreaterThan(2);
  });

  test('when the wait is 0, then one try only', async () => {
    const c = clock();
    let tries = 0;
    await expect(openStoreWithin(async () => { tries++; throw new Error('down'); }, { waitMs: 0, log: recordingLog(), what: 'x', now: c.now, sleep: c.sleep })).rejects.toThrow('down');
    expect(tries).toBe(1);
  });

  test('the store is named by its host, never with its credentials', () => {
    expect(storeHost('mongodb://admin:hunter2@mongo:27017/commune?replicaSet=rs0')).toBe('mongo:27017');
    expect(storeHost('mongodb+srv://u:p@cluster0.example.net/db')).toBe('cluster0.example.net');
  });
});
