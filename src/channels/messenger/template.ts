/**
 * Messenger Utility messages (platforms/messenger.md §3): an approved template of category UTILITY,
 * the only way a status update or an appointment reminder may reach a person more than 24 h after
 * their last message. Never a message tag: the update tags are refused (error 100) since 2026-04-27.
 */
import axios, { type AxiosInstance } from 'axios';
import type { MessengerConfig } from '../../config';
import type { Logger } from '../../shared/logger';
import { isReminderParams, type SendResult, type TemplateParams, type TemplateRequest } from '../types';
import { SEND_TIMEOUT_MS } from './send';
import { classifyGraphFailure, networkFailure, type GraphError } from './send-errors';

export interface MessengerUtilityBody {
  recipient: { id: string };
  messaging_type: 'UTILITY';
  message: {
    template: {
      name: string;
      language: { code: string };
      components: { type: 'body'; parameters: { type: 'text'; text: string }[] }[];
    };
  };
}

/**
 * The body parameters in the order the commune's templates number them: a case update is
 * {{1}} code, {{2}} status, {{3}} due date; a reminder is {{1}} procedure, {{2}} date, {{3}} time, {{4}} place.
 */
export function utilityParameters(params: TemplateParams): string[] {
  return isReminderParams(params) ? [params.procedure, params.date, params.time, params.place] : [params.code, params.status, params.dueDate];
}

/** The Send API body of one Utility template message. */
export function renderUtilityTemplate(userId: string, template: string, language: string, params: TemplateParams): MessengerUtilityBody {
  return {
    recipient: { id: userId },
    messaging_type: 'UTILITY',
    message: {
      template: {
        name: template,
        language: { code: language },
        components: [{ type: 'body', parameters: utilityParameters(params).map((text) => ({ type: 'text', text })) }],
      },
    },
  };
}

export type MessengerTemplateRequest = Extract<TemplateRequest, { channel: 'messenger' }>;

export interface MessengerTemplateSender {
  /** Throws SendError, classified like the Send API's other failures (send-errors.ts). */
  sendTemplate(request: MessengerTemplateRequest): Promise<SendResult>;
}

/** Sends Utility templates through `POST {apiBase}/me/messages`, the same endpoint and token as plain messages. */
export function createMessengerTemplateSender(config: MessengerConfig, deps: { http?: AxiosInstance; log: Logger; timeoutMs?: number }): MessengerTemplateSender {
  const { timeoutMs = SEND_TIMEOUT_MS } = deps;
  const http = deps.http ?? axios.create({ timeout: timeoutMs });
  const log = deps.log.child({ channel: 'messenger', via: 'utility' });
  const url = `${config.apiBase}/me/messages`;

  return {
    async sendTemplate(request) {
      const body = renderUtilityTemplate(request.userId, request.template, request.language, request.params);
      let res;
      try {
        // The token is a query parameter, as for every Send API call; axios's error (which holds it) is not passed on.
        res = await http.post<unknown>(url, body, { params: { access_token: config.pageAccessToken }, timeout: timeoutMs, validateStatus: () => true });
      } catch (e) {
        throw networkFailure(axios.isAxiosError(e) ? e.code : undefined);
      }
      const data = res.data as { message_id?: unknown; error?: GraphError } | undefined;
      if (res.status >= 200 && res.status < 300 && !data?.error) {
        log.debug({ template: request.template }, 'utility template sent');
        return typeof data?.message_id === 'string' ? { platformMessageId: data.message_id } : {};
      }
      const failure = classifyGraphFailure(res.status, data?.error);
      log.warn({ template: request.template, reason: failure.reason, retryable: failure.retryable, platformCode: failure.platformCode, status: res.status }, 'utility template send failed');
      throw failure;
    },
  };
}
