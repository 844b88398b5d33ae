import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, isAppError } from './shared/app-error';
import { ERROR_CODES, type ErrorCode } from './shared/error-codes';
import type { Logger } from './shared/logger';

type Messages = Record<'vi' | 'en', Partial<Record<ErrorCode, string>>>;

export function loadErrorMessages(localesDir: string): Messages {
  const read = (lng: string) => JSON.parse(readFileSync(join(localesDir, lng, 'errors.json'), 'utf8')) as Partial<Record<ErrorCode, string>>;
  return { vi: read('vi'), en: read('en') };
}

/** body-parser's own errors, mapped to our codes. */
function fromBodyParser(err: unknown): AppError | null {
  const type = (err as { type?: unknown }).type;
  if (type === 'entity.too.large') return new AppError('BODY_TOO_LARGE');
  if (type === 'entity.parse.failed') return new AppError('MALFORMED_JSON');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return new AppError('UNSUPPORTED_MEDIA_TYPE');
  return null;
}

/**
 * The edge: an error's code becomes an HTTP status and a message in the caller's language
 * (Vietnamese unless the request prefers English). Unknown errors are logged and answered 500.
 */
export function errorMiddleware(messages: Messages, log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    void _next;
    const appErr = isAppError(err) ? err : fromBodyParser(err);
    const code: ErrorCode = appErr?.code ?? 'INTERNAL';
    if (!appErr) log.error({ err, path: req.path }, 'unhandled error');
    else if (ERROR_CODES[code] >= 500) log.warn({ code, path: req.path }, 'request refused');
    const lng = req.acceptsLanguages('vi', 'en') === 'en' ? 'en' : 'vi';
    if (res.headersSent) return;
    const problems = appErr?.details?.problems;
    res.status(ERROR_CODES[code]).json({ error: { code, message: messages[lng][code] ?? messages.vi[code] ?? code, ...(problems ? { problems } : {}) } });
  };
}

export const notFound: RequestHandler = (_req, _res, next) => next(new AppError('NOT_FOUND'));
