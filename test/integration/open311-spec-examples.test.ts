import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMParser, onWarningStopParsing, type Element } from '@xmldom/xmldom';
import request from 'supertest';
import { ADMIN_TOKEN, caseApiApp } from '../helpers/case-api-app';

// GeoReport v2 as its clients read it: the spec's own example calls, answered in XML (the spec's
// default) and JSON, compared element by element with the spec's example responses
// (test/fixtures/open311), parsed with a real XML parser that stops at the first warning.

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const SPEC = join(__dirname, '..', 'fixtures', 'open311');
/** Our one documented addition to the spec's request: the petition type, where the common extension puts it. */
const EXTENSION = /^service_requests\/request\/extended_attributes(\/|$)/;

function parseXml(text: string): Element {
  const doc = new DOMParser({ onError: onWarningStopParsing }).parseFromString(text, 'text/xml');
  if (!doc.documentElement) throw new Error('no root element');
  return doc.documentElement;
}

function children(el: Element): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as Element);
  return out;
}

/** Every element's path from the root, e.g. "services/service/service_code". */
function elementPaths(el: Element, prefix = ''): Set<string> {
  const here = prefix ? `${prefix}/${el.tagName}` : el.tagName;
  const out = new Set([here]);
  for (const c of children(el)) for (const p of elementPaths(c, here)) out.add(p);
  return out;
}

const LISTS = new Set(['services', 'service_requests', 'errors', 'attributes', 'values', 'endpoints', 'formats']);
/** The XML read back into the JSON shape: lists by the spec's plural names, leaves as text. */
function asJson(el: Element): unknown {
  const kids = children(el);
  if (LISTS.has(el.tagName)) return kids.map(asJson);
  if (kids.length === 0) return el.textContent ?? '';
  return Object.fromEntries(kids.map((k) => [k.tagName, asJson(k)]));
}
/** JSON with every leaf as the text XML carries (null and '' are both an empty element). */
function leavesAsText(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(leavesAsText);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, leavesAsText(x)]));
  return v === null ? '' : String(v);
}

function specExample(file: string): Element {
  return parseXml(readFileSync(join(SPEC, file), 'utf8'));
}

/** Asserts our XML answer has the spec example's root and no element the spec does not have there. */
function expectShapedLike(ours: Element, file: string): void {
  const spec = specExample(file);
  expect(ours.tagName).toBe(spec.tagName);
  const specPaths = elementPaths(spec);
  const extra = [...elementPaths(ours)].filter((p) => !specPaths.has(p) && !EXTENSION.test(p));
  expect(extra).toEqual([]);
}

async function published() {
  const api = await caseApiApp();
  const rubbish = await api.file({ category: 'environment', village: 'thon hai', content: 'Rác đổ ra mương cạnh đường.' });
  const lamp = await api.file({ petition_type: 'proposal', category: 'infrastructure', village: 'xóm Bến (nhà bà Hoa)', content: 'Đề nghị lắp đèn đường.' });
  const refused = await api.file({ category: 'land', village: 'thon hai', content: 'Tranh chấp ranh giới với nhà hàng xóm.' });
  await request(api.app).post(`/admin/api/cases/${rubbish}/resolve`).set(auth).send({ answer: 'Đã thu gom rác.' }).expect(200);
  await request(api.app).post(`/admin/api/cases/${refused}/reject`).set(auth).send({ reason: 'Việc dân sự giữa hai hộ: hoà giải ở thôn.' }).expect(200);
  return { ...api, rubbish, lamp, refused };
}

async function getXml(app: Parameters<typeof request>[0], path: string, status = 200): Promise<Element> {
  const r = await request(app).get(path);
  expect({ path, status: r.status }).toEqual({ path, status });
  expect(r.headers['content-type']).toMatch(/^text\/xml; charset=utf-8/);
  return parseXml(r.text);
}

describe('Open311 GeoReport v2, as the spec examples call it', () => {
  test('GET Service List: services.xml?jurisdiction_id=… is <services><service>… as in the spec, and says what services.json says', async () => {
    const { app } = await caseApiApp();
    const xml = await getXml(app, '/open311/v2/services.xml?jurisdiction_id=city.gov');
    expectShapedLike(xml, 'services.xml');
    expect(children(xml)).toHaveLength(11);
    const json = await request(app).get('/open311/v2/services.json?jurisdiction_id=city.gov').expect(200);
    expect(asJson(xml)).toEqual(leavesAsText(json.body));
  });

  test('GET Service Definition: services/{code}.xml is <service_definition> with the attribute and its values', async () => {
    const { app } = await caseApiApp();
    const xml = await getXml(app, '/open311/v2/services/environment.xml?jurisdiction_id=city.gov');
    expectShapedLike(xml, 'service-definition.xml');
    const json = await request(app).get('/open311/v2/services/environment.json').expect(200);
    expect(asJson(xml)).toEqual(leavesAsText(json.body));
    expect(json.body.attributes[0].values).toEqual([
      { key: 'feedback', name: 'Phản ánh' },
      { key: 'proposal', name: 'Kiến nghị' },
    ]);
  });

  test('GET Service Requests: the example query (start_date, end_date, status=open) in XML and JSON; the village is the address', async () => {
    const { app, lamp } = await published();
    const query = 'start_date=2026-03-01T00:00:00Z&end_date=2026-03-31T00:00:00Z&status=open';
    const xml = await getXml(app, `/open311/v2/requests.xml?${query}`);
    expectShapedLike(xml, 'requests.xml');
    const json = await request(app).get(`/open311/v2/requests.json?${query}`).expect(200);
    expect(json.body.map((x: { service_request_id: string }) => x.service_request_id)).toEqual([lamp]);
    expect(asJson(xml)).toEqual(leavesAsText(json.body));
    const all = (await request(app).get('/open311/v2/requests.json').expect(200)).body as Record<string, unknown>[];
    expect(all.find((x) => x.service_code === 'environment')).toMatchObject({ address: 'Thôn 2' });
    expect(all.some((x) => 'address_string' in x)).toBe(false);
  });

  test('GET Service Request: requests/{id}.xml is one <request> inside <service_requests>', async () => {
    const { app, rubbish } = await published();
    const xml = await getXml(app, `/open311/v2/requests/${rubbish}.xml?jurisdiction_id=city.gov`);
    expectShapedLike(xml, 'requests.xml');
    expect(asJson(xml)).toEqual([expect.objectContaining({ service_request_id: rubbish, status: 'closed', address: 'Thôn 2', extended_attributes: { petition_type: 'feedback' } })]);
  });

  test('when a path has no extension, then it is answered in XML, the spec default', async () => {
    const { app } = await caseApiApp();
    expectShapedLike(await getXml(app, '/open311/v2/services'), 'services.xml');
  });

  test('when a petition was refused, then its status_notes say so and differ from a resolved one', async () => {
    const { app, rubbish, refused } = await published();
    const byId = async (id: string) => (await request(app).get(`/open311/v2/requests/${id}.json`).expect(200)).body[0];
    const [resolved, rejected] = [await byId(rubbish), await byId(refused)];
    expect(resolved).toMatchObject({ status: 'closed', status_notes: 'Đã giải quyết' });
    expect(rejected).toMatchObject({ status: 'closed', status_notes: 'Từ chối (không tiếp nhận)' });
    // The refusal's reason stays out: it is words an official wrote about people.
    expect(JSON.stringify(rejected)).not.toContain('hoà giải');
  });

  test('when a form sends blank parameters (status=, service_code=, start_date=…), then they count as absent', async () => {
    const { app } = await published();
    const ids = async (q: string) => (await request(app).get(`/open311/v2/requests.json?${q}`).expect(200)).body.map((x: { service_request_id: string }) => x.service_request_id);
    const all = await ids('');
    expect(all).toHaveLength(3);
    expect(await ids('status=&service_code=&start_date=&end_date=&service_request_id=&jurisdiction_id=')).toEqual(all);
    expect(await ids('status=%20&service_code=,')).toEqual(all);
  });

  test('when service_request_id is given, then it overrides every other filter', async () => {
    const { app, rubbish, lamp } = await published();
    const r = await request(app).get(`/open311/v2/requests.json?service_request_id=${rubbish},${lamp}&status=open&service_code=land&start_date=2030-01-01T00:00:00Z`).expect(200);
    expect(r.body.map((x: { service_request_id: string }) => x.service_request_id)).toEqual([lamp, rubbish]);
  });

  test('Service Discovery: discovery.xml and .json name the v2 endpoint and its two formats, and that endpoint answers', async () => {
    const { app } = await caseApiApp();
    for (const path of ['/open311/discovery.xml', '/open311/v2/discovery.xml']) expectShapedLike(await getXml(app, path), 'discovery.xml');
    const json = (await request(app).get('/open311/discovery.json').expect(200)).body;
    expect(json.endpoints).toEqual([
      { specification: 'http://wiki.open311.org/GeoReport_v2', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/open311\/v2$/), changeset: expect.any(String), type: 'production', formats: ['text/xml', 'application/json'] },
    ]);
    const path = new URL(`${json.endpoints[0].url}/services.xml`).pathname;
    expectShapedLike(await getXml(app, path), 'services.xml');
  });

  test('errors anywhere under /open311 are the spec’s <errors><error><code/><description/> (XML) or [{code, description}] (JSON)', async () => {
    const { app } = await published();
    const cases: [string, string, number][] = [
      ['get', '/open311/v2/requests.xml?status=pending', 400],
      ['get', '/open311/v2/requests.xml?start_date=yesterday', 400],
      ['get', '/open311/v2/requests/PA-22222.xml', 404],
      ['get', '/open311/v2/services/complaint.xml', 404],
      ['get', '/open311/v2/tokens/abc.xml', 404],
      ['get', '/open311/v3/services.xml', 404],
      ['get', '/open311/v2/services.csv', 404],
      ['post', '/open311/v2/requests.xml', 405],
      ['delete', '/open311/v2/requests/PA-22222.xml', 405],
    ];
    for (const [method, path, status] of cases) {
      const r = method === 'get' ? await request(app).get(path) : method === 'post' ? await request(app).post(path) : await request(app).delete(path);
      expect({ path, status: r.status }).toEqual({ path, status });
      const xml = parseXml(r.text);
      expectShapedLike(xml, 'errors.xml');
      expect(asJson(xml)).toEqual([{ code: String(status), description: expect.any(String) }]);
      const json = method === 'get' ? await request(app).get(path.replace('.xml', '.json')) : await request(app).post(path.replace('.xml', '.json'));
      if (!path.endsWith('.csv')) expect(json.body).toEqual([{ code: json.status, description: expect.any(String) }]);
    }
    const post = await request(app).post('/open311/v2/requests.json').set('Content-Type', 'application/x-www-form-urlencoded').send('service_code=land&lat=1&long=2');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD, OPTIONS');
  });

  test('when an open-data page in a browser reads it, then GET answers allow any origin and the preflight is answered', async () => {
    const { app } = await caseApiApp();
    const r = await request(app).get('/open311/v2/services.json').set('Origin', 'https://data.example.org').expect(200);
    expect(r.headers['access-control-allow-origin']).toBe('*');
    const missing = await request(app).get('/open311/v2/requests/PA-22222.json').set('Origin', 'https://data.example.org');
    expect(missing.headers['access-control-allow-origin']).toBe('*');
    const preflight = await request(app).options('/open311/v2/requests.xml').set('Origin', 'https://data.example.org').set('Access-Control-Request-Method', 'GET');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, HEAD, OPTIONS');
  });

  test('when a value holds XML markup, then the XML stays well formed', async () => {
    const { escapeXml } = await import('../../src/admin/api/open311-xml');
    const { toXmlDocument } = await import('../../src/admin/api/open311-xml');
    const text = 'a < b & "c" \u0001 </services>';
    const el = parseXml(toXmlDocument('errors', [{ code: 400, description: text }]));
    expect(asJson(el)).toEqual([{ code: '400', description: 'a < b & "c"  </services>' }]);
    expect(escapeXml('<&>')).toBe('&lt;&amp;&gt;');
  });
});
