export { verifyMessengerSignature, signMessengerBody, SIGNATURE_HEADER, type SignatureVerdict } from './signature';
export { parseMessengerWebhook, type ParsedMessengerWebhook, type IgnoredItem } from './parse';
export { renderMessengerMessage, renderMessengerMessages, type MessengerSendBody } from './render';
export { splitText, truncateTitle } from './text-limits';
export { createMessengerSender, SEND_TIMEOUT_MS, type MessengerSender, type MessengerSenderDeps } from './send';
export { createMessengerRouter, MESSENGER_WEBHOOK_PATH, type MessengerRouterDeps } from './router';
export { createMessengerTemplateSender, renderUtilityTemplate, utilityParameters, type MessengerTemplateSender, type MessengerUtilityBody } from './template';
