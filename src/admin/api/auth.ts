import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../../shared/app-error';

/** Bearer ADMIN_TOKEN (the admin role) until console accounts exist; without the setting, the API is closed. */
export function requireAdminToken(adminToken: string | undefined): RequestHandler {
  const expected = adminToken ? Buffer.from(adminToken) : null;
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const given = Buffer.from(header.replace(/^Bearer\s+/i, ''));
    if (!expected || !header.match(/^Bearer\s+/i)) return next(new AppError('UNAUTHORIZED'));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return next(new AppError('UNAUTHORIZED'));
    next();
  };
}
