import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Zalo signs each webhook with `X-ZEvent-Signature: mac=<hex>`, where the hex is a plain SHA-256 (not an HMAC)
 * of `app_id + rawBody + timestamp + OA Secret Key`. `app_id` and `timestamp` are the string fields inside the
 * body (app_id even when the event also carries oa_id); the OA Secret Key is the one on the Webhook page, not
 * the App Secret.
 */
export function computeZaloMac(appId: string, rawBody: Buffer, timestamp: string, oaSecretKey: string): string {
  // The raw bytes as received go into the hash: re-serialised JSON changes key order or escapes and fails.
  return createHash('sha256')
    .update(Buffer.from(appId, 'utf8'))
    .update(rawBody)
    .update(Buffer.from(timestamp, 'utf8'))
    .update(Buffer.from(oaSecretKey, 'utf8'))
    .digest('hex');
}

export interface ZaloSignatureCheck {
  rawBody: Buffer;
  /** the JSON-parsed raw body: app_id and timestamp are read from it */
  body: unknown;
  /** the X-ZEvent-Signature header, with or without the `mac=` prefix */
  signature: string;
  /** the X-ZEvent-Timestamp header: used only when the body has no timestamp */
  timestampHeader?: string;
  oaSecretKey: string;
  /** used only when the body has no app_id (every captured event has one) */
  appIdFallback?: string;
}

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** Whether the signature header matches the raw body; compared in constant time over the digest bytes. */
export function isValidZaloSignature(check: ZaloSignatureCheck): boolean {
  const { appId, timestamp } = signedFields(check.body);
  const usedAppId = appId ?? check.appIdFallback;
  const usedTimestamp = timestamp ?? (check.timestampHeader?.trim() || undefined);
  if (usedAppId === undefined || usedTimestamp === undefined) return false;

  const given = check.signature.trim().replace(/^mac=/i, '');
  if (!HEX_SHA256.test(given)) return false;
  const expected = Buffer.from(computeZaloMac(usedAppId, check.rawBody, usedTimestamp, check.oaSecretKey), 'hex');
  return timingSafeEqual(Buffer.from(given, 'hex'), expected);
}

function signedFields(body: unknown): { appId?: string; timestamp?: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const b = body as Record<string, unknown>;
  return { appId: asSignedString(b.app_id), timestamp: asSignedString(b.timestamp) };
}

// Zalo sends both as strings; a number is accepted as its decimal text (timestamps stay below 2^53).
function asSignedString(v: unknown): string | undefined {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  return undefined;
}
