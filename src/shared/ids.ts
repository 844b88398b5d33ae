/** The key of one conversation: a person on one channel (and one page/OA). */
export function conversationKey(channel: string, userId: string): string {
  return `${channel}:${userId}`;
}

export function parseConversationKey(key: string): { channel: string; userId: string } {
  const i = key.indexOf(':');
  if (i < 0) throw new Error(`not a conversation key: ${key}`);
  return { channel: key.slice(0, i), userId: key.slice(i + 1) };
}
