/**
 * Webhook bodies as Meta writes them (escaped, signed with the app secret), one distinct event
 * (unique mid) per message. Message i carries "#i" in its text; the echo flow and the relay
 * baseline repeat the text, so the fake Send API can tell which message a reply answers.
 */
import { messengerTextBody } from '../../test/helpers/messenger-bodies';

export const BENCH_SECRETS = {
  MESSENGER_APP_SECRET: 'bench-app-secret',
  MESSENGER_VERIFY_TOKEN: 'bench-verify-token',
  MESSENGER_PAGE_ACCESS_TOKEN: 'bench-page-token',
};

export interface SignedEvent {
  index: number;
  psid: string;
  body: Buffer;
  signature: string;
}

/** Vietnamese on purpose: Meta escapes it as \uXXXX, and the signature covers the escaped bytes. */
export function messageText(index: number): string {
  return `Xin hỏi thủ tục đăng ký khai sinh số #${index}`;
}

/** What the echo flow (bench/flows/echo.yaml) and the relay baseline answer to `text`. */
export function replyTextFor(text: string): string {
  return `Đã nhận: ${text}`;
}

/** The message index a reply carries, or null. */
export function indexInReply(text: string): number | null {
  const m = /#(\d+)/.exec(text);
  return m ? Number(m[1]) : null;
}

/** Builds signed events on demand: event i from PSID `psidOf(i)`, mid unique to this run. */
export function eventFactory(runTag: string, psidOf: (i: number) => string, secret = BENCH_SECRETS.MESSENGER_APP_SECRET) {
  let next = 0;
  const make = (index: number): SignedEvent => {
    const psid = psidOf(index);
    const { raw, signature } = messengerTextBody({ psid, mid: `m_${runTag}_${index}`, text: messageText(index) }, secret);
    return { index, psid, body: Buffer.from(raw), signature };
  };
  return {
    /** the next event, numbered from 0 */
    next(): SignedEvent {
      return make(next++);
    },
    /** builds the next `n` ahead of time, so the load generator spends nothing on them while it measures */
    take(n: number): SignedEvent[] {
      const out: SignedEvent[] = [];
      for (let k = 0; k < n; k++) out.push(make(next++));
      return out;
    },
    get count(): number {
      return next;
    },
  };
}

export type EventFactory = ReturnType<typeof eventFactory>;
