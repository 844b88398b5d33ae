/** Each channel's messaging policy, by channel name; an unknown channel is treated as the console. */
import type { MessagingPolicies, MessagingPolicy } from '../shared/messaging-policy';
import { consolePolicy } from './console/policy';
import { messengerPolicy } from './messenger/policy';
import { zaloPolicy } from './zalo/policy';

const BY_CHANNEL: Record<string, MessagingPolicy> = { messenger: messengerPolicy, zalo: zaloPolicy };

export const messagingPolicyFor: MessagingPolicies = (channel) => BY_CHANNEL[channel] ?? consolePolicy;
