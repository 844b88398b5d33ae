import request from 'supertest';
import type { RunningApp } from '../../src/main';
import { createMemoryStores } from '../../src/store/memory';
import { signMessengerBody } from '../../src/channels/messenger';
import { SECRETS, startTestApp } from '../helpers/app';
import { startFakePlatforms } from '../helpers/fake-platforms';
import { deleteKeys, uniquePrefix } from '../helpers/redis';

/** A Messenger body for a typed text or a quick-reply tap, escaped as Meta writes it. */
function body(psid: string, mid: string, text: string, payload?: string): string {
  const esc = (s: string) => s.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const qr = payload ? `,"quick_reply":{"payload":"${payload}"}` : '';
  const now = Date.now();
  return `{"object":"page","entry":[{"id":"PAGE","time":${now},"messaging":[{"sender":{"id":"${psid}"},"recipient":{"id":"PAGE"},"timestamp":${now},"message":{"mid":"${mid}","text":"${esc(text)}"${qr}}}]}]}`;
}

describe('a petition from Messenger to the responsible official', () => {
  jest.setTimeout(60_000);

  it('when a citizen files a land petition for Thôn 1, then they get a code and a due date, the official for land in Thôn 1 is notified on their linked account, and the answer they write back reaches the citizen', async () => {
    const fake = await startFakePlatforms();
    const prefix = uniquePrefix();
    const stores = createMemoryStores();
    let app: (RunningApp & { url: string }) | undefined;
    try {
      app = await startTestApp({ prefix, fake, stores });
      // The land official linked their Messenger account and wrote today: their window is open.
      const official = await stores.officials.get('dia-chinh-1');
      await stores.officials.upsert({ ...official!, accounts: [{ channel: 'messenger', userId: 'psid-official-land' }] });
      await stores.conversations.touchInbound('messenger', 'psid-official-land', Date.now());

      const citizen = 'psid-citizen-1';
      const said = () => fake.sent('messenger').filter((r) => (r.body.recipient as { id: string }).id === citizen).map((r) => JSON.stringify(r.body.message));
      let n = 0;
      const send = async (text: string, payload?: string, waitFor?: string) => {
        const before = said().length;
        const raw = body(citizen, `m_pet_${++n}`, text, payload);
        const res = await request(app!.url).post('/webhooks/messenger').set('Content-Type', 'application/json').set('X-Hub-Signature-256', signMessengerBody(raw, SECRETS.MESSENGER_APP_SECRET)).send(raw);
        expect(res.status).toBe(200);
        await fake.waitFor(() => said().length > before && (!waitFor || said().slice(before).join(' ').includes(waitFor)), 10_000);
      };
      await send('Phản ánh, kiến nghị', 'MENU_PETITION', 'CONSENT_YES');
      await send('Đồng ý', 'CONSENT_YES', 'KIND_FEEDBACK');
      await send('Kiến nghị', 'KIND_PROPOSAL', 'CAT_LAND');
      await send('Đất đai', 'CAT_LAND');
      await send('thon 1');
      await send('Đề nghị xã đo đạc, cắm mốc lại lối đi chung của xóm vì nhà bên cạnh lấn sang từ tháng trước.');
      await send('Bỏ qua', 'SKIP');
      await send('Bỏ qua', 'SKIP');
      await send('Bỏ qua', 'SKIP');
      await send('0912 345 678', undefined, 'PETITION_SEND');
      await send('Gửi', 'PETITION_SEND', 'PA-');

      const confirmation = said().join(' ');
      const code = /PA-[A-Z0-9]{5}/.exec(confirmation)?.[0];
      expect(code).toBeDefined();
      expect(confirmation).toContain('Hạn trả lời');

      const toOfficial = () => fake.sent('messenger').filter((r) => (r.body.recipient as { id: string }).id === 'psid-official-land');
      await fake.waitFor(() => toOfficial().some((r) => JSON.stringify(r.body).includes(code!)), 15_000);
      const notice = toOfficial()[0].body;
      expect(notice.messaging_type).toBe('UPDATE');
      const stored = await stores.cases.findByCode(code!);
      // The official is told it is a kiến nghị; the case keeps the type apart from the citizen's words.
      expect(JSON.stringify(notice)).toMatch(/ki\\u1ebfn ngh\\u1ecb|kiến nghị/);
      expect(stored).toMatchObject({ petitionType: 'proposal', content: 'Đề nghị xã đo đạc, cắm mốc lại lối đi chung của xóm vì nhà bên cạnh lấn sang từ tháng trước.', assigneeId: 'dia-chinh-1', category: 'land', village: 'Thôn 1', status: 'assigned', contact: expect.objectContaining({ phone: '+84912345678' }) });

      // The official answers from their own chat; the citizen hears the answer.
      let m = 0;
      const officialWrites = async (text: string) => {
        const raw = body('psid-official-land', `m_off_${++m}`, text);
        const res = await request(app!.url).post('/webhooks/messenger').set('Content-Type', 'application/json').set('X-Hub-Signature-256', signMessengerBody(raw, SECRETS.MESSENGER_APP_SECRET)).send(raw);
        expect(res.status).toBe(200);
      };
      await officialWrites(`NHAN ${code}`);
      await fake.waitFor(() => toOfficial().some((r) => /nh\\u1eadn|nhận/i.test(JSON.stringify(r.body)) && JSON.stringify(r.body).includes(code!) && r !== toOfficial()[0]), 10_000);
      await officialWrites(`XONG ${code} Tổ công tác đã làm việc với hộ lấn chiếm, lối đi được trả lại từ hôm nay.`);
      await fake.waitFor(() => said().some((t) => t.includes('Tr\\u1ea3 l\\u1eddi c\\u1ee7a x\\u00e3') || t.includes('Trả lời của xã')), 15_000);
      expect((await stores.cases.findByCode(code!))?.status).toBe('resolved');
    } finally {
      await app?.stop();
      await fake.close();
      await deleteKeys(prefix);
    }
  });
});
