import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { VIETNAM_OFFSET_MS } from '../../civic/calendar/vietnam-time';
import { CASE_CATEGORIES, caseCategoryName, isCaseCategoryId } from '../../civic/cases/categories';
import { PETITION_TYPE_LIST } from '../../civic/cases/petition-types';
import { findVillage, type RoutingRules } from '../../civic/officials/routing-rules';
import { silentLogger, type Logger } from '../../shared/logger';
import { CLOSED_CASE_STATUSES, normalizeCaseCode, type Case, type CaseStatus, type CaseStore } from '../../store/ports/cases';
import { toXmlDocument, type XmlValue } from './open311-xml';

export interface Open311Deps {
  cases: CaseStore;
  /**
   * The commune's villages: a case's village is published (as `address`) only when it is one
   * of them, never free text a citizen typed. Without it, no address is published.
   */
  routing?: RoutingRules;
  /** agency_responsible; default 'UBND xã' */
  agency?: string;
  /** the clock of the default date window; default Date.now */
  now?: () => number;
  /** where a failed request is logged; default silent */
  log?: Logger;
}

/** The most requests one answer lists (GeoReport v2 lets a server cap it; 1000 is its usual cap). */
export const OPEN311_MAX_REQUESTS = 1000;
/** Without start_date/end_date, the last 90 days (as GeoReport v2 suggests). */
const DEFAULT_WINDOW_MS = 90 * 24 * 60 * 60 * 1000;
const PAGE = 500;

const GROUP = 'Phản ánh, kiến nghị';
const KEYWORDS: Record<string, string> = {
  land: 'đất đai, tranh chấp, lấn chiếm, sổ đỏ',
  land_clearance: 'bồi thường, giải phóng mặt bằng',
  environment: 'môi trường, rác, chăn nuôi, đốt rơm',
  public_order: 'an ninh, trật tự',
  infrastructure: 'đường, giao thông, điện, thủy lợi',
  social_policy: 'hộ nghèo, bảo hiểm y tế, trợ cấp, người có công',
  illegal_building: 'xây dựng trái phép',
  staff_conduct: 'cán bộ, thủ tục hành chính',
  dykes_disasters: 'đê điều, thiên tai, bão lũ',
  fishing: 'nghề cá, tàu thuyền',
  other: 'khác',
};

/**
 * The petition type as a GeoReport v2 attribute of every service: the service stays the category
 * (what routing and the catalogue of services are keyed by), and "phản ánh or kiến nghị" is the one
 * question each service asks, as a service definition's singlevaluelist.
 */
export const PETITION_TYPE_ATTRIBUTE = {
  variable: true,
  code: 'petition_type',
  datatype: 'singlevaluelist',
  required: true,
  datatype_description: null,
  order: 1,
  description: 'Phản ánh (báo một sự việc, vấn đề) hay kiến nghị (đề xuất xã làm một việc)? — Feedback (a problem reported) or proposal (something the commune should do)?',
  values: PETITION_TYPE_LIST.map((t) => ({ key: t.id, name: t.vi })),
} as const;

/** ISO 8601 in Vietnam time: "2026-03-02T09:00:00+07:00". */
export function isoVietnam(t: number): string {
  return new Date(t + VIETNAM_OFFSET_MS).toISOString().replace(/\.\d{3}Z$/, '+07:00');
}

// Form-built clients send every field, blank ones too: a blank parameter is an absent one.
const blankIsAbsent = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const isoDate = z.preprocess(
  blankIsAbsent,
  z
    .string()
    .max(40)
    .refine((s) => /^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s)), { message: 'must be an ISO 8601 date' })
    .transform((s) => Date.parse(s))
    .optional(),
);
const list = (max: number) =>
  z
    .string()
    .max(max)
    .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0));
const requestsQuery = z.object({
  service_code: z.preprocess(blankIsAbsent, list(500).optional()),
  status: z.preprocess(blankIsAbsent, list(20).pipe(z.array(z.enum(['open', 'closed']))).optional()),
  start_date: isoDate,
  end_date: isoDate,
  service_request_id: z.preprocess(blankIsAbsent, list(2000).optional()),
  jurisdiction_id: z.string().max(200).optional(),
});
/** A list of nothing but commas is as blank as an empty one. */
const nonEmpty = <T>(xs: T[] | undefined): T[] | undefined => (xs !== undefined && xs.length > 0 ? xs : undefined);

type Format = 'xml' | 'json';
type Route = 'discovery' | 'services' | 'service' | 'requests' | 'request';
const ROUTES: [RegExp, Route][] = [
  [/^\/(?:v2\/)?discovery$/, 'discovery'],
  [/^\/v2\/services$/, 'services'],
  [/^\/v2\/services\/[^/]+$/, 'service'],
  [/^\/v2\/requests$/, 'requests'],
  [/^\/v2\/requests\/[^/]+$/, 'request'],
];
const DISCOVERY_CHANGESET = '2026-12-08 00:00';
const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';

/** Sends a GeoReport v2 answer: JSON as is, XML under the spec's root element. */
function send(res: Response, format: Format, root: string, value: XmlValue, status = 200): void {
  res.status(status);
  if (format === 'json') res.json(value);
  else res.type('text/xml').send(toXmlDocument(root, value));
}

/** The spec's error form, `[{code, description}]` in JSON and `<errors><error>…` in XML. */
function sendError(res: Response, format: Format, status: number, description: string): void {
  send(res, format, 'errors', [{ code: status, description }], status);
}

function statusOf(s: CaseStatus): 'open' | 'closed' {
  return CLOSED_CASE_STATUSES.includes(s) ? 'closed' : 'open';
}

/** What a closed request's status_notes say, so a refused petition never reads as a resolved one. */
const CLOSED_NOTES: Partial<Record<CaseStatus, string>> = {
  resolved: 'Đã giải quyết',
  rejected: 'Từ chối (không tiếp nhận)',
};

/**
 * Splits `/v2/requests/PA-12345.xml` into the path and its format. XML is the spec's default: a
 * path without an extension is answered in XML; an extension other than .xml or .json is null.
 */
function splitFormat(path: string): { path: string; format: Format | null } {
  const m = /^(.*\/[^/.]*)(?:\.([^/]*))?$/.exec(path);
  if (!m) return { path, format: 'xml' };
  const ext = m[2]?.toLowerCase();
  return { path: m[1] ?? path, format: ext === undefined || ext === 'xml' ? 'xml' : ext === 'json' ? 'json' : null };
}

/**
 * GeoReport v2 (Open311) read endpoints over the commune's petitions, for open data, each in
 * `.xml` (the spec's default) and `.json`: the service discovery document
 * (`/open311/discovery.{xml,json}`, also under `/open311/v2/`), `/open311/v2/services`,
 * `/open311/v2/services/{service_code}` (the definition: the petition type as attribute
 * `petition_type`), `/open311/v2/requests`, `/open311/v2/requests/{code}`. Read-only: every other
 * method is 405, every other path 404, both in the spec's error form; GET answers carry a CORS
 * header for open-data readers in browsers.
 * No token: what is published holds no personal data. Left out on purpose: the content (citizens
 * write names and phone numbers in it), photos and pins (they show people and homes), the contact,
 * chat ids, officials, and a rejection's reason. Published: category (the service), the petition
 * type (`extended_attributes.petition_type`), a known village (`address`), status, dates, the due
 * date, whether a closed case was resolved or refused (`status_notes`).
 */
export function createOpen311Router(deps: Open311Deps): Router {
  const { cases, routing, agency = 'UBND xã', now = Date.now, log = silentLogger } = deps;
  const router = express.Router();

  const toRequest = (c: Case) => {
    const village = routing ? findVillage(routing, c.village) : null;
    const notes = CLOSED_NOTES[c.status];
    return {
      service_request_id: c.code,
      status: statusOf(c.status),
      ...(notes ? { status_notes: notes } : {}),
      service_name: caseCategoryName(c.category, 'vi'),
      service_code: c.category,
      agency_responsible: agency,
      requested_datetime: isoVietnam(c.createdAt),
      updated_datetime: isoVietnam(c.updatedAt),
      expected_datetime: isoVietnam(c.dueAt),
      // A village of the commune's list is a place, not words a citizen typed: it is the address.
      ...(village ? { address: village } : {}),
      // GeoReport v2 gives a request's attribute values no field of its own: they go where the
      // widely used extension puts them, and clients that do not know it ignore it.
      extended_attributes: { [PETITION_TYPE_ATTRIBUTE.code]: c.petitionType },
    };
  };

  const discovery = (req: Request) => ({
    changeset: DISCOVERY_CHANGESET,
    contact: `${agency}: dữ liệu mở về phản ánh, kiến nghị (open data of petitions)`,
    key_service: 'Không cần khoá: chỉ đọc (no key needed: read-only)',
    endpoints: [
      {
        specification: SPECIFICATION,
        url: `${req.protocol}://${req.get('host') ?? 'localhost'}/open311/v2`,
        changeset: DISCOVERY_CHANGESET,
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ],
  });

  const services = () =>
    CASE_CATEGORIES.map((c) => ({
      service_code: c.id,
      service_name: c.vi,
      description: `${c.vi} (${c.en})`,
      metadata: true,
      type: 'realtime',
      keywords: KEYWORDS[c.id] ?? '',
      group: GROUP,
    }));

  const requests = async (req: Request, res: Response, format: Format) => {
    const q = requestsQuery.safeParse(req.query);
    if (!q.success) return sendError(res, format, 400, q.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
    const [service_code, status, service_request_id] = [nonEmpty(q.data.service_code), nonEmpty(q.data.status), nonEmpty(q.data.service_request_id)];
    // GeoReport v2: service_request_id "overrides all other arguments".
    if (service_request_id !== undefined) {
      const ids = service_request_id.map(normalizeCaseCode).filter((c): c is string => c !== null);
      const found = await byCodes(cases, ids);
      return send(res, format, 'service_requests', found.sort((a, b) => b.createdAt - a.createdAt).map(toRequest));
    }
    const end = q.data.end_date ?? (q.data.start_date === undefined ? now() : Number.POSITIVE_INFINITY);
    const start = q.data.start_date ?? (q.data.end_date === undefined ? now() - DEFAULT_WINDOW_MS : Number.NEGATIVE_INFINITY);
    const found = await scan(cases, service_code?.length === 1 ? service_code[0] : undefined);
    const wanted = found.filter(
      (c) =>
        c.createdAt >= start &&
        c.createdAt <= end &&
        (service_code === undefined || service_code.includes(c.category)) &&
        (status === undefined || status.includes(statusOf(c.status))),
    );
    wanted.sort((a, b) => b.createdAt - a.createdAt);
    send(res, format, 'service_requests', wanted.slice(0, OPEN311_MAX_REQUESTS).map(toRequest));
  };

  const oneRequest = async (res: Response, format: Format, id: string) => {
    const code = normalizeCaseCode(id);
    const found = code === null ? null : await cases.findByCode(code);
    if (!found) return sendError(res, format, 404, `no service request ${id}`);
    send(res, format, 'service_requests', [toRequest(found)]);
  };

  const inner = express.Router();
  inner.use((req, res, next) => {
    // Open data: any page may read it from a browser; nothing here uses cookies or credentials.
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
      res.setHeader('Access-Control-Max-Age', '86400');
      return void res.status(204).end();
    }
    next();
  });
  inner.use(async (req, res, next) => {
    const { path, format } = splitFormat(req.path);
    if (format === null) return sendError(res, 'xml', 404, 'the format must be .xml or .json');
    const route = ROUTES.find(([pattern]) => pattern.test(path))?.[1] ?? null;
    if (route === null) return sendError(res, format, 404, `no such Open311 resource: ${path.slice(0, 100)}`);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD, OPTIONS');
      return sendError(res, format, 405, 'read-only: petitions are filed through the commune\'s chat on Zalo or Messenger');
    }
    const last = decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
    try {
      if (route === 'discovery') return send(res, format, 'discovery', discovery(req));
      if (route === 'services') return send(res, format, 'services', services());
      if (route === 'service') {
        if (!isCaseCategoryId(last)) return sendError(res, format, 404, `no service ${last}`);
        return send(res, format, 'service_definition', { service_code: last, attributes: [PETITION_TYPE_ATTRIBUTE] });
      }
      if (route === 'requests') return await requests(req, res, format);
      return await oneRequest(res, format, last);
    } catch (err) {
      next(err);
    }
  });
  // Whatever fails under /open311 (a body refused by a parser mounted earlier, a store error) is
  // answered in the spec's form too.
  const failed: ErrorRequestHandler = (err: unknown, req, res, _next) => {
    void _next;
    if (res.headersSent) return;
    const status = (err as { status?: unknown }).status;
    const code = typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
    if (code === 500) log.error({ err, path: req.path }, 'open311 request failed');
    sendError(res, splitFormat(req.path).format ?? 'xml', code, code === 500 ? 'internal error' : 'bad request');
  };
  router.use('/open311', inner, failed);
  return router;
}

async function byCodes(cases: CaseStore, codes: string[]): Promise<Case[]> {
  const found = await Promise.all([...new Set(codes)].slice(0, OPEN311_MAX_REQUESTS).map((code) => cases.findByCode(code)));
  return found.filter((c): c is Case => c !== null);
}

// Every case (of one category when asked): a commune files hundreds a year, so a scan is cheap;
// a store query by date would be the next step for a larger jurisdiction.
async function scan(cases: CaseStore, category: string | undefined): Promise<Case[]> {
  const out: Case[] = [];
  let after: string | undefined;
  do {
    const page = await cases.list({ limit: PAGE, ...(category ? { category } : {}), ...(after ? { after } : {}) });
    out.push(...page.cases);
    after = page.next;
  } while (after);
  return out;
}
