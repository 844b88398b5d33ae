import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import { AppError } from '../../shared/app-error';

/** The input checked by `schema`, or VALIDATION_FAILED with every problem (field: message). Nothing else gets through. */
export function parsed<T extends z.ZodType>(schema: T, input: unknown, what = 'body'): z.output<T> {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => ({ message: `${i.path.map(String).join('.') || what}: ${i.message}` }));
  throw new AppError('VALIDATION_FAILED', `invalid ${what}`, { problems });
}

type Handler = (req: Request, res: Response) => Promise<void>;

/** An async route handler whose rejection reaches the error middleware, after `mapError` (a rule's refusal as an AppError). */
export const wrap =
  (h: Handler, mapError: (e: unknown) => unknown = (e) => e) =>
  (req: Request, res: Response, next: NextFunction) =>
    h(req, res).catch((e: unknown) => next(mapError(e)));
