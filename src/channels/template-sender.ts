import type { MessengerTemplateSender } from './messenger/template';
import { SendError, type TemplateSender } from './types';
import type { ZnsSender } from './zalo/zns';

/**
 * One TemplateSender over the platforms' own: Messenger Utility templates and Zalo ZNS. A request
 * for a platform this process has not enabled fails for good (a retry would not enable it).
 */
export function createTemplateSender(parts: { messenger?: MessengerTemplateSender; zalo?: ZnsSender }): TemplateSender {
  return {
    async sendTemplate(request) {
      if (request.channel === 'messenger') {
        if (!parts.messenger) throw new SendError('permission', false, 'Messenger templates: the Messenger channel is disabled');
        return parts.messenger.sendTemplate(request);
      }
      if (!parts.zalo) throw new SendError('permission', false, 'Zalo ZNS: the Zalo channel is disabled');
      return parts.zalo.sendTemplate(request);
    },
  };
}
