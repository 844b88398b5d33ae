/**
 * Zalo ZNS ("ZBS Template Message", platforms/zalo-oa.md §4): an approved template sent to a phone
 * number, the way a notice reaches a Zalo user past the 7-day consultation window. Same OA access
 * token as the OA API, on its own host (`business.openapi.zalo.me`).
 */
import type { AxiosInstance } from 'axios';
import { platformHttp } from '../http-client';
import type { ZaloConfig } from '../../config';
import type { Logger } from '../../shared/logger';
import { isReminderParams, SendError, type SendFailureReason, type SendResult, type TemplateParams, type TemplateRequest } from '../types';
import { classifyZaloError, postZaloApi, withTokenRefresh } from './send';
import type { ZaloTokenManager } from './tokens';

/** -124 is ZNS's own "bad token"; -216/-220 are the OA API's. Each gets one refresh and one resend. */
const TOKEN_REJECTED = new Set([-124, -216, -220]);

/**
 * The field names the commune's ZNS templates must declare (Zalo keys `template_data` by the
 * template's own parameter names). README lists them for whoever registers the templates.
 */
export const ZNS_FIELDS = {
  case: { code: 'ma_ho_so', status: 'trang_thai', dueDate: 'han_xu_ly' },
  reminder: { procedure: 'thu_tuc', date: 'ngay_hen', time: 'gio_hen', place: 'dia_diem' },
} as const;

/** ZNS's own codes (numbering varies between sources); the OA API's shared ones go through classifyZaloError. */
const ZNS_ERRORS: Record<number, { reason: SendFailureReason; what: string }> = {
  [-108]: { reason: 'bad_request', what: 'phone number invalid' },
  [-118]: { reason: 'user_unavailable', what: 'no Zalo account for this phone' },
  [-124]: { reason: 'token_invalid', what: 'access token invalid' },
  [-127]: { reason: 'permission', what: 'development mode: only the app or OA admins receive' },
  [-135]: { reason: 'permission', what: 'OA not verified for ZNS' },
  [-139]: { reason: 'user_unavailable', what: 'user refused ZNS from this OA' },
  [-141]: { reason: 'user_unavailable', what: 'user refused ZNS' },
};

/** The SendError for a ZNS `error` other than 0. All ZNS-specific codes are final; shared ones keep their class. */
export function classifyZnsError(code: number, zaloMessage?: string): SendError {
  const own = ZNS_ERRORS[code];
  if (!own) return classifyZaloError(code, zaloMessage);
  return new SendError(own.reason, false, `Zalo ZNS error ${code} (${own.what})`, String(code));
}

/** "+84912345678", "0912 345 678" or "84912345678" as ZNS wants it, "84912345678"; null when it is no Vietnamese number. */
export function znsPhone(phone: string): string | null {
  const digits = phone.replace(/[\s.\-()+]/g, '');
  if (!/^\d+$/.test(digits)) return null;
  let national = digits.startsWith('84') && digits.length >= 11 ? digits.slice(2) : digits.startsWith('0') ? digits.slice(1) : null;
  // "+84 0912…": the trunk 0 written after the country code.
  if (national?.startsWith('0')) national = national.slice(1);
  if (national === null || !/^[1-9]\d{8,9}$/.test(national)) return null;
  return `84${national}`;
}

/** `template_data` under the field names of ZNS_FIELDS. */
export function znsTemplateData(params: TemplateParams): Record<string, string> {
  if (isReminderParams(params)) {
    const f = ZNS_FIELDS.reminder;
    return { [f.procedure]: params.procedure, [f.date]: params.date, [f.time]: params.time, [f.place]: params.place };
  }
  const f = ZNS_FIELDS.case;
  return { [f.code]: params.code, [f.status]: params.status, [f.dueDate]: params.dueDate };
}

export interface ZnsBody {
  phone: string;
  template_id: string;
  template_data: Record<string, string>;
  tracking_id: string;
}

export type ZnsRequest = Extract<TemplateRequest, { channel: 'zalo' }>;

/** The request body of one ZNS send; throws a final SendError for a phone ZNS cannot take. */
export function renderZns(request: ZnsRequest): ZnsBody {
  const phone = znsPhone(request.phone);
  // Only the shape is named: the number itself is personal data and ends in job records.
  if (phone === null) throw new SendError('bad_request', false, 'ZNS needs a Vietnamese phone number; the one on record is not', 'phone');
  return { phone, template_id: request.templateId, template_data: znsTemplateData(request.params), tracking_id: request.trackingId };
}

export interface ZnsSender {
  /** Throws SendError: retryable for 429, 5xx, -32 and network failures; final otherwise. */
  sendTemplate(request: ZnsRequest): Promise<SendResult>;
}


/** Sends ZNS through `POST {znsApiBase}/message/template`; a rejected token is refreshed once. */
export function createZnsSender(config: ZaloConfig, deps: { tokens: ZaloTokenManager; http?: AxiosInstance; log: Logger }): ZnsSender {
  const { tokens } = deps;
  const http = deps.http ?? platformHttp('zalo');
  const log = deps.log.child({ channel: 'zalo', via: 'zns' });

  return {
    async sendTemplate(request) {
      const body = renderZns(request);
      const attempt = await withTokenRefresh(tokens, TOKEN_REJECTED, log, (token) =>
        postZaloApi(http, `${config.znsApiBase}/message/template`, body, token, { name: 'Zalo ZNS', idField: 'msg_id' }),
      );
      if (!attempt.ok) {
        // Zalo's message can echo the phone number: it stays out of the logs.
        const err = classifyZnsError(attempt.code);
        log.warn({ code: attempt.code, reason: err.reason, retryable: err.retryable, template: request.templateId }, 'Zalo refused a ZNS message');
        throw err;
      }
      log.debug({ template: request.templateId }, 'ZNS sent');
      return attempt.messageId === undefined ? {} : { platformMessageId: attempt.messageId };
    },
  };
}
