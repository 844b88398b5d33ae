import { computeGovernance, daysOf, monthsOf } from '../../../src/admin/governance';
import type { Appointment } from '../../../src/store/ports/appointments';
import type { Case } from '../../../src/store/ports/cases';
import type { Official } from '../../../src/store/ports/officials';

const DAY = 86_400_000;
/** 09:00 in Vietnam on a yyyy-mm-dd day. */
const at = (day: string, hour = 9) => Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00+07:00`);

let n = 0;
function kase(p: { filed: string; due: string; category: string; village: string; status?: Case['status']; closed?: string; assignee?: string; rating?: { score: number; on: string } }): Case {
  n += 1;
  const createdAt = at(p.filed);
  return {
    id: `c${n}`, code: `PA-2222${n}`, kind: 'petition', petitionType: 'feedback', category: p.category, village: p.village, content: 'x', attachments: [],
    channel: 'zalo', userId: `u${n}`, status: p.status ?? 'in_progress', ...(p.assignee ? { assigneeId: p.assignee } : {}),
    dueAt: at(p.due, 17), createdAt, updatedAt: p.closed ? at(p.closed) : createdAt,
    ...(p.closed ? { resolution: { answer: 'a', by: p.assignee ?? 'admin', at: at(p.closed) } } : {}),
    ...(p.rating ? { rating: { score: p.rating.score, at: at(p.rating.on) } } : {}),
    history: [], version: 1,
  };
}
function appt(day: string, status: Appointment['status'], procedureId?: string): Appointment {
  n += 1;
  const start = at(day, 8);
  return {
    id: `a${n}`, code: `LH-${n}`, ...(procedureId ? { procedureId } : {}), slot: { key: `${day}T08:00`, day, start, end: start + 3600_000 }, status,
    name: 'N', channel: 'zalo', userId: `z${n}`, locale: 'vi', createdAt: start - DAY, updatedAt: start - DAY, reschedules: 0,
  };
}
const officials: Official[] = [
  { id: 'dia-chinh-1', name: 'Nguyễn Văn Địa', role: 'official', villages: [], categories: ['land'], onDuty: false, accounts: [], active: true },
  { id: 'truong-thon-2', name: 'Trần Thị Hai', role: 'village_head', villages: ['Thôn 2'], categories: [], onDuty: false, accounts: [], active: true },
];

/** March 2026: six petitions, one filed before, and the desk's month. "Now" is 10 April 2026. */
function fixture() {
  const cases = [
    kase({ filed: '2026-03-02', due: '2026-03-16', category: 'land', village: 'Thôn 1', status: 'resolved', closed: '2026-03-10', assignee: 'dia-chinh-1', rating: { score: 5, on: '2026-03-11' } }),
    kase({ filed: '2026-03-03', due: '2026-03-17', category: 'land', village: 'Thôn 1', status: 'resolved', closed: '2026-03-20', assignee: 'dia-chinh-1', rating: { score: 2, on: '2026-03-21' } }),
    kase({ filed: '2026-03-04', due: '2026-03-18', category: 'land', village: 'Thôn 2', status: 'rejected', closed: '2026-03-05', assignee: 'truong-thon-2' }),
    kase({ filed: '2026-03-05', due: '2026-03-19', category: 'environment', village: 'Thôn 2', assignee: 'truong-thon-2' }), // open, due 19/3: 12 days late on 31/3
    kase({ filed: '2026-03-25', due: '2026-04-08', category: 'environment', village: 'Thôn 2' }), // open, not yet due on 31/3
    kase({ filed: '2026-03-28', due: '2026-03-29', category: 'infrastructure', village: 'Thôn 10' }), // open, 2 days late on 31/3
    // Filed in February, closed in March, on time: counts for March's answers, not its filings.
    kase({ filed: '2026-02-20', due: '2026-03-06', category: 'infrastructure', village: 'Thôn 1', status: 'resolved', closed: '2026-03-06', assignee: 'truong-thon-2', rating: { score: 4, on: '2026-04-02' } }),
    // Filed in January, due 31 January, still open: 59 days late on 31/3.
    kase({ filed: '2026-01-10', due: '2026-01-31', category: 'land', village: 'Thôn 1' }),
  ];
  const appointments = [
    appt('2026-03-09', 'attended', 'khai-sinh'),
    appt('2026-03-09', 'no_show', 'khai-sinh'),
    appt('2026-03-10', 'attended', 'chung-thuc'),
    appt('2026-03-11', 'cancelled', 'chung-thuc'),
    appt('2026-03-12', 'booked', 'khai-sinh'), // past and never marked
    appt('2026-04-01', 'attended', 'ket-hon'), // outside the period
  ];
  return { cases, appointments };
}

const march = { from: '2026-03-01', to: '2026-03-31' };
const report = () => computeGovernance({ period: march, ...fixture(), officials, procedureName: (id) => ({ 'khai-sinh': 'Đăng ký khai sinh' })[id], now: at('2026-04-10') });

describe('the governance figures of one period', () => {
  it('when March is asked, then the heat map counts the petitions filed in March by category × village, and nothing filed before', () => {
    const { heatmap } = report();
    expect(heatmap.categories).toEqual(['environment', 'infrastructure', 'land']);
    expect(heatmap.villages).toEqual(['Thôn 1', 'Thôn 2', 'Thôn 10']); // numbers in order: 2 before 10
    expect(heatmap.cells).toEqual([[0, 1, 2], [1, 2, 1], [2, 0, 2], [2, 1, 1]]);
  });

  it('when cases were answered in March, then the on-time share counts each answer (resolved or rejected) against its due date, by category, village and official', () => {
    const { onTime } = report();
    expect(onTime.byCategory).toEqual([
      { key: 'land', name: 'land', closed: 3, onTime: 2, share: 2 / 3 },
      { key: 'infrastructure', name: 'infrastructure', closed: 1, onTime: 1, share: 1 },
    ]);
    expect(onTime.byVillage).toEqual([
      { key: 'Thôn 1', name: 'Thôn 1', closed: 3, onTime: 2, share: 2 / 3 },
      { key: 'Thôn 2', name: 'Thôn 2', closed: 1, onTime: 1, share: 1 },
    ]);
    expect(onTime.byOfficial).toEqual([
      { key: 'dia-chinh-1', name: 'Nguyễn Văn Địa', role: 'official', closed: 2, onTime: 1, share: 0.5 },
      { key: 'truong-thon-2', name: 'Trần Thị Hai', role: 'village_head', closed: 2, onTime: 2, share: 1 },
    ]);
  });

  it('when the period is over, then overdue is judged at its end: open cases by days past due', () => {
    const { overdueByAge, asOf } = report();
    expect(asOf).toBe(Date.parse('2026-04-01T00:00:00+07:00'));
    expect(overdueByAge).toEqual([
      { age: '1-3', count: 1 },
      { age: '4-7', count: 0 },
      { age: '8-15', count: 1 },
      { age: '16-30', count: 0 },
      { age: '31+', count: 1 },
    ]);
  });

  it('when the period is still running, then overdue is judged now', () => {
    const now = at('2026-03-20', 12);
    const r = computeGovernance({ period: march, ...fixture(), officials, now });
    expect(r.asOf).toBe(now);
    // At noon on 20/3 the environment case (due 19/3 17:00) is 1 day late and the January one 48 days;
    // the land case due 17/3 was answered at 09:00 that morning, so it is no longer open.
    expect(r.overdueByAge.filter((a) => a.count > 0)).toEqual([{ age: '1-3', count: 1 }, { age: '31+', count: 1 }]);
  });

  it('when months are asked, then each month counts filings, answers (rejections apart) and the average of the ratings given in it', () => {
    expect(report().months).toEqual([{ month: '2026-03', filed: 6, closed: 4, rejected: 1, ratings: 2, satisfaction: 3.5 }]);
    const q1 = computeGovernance({ period: { from: '2026-01-01', to: '2026-04-30' }, ...fixture(), officials, now: at('2026-04-10') });
    expect(q1.months.map((m) => [m.month, m.filed, m.ratings, m.satisfaction])).toEqual([
      ['2026-01', 1, 0, null],
      ['2026-02', 1, 0, null],
      ['2026-03', 6, 2, 3.5],
      ['2026-04', 0, 1, 4],
    ]);
  });

  it('when the desk had appointments, then the procedures are ranked by bookings (cancelled ones left out) and each month counts kept, no-show, cancelled and unmarked', () => {
    const r = report();
    expect(r.procedures).toEqual([
      { id: 'khai-sinh', name: 'Đăng ký khai sinh', nameEn: 'Đăng ký khai sinh', count: 3 },
      { id: 'chung-thuc', name: 'chung-thuc', nameEn: 'chung-thuc', count: 1 },
    ]);
    expect(r.appointments).toEqual([{ month: '2026-03', attended: 2, noShow: 1, cancelled: 1, unmarked: 1 }]);
  });

  it('when the chat explained procedures in the period, then the most asked are ranked by those counts, named in both languages, apart from the bookings', () => {
    const names: Record<string, { vi: string; en: string }> = { 'khai-sinh': { vi: 'Đăng ký khai sinh', en: 'Birth registration' }, 'ket-hon': { vi: 'Đăng ký kết hôn', en: 'Marriage registration' } };
    const asked = new Map([['ket-hon', 7], ['khai-sinh', 7], ['cu-tru', 12], ['bo-da-xoa', 0], ...Array.from({ length: 10 }, (_, i) => [`p${i}`, 1] as [string, number])]);
    const r = computeGovernance({ period: march, ...fixture(), officials, asked, procedureName: (id, lng) => names[id]?.[lng], now: at('2026-04-10') });
    expect(r.asked.slice(0, 3)).toEqual([
      { id: 'cu-tru', name: 'cu-tru', nameEn: 'cu-tru', count: 12 },
      { id: 'ket-hon', name: 'Đăng ký kết hôn', nameEn: 'Marriage registration', count: 7 },
      { id: 'khai-sinh', name: 'Đăng ký khai sinh', nameEn: 'Birth registration', count: 7 },
    ]);
    expect(r.asked).toHaveLength(10);
    expect(r.asked.map((a) => a.id)).not.toContain('bo-da-xoa');
    // Bookings stay their own ranking.
    expect(r.procedures.map((p) => [p.id, p.count])).toEqual([['khai-sinh', 3], ['chung-thuc', 1]]);
    expect(computeGovernance({ period: march, ...fixture(), officials, now: at('2026-04-10') }).asked).toEqual([]);
  });

  it('when a period spans the new year, then its months and days follow the calendar', () => {
    expect(monthsOf({ from: '2025-11-15', to: '2026-02-01' })).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(daysOf({ from: '2024-02-28', to: '2024-03-01' })).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
  });
});
