import request from 'supertest';
import { ADMIN_TOKEN, CITIZEN, PHONE, caseApiApp } from '../helpers/case-api-app';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const CONTENT = 'Nhà ông Tư số 12 đổ rác ra mương, gọi tôi 0912 345 678 khi xử lý.';

async function published() {
  const api = await caseApiApp();
  const rubbish = await api.file({ category: 'environment', village: 'thon hai', content: CONTENT, photo: 'https://cdn.example/p.jpg', location: { lat: 19.93, lng: 105.88 } });
  const lamp = await api.file({ petition_type: 'proposal', category: 'infrastructure', village: 'xóm Bến (nhà bà Hoa)', content: 'Đề nghị lắp đèn đường ở đoạn đường ra đồng.' });
  await request(api.app).post(`/admin/api/cases/${rubbish}/resolve`).set(auth).send({ answer: 'Đã xử phạt hộ ông Tư và thu gom rác.' }).expect(200);
  return { ...api, rubbish, lamp };
}

describe('/open311/v2', () => {
  test('services.json lists every case category as a realtime service whose definition asks the petition type', async () => {
    const { app } = await caseApiApp();
    const r = await request(app).get('/open311/v2/services.json');
    expect(r.status).toBe(200);
    expect(r.body).toHaveLength(11);
    expect(r.body[0]).toEqual({
      service_code: 'land',
      service_name: 'Đất đai (tranh chấp, lấn chiếm, cấp sổ)',
      description: 'Đất đai (tranh chấp, lấn chiếm, cấp sổ) (Land (disputes, encroachment, certificates))',
      metadata: true,
      type: 'realtime',
      keywords: expect.stringContaining('đất đai'),
      group: 'Phản ánh, kiến nghị',
    });
  });

  test('a service definition asks phản ánh or kiến nghị as the required singlevaluelist attribute petition_type; an unknown service is 404', async () => {
    const { app } = await caseApiApp();
    const r = await request(app).get('/open311/v2/services/environment.json');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      service_code: 'environment',
      attributes: [
        {
          variable: true,
          code: 'petition_type',
          datatype: 'singlevaluelist',
          required: true,
          datatype_description: null,
          order: 1,
          description: expect.stringContaining('Phản ánh'),
          values: [
            { key: 'feedback', name: 'Phản ánh' },
            { key: 'proposal', name: 'Kiến nghị' },
          ],
        },
      ],
    });
    const missing = await request(app).get('/open311/v2/services/complaint.json');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual([{ code: 404, description: 'no service complaint' }]);
  });

  test('requests.json publishes status, category, a known village and dates in Vietnam time, newest first', async () => {
    const { app, rubbish, lamp } = await published();
    const r = await request(app).get('/open311/v2/requests.json');
    expect(r.status).toBe(200);
    expect(r.body).toEqual([
      {
        service_request_id: lamp,
        status: 'open',
        service_name: 'Hạ tầng, giao thông, điện, thủy lợi',
        service_code: 'infrastructure',
        agency_responsible: 'UBND xã',
        requested_datetime: '2026-03-02T09:01:00+07:00',
        updated_datetime: '2026-03-02T09:01:00+07:00',
        expected_datetime: '2026-03-16T17:00:00+07:00',
        extended_attributes: { petition_type: 'proposal' },
      },
      {
        service_request_id: rubbish,
        status: 'closed',
        status_notes: 'Đã giải quyết',
        service_name: 'Môi trường (rác, chăn nuôi, đốt rơm)',
        service_code: 'environment',
        agency_responsible: 'UBND xã',
        requested_datetime: '2026-03-02T09:00:00+07:00',
        updated_datetime: '2026-03-02T09:02:00+07:00',
        expected_datetime: '2026-03-16T17:00:00+07:00',
        address: 'Thôn 2',
        extended_attributes: { petition_type: 'feedback' },
      },
    ]);
  });

  test('when the output is read whole, then it holds no phone, no content, no answer, no chat id, no name and no official', async () => {
    const { app, rubbish } = await published();
    const bodies = [
      (await request(app).get('/open311/v2/requests.json')).text,
      (await request(app).get(`/open311/v2/requests/${rubbish}.json`)).text,
    ];
    for (const text of bodies) {
      for (const secret of [PHONE, '0912 345 678', CONTENT, 'ông Tư', 'Đã xử phạt', CITIZEN.userId, 'zalo', 'Lê Văn Tám', 'truong-thon', 'Ví dụ', 'nhà bà Hoa', 'cdn.example', '19.93']) {
        expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
      }
    }
  });

  test('requests.json filters by service_code, status and dates', async () => {
    const { app, rubbish, lamp } = await published();
    const ids = async (query: string) => (await request(app).get(`/open311/v2/requests.json?${query}`)).body.map((x: { service_request_id: string }) => x.service_request_id);
    expect(await ids('service_code=environment')).toEqual([rubbish]);
    expect(await ids('service_code=environment,infrastructure')).toEqual([lamp, rubbish]);
    expect(await ids('status=open')).toEqual([lamp]);
    expect(await ids('status=closed')).toEqual([rubbish]);
    expect(await ids('start_date=2026-03-02T09:00:30%2B07:00')).toEqual([lamp]);
    expect(await ids('end_date=2026-03-02T09:00:30%2B07:00')).toEqual([rubbish]);
    expect(await ids('start_date=2026-04-01T00:00:00Z')).toEqual([]);
    expect(await ids(`service_request_id=${lamp.toLowerCase()}`)).toEqual([lamp]);
  });

  test('when a filter is malformed or an operator, then 400 in the Open311 error format', async () => {
    const { app } = await published();
    for (const query of ['status=pending', 'start_date=yesterday', 'service_code=a&service_code=b', 'status=open&status=closed']) {
      const r = await request(app).get(`/open311/v2/requests.json?${query}`);
      expect({ query, status: r.status }).toEqual({ query, status: 400 });
      expect(r.body[0]).toMatchObject({ code: 400, description: expect.any(String) });
    }
  });

  test('when a key is unknown (status[$ne], api_key), then it is ignored, never applied as an operator', async () => {
    const { app } = await published();
    const r = await request(app).get('/open311/v2/requests.json?status[$ne]=open&api_key=x');
    expect(r.status).toBe(200);
    expect(r.body).toHaveLength(2);
  });

  test('requests/{id}.json answers one request in a list, and 404 for an unknown code', async () => {
    const { app, rubbish } = await published();
    const one = await request(app).get(`/open311/v2/requests/${rubbish}.json`);
    expect(one.status).toBe(200);
    expect(one.body).toHaveLength(1);
    expect(one.body[0]).toMatchObject({ service_request_id: rubbish, status: 'closed', address: 'Thôn 2' });
    const missing = await request(app).get('/open311/v2/requests/PA-22222.json');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual([{ code: 404, description: 'no service request PA-22222' }]);
  });
});
