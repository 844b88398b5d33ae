export { computeZaloMac, isValidZaloSignature, type ZaloSignatureCheck } from './signature';
export { parseZaloWebhook, ZALO_CONSOLE_MSG_ID, type ZaloParseResult, type ZaloIgnoredEvent } from './parse';
export {
  renderZaloMessage,
  renderZaloMessages,
  splitText,
  ZALO_TEXT_LIMIT,
  ZALO_MAX_BUTTONS,
  type ZaloCsBody,
  type ZaloButton,
  type ZaloAttachment,
} from './render';
export {
  createZaloTokenManager,
  ZALO_TOKEN_NAME,
  ZALO_TOKEN_LOCK,
  ZALO_ACCESS_LIFETIME_MS,
  type ZaloTokenManager,
  type ZaloTokenManagerOptions,
} from './tokens';
export { createZaloSender, classifyZaloError } from './send';
export { createZaloRouter, ZALO_WEBHOOK_PATH, type ZaloRouterDeps } from './router';
export { createZnsSender, classifyZnsError, renderZns, znsPhone, znsTemplateData, ZNS_FIELDS, type ZnsSender, type ZnsBody } from './zns';
