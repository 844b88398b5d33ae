import pino from 'pino';
import type { Logger } from './shared/logger';

/**
 * Structured JSON logs (pino). Secrets and personal data never reach a log line (invariant 8):
 * known secret fields are censored by path, and every string value is scanned for phone and
 * CCCD numbers and access tokens, which are masked.
 */

const SECRET_KEYS = /^(access_?token|refresh_?token|page_?access_?token|app_?secret|secret_?key|oa_?secret_?key|verify_?token|admin_?token|authorization|password|cookie|token|secret|phone|cccd|text)$/i;

// Vietnamese mobiles (0/84/+84 then 9 digits, spaces or dots allowed), 12-digit CCCD and 9-digit CMND.
const PHONE = /(?:\+?84|0)(?:[\s.-]?\d){9}\b/g;
const ID_NUMBER = /\b\d{12}\b|\b\d{9}\b/g;
const LONG_TOKEN = /\b[A-Za-z0-9_-]{40,}\b/g;

/** Masks phone numbers, ID numbers and token-like strings inside free text. */
export function maskPersonalData(value: string): string {
  return value
    .replace(PHONE, (m) => `${'*'.repeat(Math.max(0, m.replace(/\D/g, '').length - 3))}${m.replace(/\D/g, '').slice(-3)}`)
    .replace(ID_NUMBER, (m) => `${'*'.repeat(m.length - 3)}${m.slice(-3)}`)
    .replace(LONG_TOKEN, '[redacted]');
}

function scrub(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[deep]';
  if (typeof value === 'string') return maskPersonalData(value);
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  if (value instanceof Error) return { name: value.name, message: maskPersonalData(value.message), code: (value as { code?: unknown }).code };
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : scrub(v, depth + 1);
    return out;
  }
  return value;
}

export function createLogger(opts: { level: string; destination?: pino.DestinationStream }): Logger {
  const base = pino(
    {
      level: opts.level,
      base: { service: 'commune-chatbot' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (obj) => scrub(obj) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          // The message string is scanned too: an interpolated phone number must not slip through.
          const masked = args.map((a) => (typeof a === 'string' ? maskPersonalData(a) : a)) as typeof args;
          return method.apply(this, masked);
        },
      },
    },
    opts.destination,
  );
  return base as unknown as Logger;
}
