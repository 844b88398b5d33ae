import { ERROR_CODES, type ErrorCode } from './error-codes';

/** An error with a stable code; the HTTP status and the localized message are chosen at the edge. */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message ?? code);
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }
}

export function isAppError(e: unknown): e is AppError {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AppError' && 'code' in e;
}
