import { createHash } from 'node:crypto';
import request from 'supertest';
import type { RunningApp } from '../../src/main';
import { createMemoryStores } from '../../src/store/memory';
import { SECRETS, startTestApp } from '../helpers/app';
import { startFakePlatforms } from '../helpers/fake-platforms';
import { deleteKeys, uniquePrefix } from '../helpers/redis';

/**
 * Zalo as citizens use it, through the signed webhook: a tap on an oa.query button arrives as
 * user_send_text whose text is the button's payload; everything else is typed.
 */
function zaloText(userId: string, msgId: string, text: string): string {
  return JSON.stringify({
    app_id: SECRETS.ZALO_APP_ID,
    user_id_by_app: '7300118846001119002',
    event_name: 'user_send_text',
    timestamp: String(Date.now()),
    sender: { id: userId },
    recipient: { id: '1423987654321098765' },
    message: { msg_id: msgId, text },
    reorder_id: String(Date.now()),
  });
}

function signed(raw: string): string {
  const body = JSON.parse(raw) as { app_id: string; timestamp: string };
  return `mac=${createHash('sha256').update(body.app_id + raw + body.timestamp + SECRETS.ZALO_OA_SECRET_KEY).digest('hex')}`;
}

interface ZaloSent {
  recipient: { user_id: string };
  message: { text?: string; attachment?: { payload: { buttons?: { title: string; type: string; payload: unknown }[] } } };
}

describe('Zalo conversations through the webhook, taps as payload text and answers typed', () => {
  jest.setTimeout(60_000);
  let fake: Awaited<ReturnType<typeof startFakePlatforms>>;
  let app: RunningApp & { url: string };
  const prefix = uniquePrefix();
  const stores = createMemoryStores();

  beforeAll(async () => {
    fake = await startFakePlatforms();
    app = await startTestApp({ prefix, fake, stores });
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
    await deleteKeys(prefix);
  });

  function chat(userId: string) {
    let n = 0;
    const mine = () => fake.sent('zalo').filter((r) => (r.body as unknown as ZaloSent).recipient?.user_id === userId).map((r) => r.body as unknown as ZaloSent);
    const shown = (from: number) => mine().slice(from);
    return {
      /** sends one message and waits until the OA's answer holds `waitFor` */
      async send(text: string, waitFor: string | RegExp): Promise<ZaloSent[]> {
        const before = mine().length;
        const raw = zaloText(userId, `${userId}-msg-${++n}`, text);
        const res = await request(app.url).post('/webhooks/zalo').set('Content-Type', 'application/json').set('X-ZEvent-Signature', signed(raw)).send(raw);
        expect(res.status).toBe(200);
        const holds = () => {
          const words = shown(before).map((m) => `${m.message.text ?? ''} ${JSON.stringify(m.message.attachment ?? '')}`).join(' ');
          return typeof waitFor === 'string' ? words.includes(waitFor) : waitFor.test(words);
        };
        await fake.waitFor(holds, 10_000).catch(() => {
          throw new Error(`after "${text}" the OA said:\n${shown(before).map((m) => m.message.text).join('\n---\n')}`);
        });
        return shown(before);
      },
      buttons(sent: ZaloSent[]) {
        return sent.flatMap((m) => m.message.attachment?.payload.buttons ?? []);
      },
    };
  }

  it('when a citizen taps the menu and consent buttons and types the rest, then the petition is filed with the phone from the sentence', async () => {
    const c = chat('8309271548263501301');
    await c.send('xin chào', 'MENU_PETITION');
    const consent = await c.send('MENU_PETITION', 'CONSENT_YES');
    expect(consent.map((m) => m.message.text).join(' ')).not.toContain('chưa hiểu');
    await c.send('CONSENT_YES', 'KIND_FEEDBACK');
    await c.send('#KIND_FEEDBACK', 'CAT_LAND');
    await c.send('duong xa bi hong', 'thôn nào');
    await c.send('thon 1', 'mô tả');
    await c.send('Đường thôn 1 bị sụt lún một đoạn dài gần cầu, rất nguy hiểm.', 'ảnh');
    await c.send('không có ảnh', 'vị trí');
    await c.send('ko co', 'họ tên');
    await c.send('Nguyễn Văn An', 'điện thoại');
    const summary = await c.send('sdt em la 0912 345 678', 'PETITION_SEND');
    expect(summary.map((m) => m.message.text).join(' ')).toContain('+84912345678');
    const received = await c.send('PETITION_SEND', /PA-[A-Z0-9]{5}/);
    const code = /PA-[A-Z0-9]{5}/.exec(received.map((m) => m.message.text).join(' '))![0];
    expect(await stores.cases.findByCode(code)).toMatchObject({ category: 'infrastructure', village: 'Thôn 1', contact: expect.objectContaining({ phone: '+84912345678', name: 'Nguyễn Văn An' }) });
  });

  it('when a citizen books by typing a day and a time, then the appointment is on that day at that time', async () => {
    const userId = '8309271548263501302';
    const c = chat(userId);
    await c.send('cho em dat lich hen', 'CONSENT_YES');
    await c.send('uk', 'SERVICE_CIVIL');
    const days = c.buttons(await c.send('làm khai sinh', /\d{4}-\d{2}-\d{2}/));
    // The first open day, typed as people write it: "ngày 10/12 nhé"
    const first = days.find((b) => /^\d{4}-\d{2}-\d{2}$/.test(String(b.payload)))!;
    const [, mm, dd] = String(first.payload).split('-');
    const slots = c.buttons(await c.send(`ngày ${dd}/${mm} nhé`, /T\d{2}:\d{2}/));
    const slot = slots.find((b) => /T\d{2}:\d{2}$/.test(String(b.payload)))!;
    const [h, min] = String(slot.payload).slice(11).split(':');
    await c.send(`${Number(h)}h${min === '00' ? '' : min} ${Number(h) < 12 ? 'sáng' : 'chiều'} a`, 'họ tên');
    await c.send('Lê Thị Hoa', 'điện thoại');
    await c.send('so e 0987.654.321', 'xác nhận đặt lịch');
    await c.send('ok', 'LH-');
    const booked = await stores.appointments.listByPerson('zalo', userId, 0);
    expect(booked).toHaveLength(1);
    expect(booked[0]).toMatchObject({ phone: '+84987654321' });
    expect(JSON.stringify(booked[0])).toContain(String(slot.payload).slice(0, 10));
  });
});
