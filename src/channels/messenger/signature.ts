import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header Meta signs every webhook POST with: `sha256=<lowercase hex HMAC-SHA256(raw body, App Secret)>`. */
export const SIGNATURE_HEADER = 'x-hub-signature-256';

/** `valid`; `missing`: no header at all; `invalid`: a header that is malformed or does not match. */
export type SignatureVerdict = 'valid' | 'missing' | 'invalid';

const HEADER_FORM = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks `X-Hub-Signature-256` over the body bytes exactly as received. Meta signs its own escaped
 * serialisation (`\/`, `\u1ea1`), so a body that was parsed and re-serialised never verifies.
 */
export function verifyMessengerSignature(
  rawBody: Buffer,
  header: string | undefined,
  appSecret: string,
): SignatureVerdict {
  if (header === undefined || header.trim() === '') return 'missing';
  const match = HEADER_FORM.exec(header.trim());
  if (!match) return 'invalid';
  const given = Buffer.from(match[1]!, 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  // Both are 32 bytes after the format check; the length test keeps timingSafeEqual from throwing if that changes.
  if (given.length !== expected.length) return 'invalid';
  return timingSafeEqual(given, expected) ? 'valid' : 'invalid';
}

/** The header value Meta would send for these bytes: for tests, benchmarks and local fakes. */
export function signMessengerBody(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}
