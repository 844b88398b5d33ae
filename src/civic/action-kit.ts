/**
 * What every civic action shares: the shapes of a request, its context and its result, and the two
 * helpers each family of actions uses. Its own module so the action families (procedures, cases,
 * appointments) and the table that gathers them import it without importing each other.
 */
import type { Locale } from '../shared/locale';

export type ActionResult = { ok: boolean; code?: string; data?: Record<string, unknown> };

export interface ActionContext {
  channel: string;
  userId: string;
  conversationKey: string;
  /** ms since the epoch, from the worker's clock */
  now: number;
  locale: string;
}

export type ActionHandler = (args: Record<string, unknown>, ctx: ActionContext) => Promise<ActionResult>;

/** What an engine effect asks for: an action by name and its arguments. */
export interface ActionRequest {
  action: string;
  args?: Record<string, unknown>;
}

/** A refused action: its code, which the flow branches on and the locales word. */
export function refuse(code: string, data?: Record<string, unknown>): ActionResult {
  return data ? { ok: false, code, data } : { ok: false, code };
}

/** 'en' for any English tag ("en", "en-US"), otherwise Vietnamese, the commune's language. */
export function localeOf(requested: unknown, ctx: ActionContext): Locale {
  const tag = typeof requested === 'string' && requested.length > 0 ? requested : ctx.locale;
  return tag.toLowerCase().startsWith('en') ? 'en' : 'vi';
}
