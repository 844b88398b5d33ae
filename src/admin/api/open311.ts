import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { VIETNAM_OFFSET_MS } from '../../civic/calendar/vietnam-time';
import { CASE_CATEGORIES, caseCategoryName, isCaseCategoryId } from '../../civic/cases/categories';
import { PETITION_TYPE_LIST } from '../../civic/cases/petition-types';
import { findVillage, type RoutingRules } from '../../civic/officials/routing-rules';
import { CLOSED_CASE_STATUSES, normalizeCaseCode, type Case, type CaseStatus, type CaseStore } from '../../store/ports/cases';

export interface Open311Deps {
  cases: CaseStore;
  /**
   * The commune's villages: a case's village is published (as address_string) only when it is one
   * of them, never free text a citizen typed. Without it, no address is published.
   */
  routing?: RoutingRules;
  /** agency_responsible; default 'UBND xã' */
  agency?: string;
  /** the clock of the default date window; default Date.now */
  now?: () => number;
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

const isoDate = z
  .string()
  .max(40)
  .refine((s) => /^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s)), { message: 'must be an ISO 8601 date' })
  .transform((s) => Date.parse(s));
const list = (max: number) =>
  z
    .string()
    .max(max)
    .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0));
const requestsQuery = z.object({
  service_code: list(500).optional(),
  status: list(20).pipe(z.array(z.enum(['open', 'closed']))).optional(),
  start_date: isoDate.optional(),
  end_date: isoDate.optional(),
  service_request_id: list(2000).optional(),
  jurisdiction_id: z.string().max(200).optional(),
});

function open311Error(res: Response, status: number, description: string): void {
  res.status(status).json([{ code: status, description }]);
}

function statusOf(s: CaseStatus): 'open' | 'closed' {
  return CLOSED_CASE_STATUSES.includes(s) ? 'closed' : 'open';
}

/**
 * GeoReport v2 (Open311) read endpoints over the commune's petitions, for open data:
 * GET /open311/v2/services.json, /open311/v2/services/{service_code}.json (the definition: the
 * petition type as attribute `petition_type`), /open311/v2/requests.json, /open311/v2/requests/{code}.json.
 * No token: what is published holds no personal data. Left out on purpose: the content (citizens
 * write names and phone numbers in it), photos and pins (they show people and homes), the contact,
 * chat ids, officials, and a rejection's reason. Published: category (the service), the petition
 * type (`extended_attributes.petition_type`), a known village, status, dates, the due date,
 * "Đã giải quyết" for a resolved case.
 */
export function createOpen311Router(deps: Open311Deps): Router {
  const { cases, routing, agency = 'UBND xã', now = Date.now } = deps;
  const router = express.Router();

  const toRequest = (c: Case) => {
    const village = routing ? findVillage(routing, c.village) : null;
    return {
      service_request_id: c.code,
      status: statusOf(c.status),
      ...(c.status === 'resolved' ? { status_notes: 'Đã giải quyết' } : {}),
      service_name: caseCategoryName(c.category, 'vi'),
      service_code: c.category,
      agency_responsible: agency,
      requested_datetime: isoVietnam(c.createdAt),
      updated_datetime: isoVietnam(c.updatedAt),
      expected_datetime: isoVietnam(c.dueAt),
      ...(village ? { address_string: village } : {}),
      // GeoReport v2 gives a request's attribute values no field of its own: they go where the
      // widely used extension puts them, and clients that do not know it ignore it.
      extended_attributes: { [PETITION_TYPE_ATTRIBUTE.code]: c.petitionType },
    };
  };

  router.get('/open311/v2/services.json', (_req, res) => {
    res.json(
      CASE_CATEGORIES.map((c) => ({
        service_code: c.id,
        service_name: c.vi,
        description: `${c.vi} (${c.en})`,
        metadata: true,
        type: 'realtime',
        keywords: KEYWORDS[c.id] ?? '',
        group: GROUP,
      })),
    );
  });

  router.get('/open311/v2/services/:code.json', (req: Request, res: Response) => {
    const code = String(req.params.code);
    if (!isCaseCategoryId(code)) return open311Error(res, 404, `no service ${code}`);
    res.json({ service_code: code, attributes: [PETITION_TYPE_ATTRIBUTE] });
  });

  router.get('/open311/v2/requests.json', async (req: Request, res: Response, next) => {
    try {
      const q = requestsQuery.safeParse(req.query);
      if (!q.success) return open311Error(res, 400, q.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
      const { service_code, status, service_request_id } = q.data;
      const ids = service_request_id?.map(normalizeCaseCode).filter((c): c is string => c !== null);
      const end = q.data.end_date ?? (q.data.start_date === undefined ? now() : Number.POSITIVE_INFINITY);
      const start = q.data.start_date ?? (q.data.end_date === undefined ? now() - DEFAULT_WINDOW_MS : Number.NEGATIVE_INFINITY);
      const found = ids !== undefined ? await byCodes(cases, ids) : await scan(cases, service_code?.length === 1 ? service_code[0] : undefined);
      const wanted = found.filter(
        (c) =>
          (ids !== undefined || (c.createdAt >= start && c.createdAt <= end)) &&
          (service_code === undefined || service_code.includes(c.category)) &&
          (status === undefined || status.includes(statusOf(c.status))),
      );
      wanted.sort((a, b) => b.createdAt - a.createdAt);
      res.json(wanted.slice(0, OPEN311_MAX_REQUESTS).map(toRequest));
    } catch (err) {
      next(err);
    }
  });

  router.get('/open311/v2/requests/:id.json', async (req: Request, res: Response, next) => {
    try {
      const code = normalizeCaseCode(String(req.params.id));
      const found = code === null ? null : await cases.findByCode(code);
      if (!found) return open311Error(res, 404, `no service request ${String(req.params.id)}`);
      res.json([toRequest(found)]);
    } catch (err) {
      next(err);
    }
  });

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
