/**
 * The platforms' free messaging windows (platforms/*.md): Messenger 24 h after the person's last
 * message; Zalo consultation messages free for 48 h after the last interaction (billed up to 7 days,
 * which is a commune's policy choice). The console channel has no window.
 */
const HOUR = 3600_000;

export const FREE_WINDOW_MS: Record<string, number> = {
  messenger: 24 * HOUR,
  zalo: 48 * HOUR,
};

/** True when a reply may go out now as a normal response. */
export function insideFreeWindow(channel: string, lastInboundAt: number | null, now: number): boolean {
  const window = FREE_WINDOW_MS[channel];
  if (window === undefined) return true;
  if (lastInboundAt === null) return false;
  return now - lastInboundAt < window;
}
