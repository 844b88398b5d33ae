import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { computeEverything, DUE_DATE_SCENARIOS, ROOT, shippedCalendar, vn } from './shipped-calendar';

const cal = shippedCalendar();
// Computed in the test process, in whatever time zone it runs.
const reference = computeEverything(cal);

const LOCAL_TIME_METHODS = [
  'getFullYear', 'getMonth', 'getDate', 'getDay', 'getHours', 'getMinutes', 'getSeconds', 'getMilliseconds', 'getTimezoneOffset',
  'setFullYear', 'setMonth', 'setDate', 'setHours', 'setMinutes', 'toString', 'toDateString', 'toTimeString',
  'toLocaleString', 'toLocaleDateString', 'toLocaleTimeString',
] as const;

describe('Vietnam time whatever the server time zone', () => {
  test('when the calendar computes, then it never reads Date local-time getters nor builds a local Date', () => {
    const proto = Date.prototype as unknown as Record<string, unknown>;
    const saved = LOCAL_TIME_METHODS.map((name) => [name, proto[name]] as const);
    const RealDate = Date;
    const calls: string[] = [];
    for (const name of LOCAL_TIME_METHODS) {
      proto[name] = function trapped() {
        calls.push(name);
        throw new Error(`Date#${name} reads the server's time zone`);
      };
    }
    // new Date(y, m, d…) reads the server's time zone too; one argument (epoch ms) does not.
    global.Date = class extends RealDate {
      constructor(...args: ConstructorParameters<DateConstructor> | []) {
        if (args.length > 1) {
          calls.push('new Date(y, m, …)');
          throw new Error('new Date(y, m, …) reads the server time zone');
        }
        super(...(args as []));
      }
    } as DateConstructor;
    let trapped: Record<string, unknown>;
    try {
      trapped = computeEverything(cal);
    } finally {
      global.Date = RealDate;
      for (const [name, fn] of saved) proto[name] = fn;
    }
    expect(calls).toEqual([]);
    expect(trapped).toEqual(reference);
  });

  // Jest gives each test file a copy of process.env, so setting TZ there never reaches V8's time
  // zone: a server in another zone is a child node process started with that TZ.
  test.each([
    ['America/Los_Angeles', 23],
    ['Asia/Tokyo', 16],
  ])('when the server runs with TZ=%s, then every due date and every other result is the same', (tz, localHour) => {
    const code = `
      const { computeEverything, shippedCalendar, DUE_DATE_SCENARIOS } = require(${JSON.stringify(join(__dirname, 'shipped-calendar.ts'))});
      const cal = shippedCalendar();
      const { dueDate } = require(${JSON.stringify(join(ROOT, 'src/civic/calendar/due-date.ts'))});
      process.stdout.write(JSON.stringify({
        // 14:30 on 16/02/2026 in Vietnam, read with the server's local getters
        localHour: new Date(${vn('2026-02-16T14:30')}).getHours(),
        due: DUE_DATE_SCENARIOS.map((s) => new Date(dueDate(cal, s.request)).toISOString()),
        results: computeEverything(cal),
      }));
    `;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', code], {
      cwd: ROOT,
      env: { ...process.env, TZ: tz },
      encoding: 'utf8',
      timeout: 25_000,
    });
    const child = JSON.parse(out) as { localHour: number; due: string[]; results: unknown };
    expect(child.localHour).toBe(localHour);
    expect(child.due).toEqual(DUE_DATE_SCENARIOS.map((s) => s.due));
    expect(child.results).toEqual(reference);
  });
});
