/**
 * Messenger Utility messages (platforms/messenger.md §3): an approved template of category UTILITY,
 * the only way a status update or an appointment reminder may reach a person more than 24 h after
 * their last message. Never a message tag: the update tags are refused (error 100) since 2026-04-27.
 */
import type { AxiosInstance } from 'axios';
import { platformHttp } from '../http-client';
import type { MessengerConfig } from '../../config';
import type { Logger } from '../../shared/logger';
import { isReminderParams, type SendResult, type TemplateParams, type TemplateRequest } from '../types';
import { postSendApi, SEND_TIMEOUT_MS } from './send';

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
  const http = deps.http ?? platformHttp('messenger');
  const log = deps.log.child({ channel: 'messenger', via: 'utility' });
  const url = `${config.apiBase}/me/messages`;

  return {
    async sendTemplate(request) {
      const body = renderUtilityTemplate(request.userId, request.template, request.language, request.params);
      const r = await postSendApi(http, url, config.pageAccessToken, body, timeoutMs);
      if (r.ok) {
        log.debug({ template: request.template }, 'utility template sent');
        return r.messageId === undefined ? {} : { platformMessageId: r.messageId };
      }
      log.warn({ template: request.template, reason: r.failure.reason, retryable: r.failure.retryable, platformCode: r.failure.platformCode, status: r.status }, 'utility template send failed');
      throw r.failure;
    },
  };
}
