import { join } from 'node:path';
import express, { type Router } from 'express';
import { projectRoot } from '../../paths';

export interface ConsoleDeps {
  /** the static assets; default <project root>/src/admin/ui */
  uiDir?: string;
}

/**
 * The web console at /admin: plain HTML, JS and CSS, no build step. Scripts come from this origin
 * only (CSP), the page cannot be framed, and data is fetched from /admin/api with the session
 * cookie and the CSRF token. Access is decided by the API, not by the page.
 */
export function createConsoleRouter(deps: ConsoleDeps = {}): Router {
  const { uiDir = join(projectRoot(), 'src', 'admin', 'ui') } = deps;
  const router = express.Router();
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
  router.use('/admin', express.static(uiDir, { index: false, redirect: false, fallthrough: true }));
  return router;
}
