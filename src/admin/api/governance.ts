import express, { type Router } from 'express';
import { z } from 'zod';
import { loadGovernance, type GovernanceSources } from '../governance';
import { vietnamDayOf } from '../../store/ports/conversations';
import { AppError } from '../../shared/app-error';
import { parsed, wrap } from './http';
import type { AdminAuth } from './roles';

export interface GovernanceApiDeps extends GovernanceSources {
  auth: AdminAuth;
}

/** The longest period one report covers: two years of days. */
const MAX_DAYS = 731;
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a day on the calendar');
const query = z.strictObject({ from: isoDay.optional(), to: isoDay.optional() });

/** The first day of the month eleven months before `to`'s: twelve months of figures, this one included. */
function twelveMonthsTo(to: string): string {
  let y = Number(to.slice(0, 4));
  let m = Number(to.slice(5, 7)) - 11;
  if (m < 1) {
    m += 12;
    y -= 1;
  }
  return `${y}-${String(m).padStart(2, '0')}-01`;
}

/**
 * GET /admin/api/governance?from=yyyy-mm-dd&to=yyyy-mm-dd (every role): the governance figures of
 * the period (Vietnam days, both included; default the last twelve months up to today), from
 * admin/governance.ts. A period backwards or longer than two years is refused (400 VALIDATION_FAILED).
 */
export function createGovernanceRouter(deps: GovernanceApiDeps): Router {
  const { auth, now = Date.now } = deps;
  const router = express.Router();
  router.get(
    '/admin/api/governance',
    auth.requireRole('admin', 'official', 'viewer'),
    wrap(async (req, res) => {
      const q = parsed(query, req.query, 'query');
      const today = vietnamDayOf(now());
      const to = q.to ?? today;
      const from = q.from ?? twelveMonthsTo(to);
      const span = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
      if (span < 1 || span > MAX_DAYS) {
        throw new AppError('VALIDATION_FAILED', `the period must run forwards and cover at most ${MAX_DAYS} days`, { problems: [{ message: `from, to: the period must run forwards and cover at most ${MAX_DAYS} days` }] });
      }
      res.json(await loadGovernance(deps, { from, to }));
    }),
  );
  return router;
}
