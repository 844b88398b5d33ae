/** How the message path runs a civic action: the shapes the turn and the effects worker share. */

export interface ActionOutcome {
  ok: boolean;
  code?: string;
  data?: Record<string, unknown>;
}

export interface ActionOutcome {
  ok: boolean;
  code?: string;
  data?: Record<string, unknown>;
}

/** Runs one engine effect (a civic action by name); never throws for a business refusal. */
export type ActionRunner = (
  effect: { action: string; args: Record<string, unknown> },
  ctx: { channel: string; userId: string; conversationKey: string; now: number; locale: string },
) => Promise<ActionOutcome>;
