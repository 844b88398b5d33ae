import request from 'supertest';
import { nthWorkingDay } from '../../src/civic/calendar/working-days';
import { isoOfDay, localDayOf, startOfLocalDay } from '../../src/civic/calendar/vietnam-time';
import type { RunningApp } from '../../src/main';
import { createMemoryStores } from '../../src/store/memory';
import { SECRETS, startTestApp } from '../helpers/app';
import { startFakePlatforms } from '../helpers/fake-platforms';
import { messengerTextBody } from '../helpers/messenger-bodies';
import { deleteKeys, uniquePrefix } from '../helpers/redis';
import { shippedCalendar } from '../unit/civic/calendar/shipped-calendar';

const HOUR = 3600_000;

describe("result dates from an official's chat, through the whole app", () => {
  jest.setTimeout(60_000);

  it('when the desk official writes HENTRA with a code and a day, then they get the date back and the citizen is told the date', async () => {
    const fake = await startFakePlatforms();
    const prefix = uniquePrefix();
    const stores = createMemoryStores();
    let app: (RunningApp & { url: string }) | undefined;
    try {
      app = await startTestApp({ prefix, fake, stores });
      await stores.officials.upsert({ id: 'mot-cua-1', name: 'Võ Thị Một', role: 'desk', villages: [], categories: [], onDuty: false, active: true, accounts: [{ channel: 'messenger', userId: 'psid-desk' }] });
      const start = Date.now() - HOUR;
      const booked = await stores.appointments.book({ key: `k-${start}`, day: isoOfDay(localDayOf(start)), start, end: start + HOUR }, 4, {
        id: 'appt-rd-1',
        code: 'LH-1207-7QWE',
        procedureId: 'khai-sinh',
        name: 'Lê Thị Hoa',
        channel: 'messenger',
        userId: 'psid-citizen-rd',
        locale: 'vi',
        createdAt: start - 24 * HOUR,
      });
      expect(booked.ok).toBe(true);
      await stores.conversations.touchInbound('messenger', 'psid-citizen-rd', Date.now() - HOUR);

      const day = nthWorkingDay(shippedCalendar(), localDayOf(Date.now()), 3);
      const typed = `${isoOfDay(day).slice(8, 10)}/${isoOfDay(day).slice(5, 7)}`;
      const { raw, signature } = messengerTextBody({ psid: 'psid-desk', mid: 'm_rd_1', text: `hẹn trả lh-1207-7qwe ${typed}` }, SECRETS.MESSENGER_APP_SECRET);
      const res = await request(app.url).post('/webhooks/messenger').set('Content-Type', 'application/json').set('X-Hub-Signature-256', signature).send(raw);
      expect(res.status).toBe(200);

      const to = (psid: string) => fake.sent('messenger').filter((r) => (r.body.recipient as { id: string }).id === psid).map((r) => (r.body.message as { text?: string }).text ?? '');
      await fake.waitFor(() => to('psid-desk').length >= 1 && to('psid-citizen-rd').length >= 1, 15_000);
      const date = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).format(startOfLocalDay(day) + 12 * HOUR);
      expect(to('psid-desk')[0]).toContain(`Đã ghi hẹn trả kết quả hồ sơ LH-1207-7QWE (công dân Lê Thị Hoa):`);
      expect(to('psid-desk')[0]).toContain(date);
      expect(to('psid-citizen-rd')[0]).toContain(`Ngày hẹn trả kết quả:`);
      expect(to('psid-citizen-rd')[0]).toContain(date);
      expect((await stores.appointments.get('appt-rd-1'))?.result).toMatchObject({ day: isoOfDay(day), status: 'promised', officialId: 'mot-cua-1' });
    } finally {
      await app?.stop();
      await fake.close();
      await deleteKeys(prefix);
    }
  });
});
