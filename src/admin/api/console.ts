import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Router } from 'express';
import { LOCALES_DIR, projectRoot } from '../../paths';

export interface ConsoleDeps {
  /** the static assets; default <project root>/src/admin/ui */
  uiDir?: string;
  /** the console's words, locales/<lng>/console.json; default <project root>/locales */
  localesDir?: string;
}

/** The languages the console speaks; the page asks for one of them. */
const CONSOLE_LANGUAGES = ['vi', 'en'] as const;

/**
 * The charting library the governance page draws with (Apache ECharts, from node_modules): served
 * from this origin like the page itself, so the CSP allows it and the console needs no CDN.
 */
const VENDOR_SCRIPTS: Record<string, string> = {
  'echarts.min.js': require.resolve('echarts/dist/echarts.min.js'),
};

/**
 * The web console at /admin: plain HTML, JS and CSS, no build step. Scripts come from this origin
 * only (CSP), the page cannot be framed, and data is fetched from /admin/api with the session
 * cookie and the CSRF token. Access is decided by the API, not by the page. Its words are
 * locales/<lng>/console.json, served at /admin/i18n/<lng>.json.
 */
export function createConsoleRouter(deps: ConsoleDeps = {}): Router {
  const { uiDir = join(projectRoot(), 'src', 'admin', 'ui'), localesDir = LOCALES_DIR } = deps;
  const router = express.Router();
  // Read once: a missing or broken file stops the start, not a page load.
  const words = new Map(CONSOLE_LANGUAGES.map((lng) => [lng, JSON.parse(readFileSync(join(localesDir, lng, 'console.json'), 'utf8')) as Record<string, string>]));
  router.use('/admin', (req, res, next) => {
    if (req.path.startsWith('/api/') || req.path.startsWith('/queues')) return next();
    res.setHeader('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  router.get(['/admin', '/admin/'], (_req, res, next) => res.sendFile(join(uiDir, 'index.html'), (err) => err && next(err)));
  router.get('/admin/i18n/:file', (req, res, next) => {
    const lng = /^(\w+)\.json$/.exec(req.params.file)?.[1];
    const found = lng ? words.get(lng as (typeof CONSOLE_LANGUAGES)[number]) : undefined;
    if (!found) return next();
    res.json(found);
  });
  router.get('/admin/vendor/:file', (req, res, next) => {
    if (!Object.hasOwn(VENDOR_SCRIPTS, req.params.file)) return next();
    const path = VENDOR_SCRIPTS[req.params.file];
    res.type('application/javascript').sendFile(path, (err) => err && next(err));
  });
  router.use('/admin', express.static(uiDir, { index: false, redirect: false, fallthrough: true }));
  return router;
}
