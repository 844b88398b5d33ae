import { SendError, type SendFailureReason } from '../types';

/** The `error` object of a failed Graph API call. */
export interface GraphError {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  fbtrace_id?: string;
}

const RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);
const TEMPORARY_CODES = new Set([1, 2, 1200]);
const WINDOW_CLOSED_SUBCODES = new Set([2018278, 2018065]);

/**
 * Classifies a failed Send API call by the Graph error code first (Meta's subcodes have shifted
 * between releases), then by HTTP status. The message carries codes and the trace id only: Meta's own
 * text can echo what was sent (a phone number, a name), and the message ends up in logs and job records.
 */
export function classifyGraphFailure(status: number, error: GraphError | undefined): SendError {
  const code = typeof error?.code === 'number' ? error.code : undefined;
  const sub = typeof error?.error_subcode === 'number' ? error.error_subcode : undefined;
  const platformCode = code === undefined ? undefined : sub === undefined ? String(code) : `${code}/${sub}`;
  const trace = typeof error?.fbtrace_id === 'string' ? `, fbtrace_id ${error.fbtrace_id}` : '';
  const make = (reason: SendFailureReason, retryable: boolean) =>
    new SendError(reason, retryable, `Messenger send failed: HTTP ${status}, ${reason}${platformCode ? ` (${platformCode})` : ''}${trace}`, platformCode);

  if (code !== undefined) {
    if (code === 10 && sub !== undefined && WINDOW_CLOSED_SUBCODES.has(sub)) return make('window_closed', false);
    if (code === 551) return make('user_unavailable', false);
    if (sub === 1545041) return make('window_closed', false);
    if (code === 10) return make('permission', false);
    if (RATE_LIMIT_CODES.has(code)) return make('rate_limited', true);
    // 1/1357046 means the message may have gone out anyway: a retry could send it twice, so it is not retried.
    if (code === 1 && sub === 1357046) return make('unknown', false);
    if (TEMPORARY_CODES.has(code)) return make('server_error', true);
    if (code === 100) return make('bad_request', false);
    if (code === 190) return make('token_invalid', false);
    if (code === 200 || code === 230 || (code > 200 && code < 300)) return make('permission', false);
  }
  if (status === 429) return make('rate_limited', true);
  if (status >= 500) return make('server_error', true);
  if (status === 400) return make('bad_request', false);
  return make('unknown', false);
}

/** A request that got no HTTP answer (refused, reset, timed out) is worth another try. */
export function networkFailure(code: string | undefined): SendError {
  return new SendError('network', true, `Messenger send failed: no answer (${code ?? 'network error'})`, code);
}
