/**
 * Every error code the application can return, with its HTTP status at the edge.
 * Each code has a message in locales/vi/errors.json and locales/en/errors.json (a test checks it).
 */
export const ERROR_CODES = {
  BAD_REQUEST: 400,
  MALFORMED_JSON: 400,
  VALIDATION_FAILED: 400,
  UNKNOWN_WEBHOOK_OBJECT: 400,
  SIGNATURE_MISSING: 401,
  SIGNATURE_INVALID: 401,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  VERIFY_TOKEN_MISMATCH: 403,
  NOT_FOUND: 404,
  CHANNEL_DISABLED: 404,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  SHUTTING_DOWN: 503,
  QUEUE_UNAVAILABLE: 503,
  STORE_UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
