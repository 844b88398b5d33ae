import express, { type Router } from 'express';
import { z } from 'zod';
import { DATA_FILES, isDataFileName, type DataFileName } from '../../civic/commune-data/data-files';
import { AppError } from '../../shared/app-error';
import type { AuditLog } from '../../store/ports/audit';
import { recordChange } from '../audit-trail';
import type { CommuneDataPublishing } from '../commune-data';
import { principalOf, type AdminAuth } from './roles';

const sourceBody = z.strictObject({ source: z.string().min(1).max(1024 * 1024) });
const rollbackBody = z.strictObject({ version: z.number().int().min(1).max(1_000_000) });
const versionParam = z.string().regex(/^\d{1,7}$/).transform(Number);

export interface CommuneDataAdminDeps {
  auth: AdminAuth;
  publishing: CommuneDataPublishing;
  /** where publishes and rollbacks are recorded */
  audit?: AuditLog;
  /** after a publish or rollback: take the new version into use in this process at once */
  onPublished?: () => void;
  now?: () => number;
}

/** "holidays" in the URL names holidays.yaml. */
function fileOf(param: unknown): DataFileName {
  const name = `${String(param)}.yaml`;
  if (!isDataFileName(name)) throw new AppError('NOT_FOUND', `no commune data file "${String(param)}"; one of ${DATA_FILES.join(', ')}`);
  return name;
}

const shortName = (name: DataFileName) => name.replace(/\.yaml$/, '');

/**
 * /admin/api/commune-data: the six data files (commune, procedures, routing, holidays, office-hours, desk).
 * GET lists them with where each comes from; GET /:name gives the text in use and its published
 * history; POST /:name/check {source} answers {ok, problems} (file, line, message) and stores
 * nothing; POST /:name {source} publishes (refused with the problems, nothing stored, when the
 * checks fail); POST /:name/rollback {version} publishes an earlier version again, checked against
 * today's other files. Reading: admin and official; checking, publishing, rolling back: admin.
 * Publishes and rollbacks are audited with the text before and after.
 */
export function createCommuneDataRouter(deps: CommuneDataAdminDeps): Router {
  const { auth, publishing, now = Date.now } = deps;
  const router = express.Router();
  const base = '/admin/api/commune-data';
  // The role first, then the body: nobody without the role gets a megabyte parsed.
  router.get([base, `${base}/:name`, `${base}/:name/versions/:version`], auth.requireRole('admin', 'official'));
  router.post([`${base}/:name`, `${base}/:name/check`, `${base}/:name/rollback`], auth.requireRole('admin'), express.json({ limit: '1100kb' }));

  const publish = async (name: DataFileName, source: string, by: string, action: string, res: express.Response) => {
    const before = (await publishing.currentSources()).get(name);
    const stored = await publishing.publish({ name, source, by, now: now() });
    deps.onPublished?.();
    await recordChange(deps.audit, {
      actor: by,
      action,
      target: `data:${shortName(name)}`,
      before: before ? { from: before.from, source: before.source } : null,
      after: { from: `${stored.flowId}@${stored.version}`, version: stored.version, source: stored.source },
      at: stored.publishedAt,
    });
    res.status(201).json({ name: shortName(name), version: stored.version, publishedAt: stored.publishedAt });
  };

  router.get(base, async (_req, res, next) => {
    try {
      const current = await publishing.currentSources();
      res.json({ files: DATA_FILES.map((file) => ({ name: shortName(file), file, from: current.get(file)?.from ?? null })) });
    } catch (err) {
      next(err);
    }
  });

  router.get(`${base}/:name`, async (req, res, next) => {
    try {
      const name = fileOf(req.params.name);
      const current = (await publishing.currentSources()).get(name);
      const history = (await publishing.history(name)).map((v) => ({ version: v.version, publishedAt: v.publishedAt, publishedBy: v.publishedBy }));
      res.json({ name: shortName(name), file: name, from: current?.from ?? null, source: current?.source ?? '', history });
    } catch (err) {
      next(err);
    }
  });

  router.get(`${base}/:name/versions/:version`, async (req, res, next) => {
    try {
      const name = fileOf(req.params.name);
      const version = versionParam.safeParse(req.params.version);
      const found = version.success ? await publishing.version(name, version.data) : null;
      if (!found) throw new AppError('NOT_FOUND');
      res.json({ name: shortName(name), version: found.version, source: found.source, publishedAt: found.publishedAt, publishedBy: found.publishedBy });
    } catch (err) {
      next(err);
    }
  });

  router.post(`${base}/:name/check`, async (req, res, next) => {
    try {
      const name = fileOf(req.params.name);
      const body = sourceBody.safeParse(req.body);
      if (!body.success) throw new AppError('VALIDATION_FAILED', 'body must be {"source": "<the YAML>"}');
      res.json(await publishing.check(name, body.data.source));
    } catch (err) {
      next(err);
    }
  });

  router.post(`${base}/:name/rollback`, async (req, res, next) => {
    try {
      const name = fileOf(req.params.name);
      const body = rollbackBody.safeParse(req.body);
      if (!body.success) throw new AppError('VALIDATION_FAILED', 'body must be {"version": <an earlier version number>}');
      const earlier = await publishing.version(name, body.data.version);
      if (!earlier) throw new AppError('NOT_FOUND', `${name} has no version ${body.data.version}`);
      await publish(name, earlier.source, principalOf(res).username, 'data.rollback', res);
    } catch (err) {
      next(err);
    }
  });

  router.post(`${base}/:name`, async (req, res, next) => {
    try {
      const name = fileOf(req.params.name);
      const body = sourceBody.safeParse(req.body);
      if (!body.success) throw new AppError('VALIDATION_FAILED', 'body must be {"source": "<the YAML>"}');
      await publish(name, body.data.source, principalOf(res).username, 'data.publish', res);
    } catch (err) {
      next(err);
    }
  });
  return router;
}
