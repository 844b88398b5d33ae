import { fileCase, type FileCaseDeps, type FileCaseRequest } from '../../../../src/civic/cases';
import type { CaseActor } from '../../../../src/civic/cases/actor';
import { fixedClock } from '../../../../src/shared/clock';
import { MemoryCaseStore } from '../../../../src/store/memory';
import type { Case } from '../../../../src/store/ports';

export const T0 = Date.UTC(2026, 2, 2, 2, 0, 0);
export const DAY = 86_400_000;

export const CITIZEN = { channel: 'zalo', userId: 'zalo-user-1' };
export const ASSIGNEE = 'can-bo-dia-chinh';
export const BACKUP = 'pho-chu-tich';

export const official = (officialId: string): CaseActor => ({ kind: 'official', officialId });
export const supervisor = (officialId = 'chu-tich'): CaseActor => ({ kind: 'official', officialId, supervisor: true });

export function petition(overrides: Partial<FileCaseRequest> = {}): FileCaseRequest {
  return {
    category: 'land',
    village: 'Thôn Phú Lộc',
    content: 'Nhà bên cạnh lấn sang lối đi chung khoảng 1 mét.',
    name: 'Lê Văn Tám',
    phone: '0912 345 678',
    consent: { version: '2026-01', at: T0 - 60_000 },
    ...CITIZEN,
    ...overrides,
  };
}

/** A memory store, a clock standing at T0, routing to ASSIGNEE (backup BACKUP), due in 10 days. */
export function world(opts: { routed?: boolean } = {}) {
  const { routed = true } = opts;
  const cases = new MemoryCaseStore();
  const clock = fixedClock(T0);
  const routeCalls: unknown[] = [];
  const dueCalls: unknown[] = [];
  const deps: FileCaseDeps = {
    cases,
    now: clock.now,
    route: (c) => {
      routeCalls.push(c);
      return routed ? { assigneeId: ASSIGNEE, backupId: BACKUP } : null;
    },
    dueDate: (c) => {
      dueCalls.push(c);
      return c.receivedAt + 10 * DAY;
    },
  };
  return { cases, clock, deps, routeCalls, dueCalls };
}

/** Files a petition and moves the clock on a minute, so later events have later times. */
export async function filed(w: ReturnType<typeof world>, overrides: Partial<FileCaseRequest> = {}): Promise<Case> {
  const { case: c } = await fileCase(w.deps, petition(overrides));
  w.clock.advance(60_000);
  return c;
}
