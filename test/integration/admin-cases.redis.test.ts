import request from 'supertest';
import { ADMIN_TOKEN, CITIZEN, caseApiApp } from '../helpers/case-api-app';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const DAY = 86_400_000;

async function threeCases() {
  const api = await caseApiApp();
  const land = await api.file({ category: 'land', village: 'thon mot', content: 'Nhà bên cạnh lấn sang lối đi chung khoảng 1 mét.' });
  const rubbish = await api.file({ category: 'environment', village: 'Thôn 2', content: 'Rác thải đổ ven đường liên thôn gần cầu.' });
  const lamp = await api.file({ petition_type: 'proposal', category: 'infrastructure', village: 'Thôn 4', content: 'Đề nghị lắp đèn đường ở đoạn đường ra đồng.' });
  return { ...api, land, rubbish, lamp };
}

describe('/admin/api/cases', () => {
  test('when there is no token or a wrong one, then 401 and nothing is shown', async () => {
    const { app, land } = await threeCases();
    const none = await request(app).get('/admin/api/cases');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('UNAUTHORIZED');
    expect((await request(app).get(`/admin/api/cases/${land}`).set({ Authorization: 'Bearer not-the-token-at-all' })).status).toBe(401);
    expect((await request(app).post(`/admin/api/cases/${land}/resolve`).send({ answer: 'x' })).status).toBe(401);
  });

  test('when listed with filters, then only the matching cases come back, oldest first, without content or contact', async () => {
    const { app, land, rubbish, lamp } = await threeCases();
    const all = await request(app).get('/admin/api/cases').set(auth);
    expect(all.status).toBe(200);
    expect(all.body.cases.map((c: { code: string }) => c.code)).toEqual([land, rubbish, lamp]);
    expect(JSON.stringify(all.body)).not.toMatch(/Lê Văn Tám|\+84912345678|lấn sang/);

    const codes = async (query: string) => (await request(app).get(`/admin/api/cases?${query}`).set(auth)).body.cases.map((c: { code: string }) => c.code);
    expect(await codes('category=land')).toEqual([land]);
    expect(await codes(`village=${encodeURIComponent('thôn Hai')}`)).toEqual([rubbish]);
    expect(await codes('assignee=truong-thon-4')).toEqual([lamp]);
    expect(await codes('status=assigned,in_progress')).toEqual([land, rubbish, lamp]);
    expect(await codes('status=resolved')).toEqual([]);
  });

  test('when filtered by type, then only kiến nghị or only phản ánh come back, each item naming its type; another type is refused', async () => {
    const { app, land, rubbish, lamp } = await threeCases();
    const list = async (query: string) => (await request(app).get(`/admin/api/cases?${query}`).set(auth)).body.cases as { code: string; petitionType: string }[];
    expect(await list('type=proposal')).toEqual([expect.objectContaining({ code: lamp, petitionType: 'proposal' })]);
    expect((await list('type=feedback')).map((c) => c.code)).toEqual([land, rubbish]);
    expect((await list('type=proposal&category=land'))).toEqual([]);
    const bad = await request(app).get('/admin/api/cases?type=complaint').set(auth);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });

  test('when the cases are exported, then the CSV has the type, the category and the assignee in words beside their codes, and the type filter applies', async () => {
    const { app, land, lamp } = await threeCases();
    const csv = async (query: string) => (await request(app).get(`/admin/api/cases.csv${query}`).set(auth).buffer(true)).text;
    const lines = (await csv('')).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('"code","kind","petition_type","category","category_name","village","status","status_name","assignee","assignee_name","created_at","due_at","overdue","closed_at","rating"');
    expect(lines.find((l) => l.startsWith(`"${land}"`))).toMatch(/^"PA-\w+","petition","Phản ánh","land","Đất đai \(tranh chấp, lấn chiếm, cấp sổ\)","Thôn 1",/);
    expect(lines.find((l) => l.startsWith(`"${lamp}"`))).toMatch(/^"PA-\w+","petition","Kiến nghị","infrastructure","Hạ tầng, giao thông, điện, thủy lợi",/);
    // The assignee by name and role beside the id a script reads.
    expect(lines.find((l) => l.startsWith(`"${lamp}"`))).toContain('"truong-thon-4","Ví dụ: Mai Văn Q — Trưởng thôn 4 — Trưởng thôn"');
    const proposals = (await csv('?type=proposal')).trim().split('\r\n');
    expect(proposals).toHaveLength(2);
    expect(proposals[1]).toContain(lamp);
  });

  test('when one case is resolved and another rejected, then the list filters and the CSV tell them apart', async () => {
    const { app, land, rubbish, lamp } = await threeCases();
    await request(app).post(`/admin/api/cases/${rubbish}/resolve`).set(auth).send({ answer: 'Đã thu gom.' }).expect(200);
    await request(app).post(`/admin/api/cases/${land}/reject`).set(auth).send({ reason: 'Việc thuộc thẩm quyền của tòa án.' }).expect(200);
    const codes = async (query: string) => (await request(app).get(`/admin/api/cases?${query}`).set(auth)).body.cases.map((c: { code: string }) => c.code);
    expect(await codes('status=resolved')).toEqual([rubbish]);
    expect(await codes('status=rejected')).toEqual([land]);
    expect(await codes('status=resolved,rejected')).toEqual([land, rubbish]);
    expect(await codes('status=received,assigned,in_progress,transferred')).toEqual([lamp]);
    const text = (await request(app).get('/admin/api/cases.csv?status=resolved,rejected').set(auth).buffer(true)).text;
    const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.startsWith(`"${rubbish}"`))).toMatch(/,"resolved","Đã giải quyết",.*,"\d{4}-\d\d-\d\dT[^"]+",""$/);
    expect(lines.find((l) => l.startsWith(`"${land}"`))).toMatch(/,"rejected","Từ chối \(không tiếp nhận\)",/);
  });

  test('when an old case carries its type as "[Kiến nghị] " ahead of the content, then the detail shows the content without it', async () => {
    const api = await caseApiApp();
    const old = await api.cases.create({
      kind: 'petition', petitionType: 'proposal', category: 'infrastructure', village: 'Thôn 4', content: '[Kiến nghị] Đề nghị lắp đèn đường.', attachments: [],
      channel: 'zalo', userId: 'u-old', status: 'received', dueAt: 2, createdAt: 1, history: [{ at: 1, by: 'citizen', what: 'received' }],
    });
    const r = await request(api.app).get(`/admin/api/cases/${old.code}`).set(auth);
    expect(r.body.case).toMatchObject({ petitionType: 'proposal', content: 'Đề nghị lắp đèn đường.' });
  });

  test('when overdue=true, then only open cases past their due date are listed', async () => {
    const { app, land, rubbish, setClock, now } = await threeCases();
    expect((await request(app).get('/admin/api/cases?overdue=true').set(auth)).body.cases).toEqual([]);
    await request(app).post(`/admin/api/cases/${rubbish}/resolve`).set(auth).send({ answer: 'Đã thu gom.' }).expect(200);
    setClock(now() + 30 * DAY);
    const overdue = await request(app).get('/admin/api/cases?overdue=true').set(auth);
    expect(overdue.body.cases.map((c: { code: string }) => c.code)).toContain(land);
    expect(overdue.body.cases.map((c: { code: string }) => c.code)).not.toContain(rubbish);
    expect(overdue.body.cases[0].overdue).toBe(true);
  });

  test('when a page limit is given, then the cursor leads to the next page', async () => {
    const { app, land, rubbish, lamp } = await threeCases();
    const first = await request(app).get('/admin/api/cases?limit=2').set(auth);
    expect(first.body.cases.map((c: { code: string }) => c.code)).toEqual([land, rubbish]);
    const second = await request(app).get(`/admin/api/cases?limit=2&cursor=${first.body.next}`).set(auth);
    expect(second.body.cases.map((c: { code: string }) => c.code)).toEqual([lamp]);
    expect(second.body.next).toBeUndefined();
    expect((await request(app).get('/admin/api/cases?cursor=bm9wZQ').set(auth)).status).toBe(400);
  });

  test('when a query carries an operator, an array or an unknown key, then 400 VALIDATION_FAILED', async () => {
    const { app } = await threeCases();
    for (const query of ['assignee[$gt]=', 'assignee[$ne]=x', 'status[$in]=resolved', 'assignee=a&assignee=b', 'village=x&where=1', 'status=closed', 'limit=9999', 'overdue=yes']) {
      const r = await request(app).get(`/admin/api/cases?${query}`).set(auth);
      expect({ query, status: r.status, code: r.body.error?.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
    }
  });

  test('when a body carries an operator instead of a string, then 400 and the case is unchanged', async () => {
    const { app, land, cases } = await threeCases();
    const r = await request(app).post(`/admin/api/cases/${land}/assign`).set(auth).send({ officialId: { $gt: '' } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
    expect((await cases.findByCode(land))?.version).toBe(1);
  });

  test('the detail shows the content, the contact and the history', async () => {
    const { app, land } = await threeCases();
    const r = await request(app).get(`/admin/api/cases/${land.toLowerCase()}`).set(auth);
    expect(r.status).toBe(200);
    expect(r.body.case).toMatchObject({
      code: land,
      village: 'Thôn 1',
      status: 'assigned',
      assigneeId: 'dia-chinh-1',
      petitionType: 'feedback',
      content: 'Nhà bên cạnh lấn sang lối đi chung khoảng 1 mét.',
      contact: { name: 'Lê Văn Tám', phone: '+84912345678' },
      history: [
        { by: 'citizen', what: 'received' },
        { by: 'system', what: 'assigned', officialId: 'dia-chinh-1' },
      ],
    });
    expect(r.body.case.userId).toBeUndefined();
  });

  test('when a case is assigned, noted and resolved, then each step is in its history by the admin', async () => {
    const { app, land } = await threeCases();
    const assigned = await request(app).post(`/admin/api/cases/${land}/assign`).set(auth).send({ officialId: 'dia-chinh-2', note: 'Thửa đất thuộc thôn 3.' });
    expect(assigned.status).toBe(200);
    expect(assigned.body.case).toMatchObject({ assigneeId: 'dia-chinh-2', status: 'assigned' });
    expect(assigned.body.notices).toContainEqual({ to: 'official', officialId: 'dia-chinh-2', kind: 'assigned' });
    await request(app).post(`/admin/api/cases/${land}/note`).set(auth).send({ note: 'Đã gọi điện hẹn xác minh.' }).expect(200);
    const resolved = await request(app).post(`/admin/api/cases/${land}/resolve`).set(auth).send({ answer: 'Đã xác minh và yêu cầu trả lại lối đi.' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.case).toMatchObject({ status: 'resolved', resolution: { answer: 'Đã xác minh và yêu cầu trả lại lối đi.', by: 'admin' } });
    expect(resolved.body.case.history.slice(2).map((e: { by: string; what: string }) => `${e.by}:${e.what}`)).toEqual(['admin:assigned', 'admin:note', 'admin:resolved']);
  });

  test('when the case is transferred or rejected, then the change is made; a reason is required', async () => {
    const { app, rubbish, lamp } = await threeCases();
    const moved = await request(app).post(`/admin/api/cases/${rubbish}/transfer`).set(auth).send({ officialId: 'cong-an-xa', note: 'Đổ trộm ban đêm.' });
    expect(moved.body.case).toMatchObject({ status: 'transferred', assigneeId: 'cong-an-xa' });
    const blank = await request(app).post(`/admin/api/cases/${lamp}/reject`).set(auth).send({ reason: '   ' });
    expect(blank.status).toBe(400);
    expect(blank.body.error.code).toBe('INVALID_CASE_INPUT');
    expect(blank.body.error.problems).toEqual([{ message: 'reason: too_short' }]);
    const rejected = await request(app).post(`/admin/api/cases/${lamp}/reject`).set(auth).send({ reason: 'Đoạn đường thuộc dự án của huyện.' });
    expect(rejected.body.case.status).toBe('rejected');
  });

  test('when the code is wrong, then 404 CASE_NOT_FOUND with a message, for reads and changes alike', async () => {
    const { app } = await threeCases();
    for (const r of [
      await request(app).get('/admin/api/cases/PA-22222').set(auth),
      await request(app).get('/admin/api/cases/not-a-code').set(auth),
      await request(app).post('/admin/api/cases/PA-22222/resolve').set(auth).send({ answer: 'Đã xử lý.' }),
    ]) {
      expect(r.status).toBe(404);
      expect(r.body.error).toEqual({ code: 'CASE_NOT_FOUND', message: 'Không có hồ sơ với mã này.' });
    }
  });

  test('when a closed case is changed, then 409 CASE_CLOSED and nothing changes', async () => {
    const { app, land, cases } = await threeCases();
    await request(app).post(`/admin/api/cases/${land}/resolve`).set(auth).send({ answer: 'Đã xử lý.' }).expect(200);
    const version = (await cases.findByCode(land))?.version;
    for (const [path, body] of [
      ['resolve', { answer: 'Lần nữa.' }],
      ['assign', { officialId: 'dia-chinh-2' }],
      ['note', { note: 'Ghi chú muộn.' }],
    ] as const) {
      const r = await request(app).post(`/admin/api/cases/${land}/${path}`).set(auth).set('Accept-Language', 'en').send(body);
      expect({ path, status: r.status, code: r.body.error.code }).toEqual({ path, status: 409, code: 'CASE_CLOSED' });
      expect(r.body.error.message).toMatch(/closed/);
    }
    expect((await cases.findByCode(land))?.version).toBe(version);
  });

  test('when the official is unknown or already holds the case, then 400 UNKNOWN_OFFICIAL or 409 ALREADY_ASSIGNED', async () => {
    const { app, land } = await threeCases();
    const unknown = await request(app).post(`/admin/api/cases/${land}/assign`).set(auth).send({ officialId: 'nobody' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('UNKNOWN_OFFICIAL');
    const same = await request(app).post(`/admin/api/cases/${land}/assign`).set(auth).send({ officialId: 'dia-chinh-1' });
    expect(same.status).toBe(409);
    expect(same.body.error.code).toBe('ALREADY_ASSIGNED');
  });

  test('when the body is not JSON, then 400 MALFORMED_JSON', async () => {
    const { app, land } = await threeCases();
    const r = await request(app).post(`/admin/api/cases/${land}/note`).set(auth).set('Content-Type', 'application/json').send('{"note": ');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('MALFORMED_JSON');
  });
});

describe('/admin/api/cases/:code: the conversation it came from', () => {
  test('when an official opens a case, then they see the chat that led to it, and nothing the citizen wrote after', async () => {
    const api = await caseApiApp();
    const key = `${CITIZEN.channel}:${CITIZEN.userId}`;
    const t = api.now();
    await api.conversations.appendTranscript(key, { direction: 'in', at: t - 120_000, id: 'm1', text: 'phan anh rac thai' });
    await api.conversations.appendTranscript(key, { direction: 'out', at: t - 119_000, id: 'r1', text: 'Ông/bà vui lòng mô tả sự việc.', status: 'sent' });
    await api.conversations.appendTranscript(key, { direction: 'in', at: t - 60_000, id: 'm2', text: 'Rác thải đổ ven đường liên thôn gần cầu.' });
    const code = await api.file({ category: 'environment', village: 'Thôn 2', content: 'Rác thải đổ ven đường liên thôn gần cầu.' });
    await api.conversations.appendTranscript(key, { direction: 'in', at: t + 3_600_000, id: 'm3', text: 'thu tuc khai sinh' });

    const res = await request(api.app).get(`/admin/api/cases/${code}`).set(auth);
    expect(res.status).toBe(200);
    expect(res.body.case.conversation).toEqual([
      { direction: 'in', at: t - 120_000, text: 'phan anh rac thai' },
      { direction: 'out', at: t - 119_000, text: 'Ông/bà vui lòng mô tả sự việc.' },
      { direction: 'in', at: t - 60_000, text: 'Rác thải đổ ven đường liên thôn gần cầu.' },
    ]);
  });
});
