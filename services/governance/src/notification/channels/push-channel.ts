import { provinceDate, provinceTimeOfDay } from '@anju/kit';
import type { PushChannel } from '../notification-kinds';
import type { NotificationDetails } from '../notify';

/**
 * One message to push: the delivery's id doubles as the provider's idempotency key (a resend is not a second message).
 */
export interface PushMessage {
  deliveryId: string;
  kind: string;
  title: string;
  body: string;
  details: NotificationDetails;
}

/** Where to push it: a sealed phone (opened only inside the SMS sender) or a WeChat openid. */
export interface PushContact {
  phoneSealed: Buffer | null;
  wechatOpenId: string | null;
}

export type SendOutcome =
  | { ok: true; providerMessageId: string }
  /**
   * `retryable`: the provider was down, busy or throttling — try again later; otherwise it refused the message for
   * good.
   */
  | { ok: false; retryable: boolean; error: string };

/**
 * A push channel behind one interface (the inbox is the stored notification itself): SMS and WeChat
 * template messages, real HTTP senders configured from the environment.
 */
export interface DeliveryChannel {
  readonly name: PushChannel;
  send(to: PushContact, message: PushMessage): Promise<SendOutcome>;
}

/** Provider error text as it may be stored or logged: any mobile number in it is masked. */
export function scrubbed(text: string): string {
  return text.replace(/1[3-9]\d{9}/g, (m) => `${m.slice(0, 3)}****${m.slice(7)}`).slice(0, 500);
}

/** A POST or GET with a deadline; network failures and timeouts come back as a retryable outcome. */
export async function callProvider(
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<{ status: number; body: unknown } | SendOutcome> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // a proxy's HTML error page: keep the text
    }
    return { status: res.status, body };
  } catch (err) {
    const why = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    return { ok: false, retryable: true, error: scrubbed(`provider unreachable: ${why}`) };
  }
}

/** What fits in a template variable: providers cap their length (Aliyun 35 characters for most). */
export const fit = (text: string | undefined | null, max = 35) => {
  const t = (text ?? '').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};

/** An instant as a resident reads it (province time): `12月3日 09:30`. */
export function provinceTimeText(iso: string | undefined): string {
  if (!iso) return '';
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (dateOnly) return `${Number(dateOnly[2])}月${Number(dateOnly[3])}日`;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const [, month, day] = provinceDate(at).split('-').map(Number);
  return `${month}月${day}日 ${provinceTimeOfDay(at)}`;
}
