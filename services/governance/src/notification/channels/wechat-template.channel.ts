import { systemClock } from '@anju/kit';
import {
  callProvider,
  fit,
  provinceTimeText,
  scrubbed,
  type DeliveryChannel,
  type PushContact,
  type PushMessage,
  type SendOutcome,
} from './push-channel';

export interface WechatTemplateSettings {
  /** The official account API's base (https://api.weixin.qq.com). */
  url: string;
  appId: string;
  appSecret: string;
  /** The template message's id: fields first, keyword1 (事项), keyword2 (时间), keyword3 (地点), remark. */
  templateId: string;
  timeoutMs: number;
}

/** errcodes after which the access token is fetched again and the message retried. */
const TOKEN_ERRORS = new Set([40001, 40014, 42001]);
/** errcodes of a busy or rate-limited platform: retried later. */
const BUSY_ERRORS = new Set([-1, 45009, 45047]);

/**
 * WeChat official account template messages (微信模板消息): an access token fetched with the app's
 * id and secret and kept until shortly before it expires, one message per delivery with the
 * delivery id as `client_msg_id` (the platform drops a repeat).
 */
export class WechatTemplateChannel implements DeliveryChannel {
  readonly name = 'wechat' as const;
  private token?: { value: string; until: number };

  constructor(private readonly settings: WechatTemplateSettings) {}

  private async accessToken(): Promise<string | SendOutcome> {
    // Token lifetimes are the platform's, on the machine's clock.
    const now = systemClock.now().getTime();
    if (this.token && this.token.until > now) return this.token.value;
    const s = this.settings;
    const query = new URLSearchParams({ grant_type: 'client_credential', appid: s.appId, secret: s.appSecret });
    const answer = await callProvider(`${s.url}/cgi-bin/token?${query}`, { method: 'GET' }, s.timeoutMs);
    if ('ok' in answer) return answer;
    const body = (answer.body ?? {}) as {
      access_token?: string;
      expires_in?: number;
      errcode?: number;
      errmsg?: string;
    };
    if (answer.status !== 200 || !body.access_token) {
      return {
        ok: false,
        retryable: answer.status >= 500 || BUSY_ERRORS.has(body.errcode ?? 0),
        error: scrubbed(`WeChat token ${answer.status} ${body.errcode ?? ''} ${body.errmsg ?? ''}`),
      };
    }
    this.token = { value: body.access_token, until: now + Math.max((body.expires_in ?? 7200) - 300, 60) * 1000 };
    return body.access_token;
  }

  async send(to: PushContact, message: PushMessage): Promise<SendOutcome> {
    if (!to.wechatOpenId) return { ok: false, retryable: false, error: 'no WeChat openid bound' };
    const token = await this.accessToken();
    if (typeof token !== 'string') return token;
    const d = message.details;
    const remark = [message.body, d.bring ? `请携带：${d.bring}` : '', d.contact ? `联系：${d.contact}` : '']
      .filter(Boolean)
      .join(' ');
    const answer = await callProvider(
      `${this.settings.url}/cgi-bin/message/template/send?access_token=${encodeURIComponent(token)}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          touser: to.wechatOpenId,
          template_id: this.settings.templateId,
          client_msg_id: message.deliveryId,
          data: {
            first: { value: fit(message.title, 100) },
            keyword1: { value: fit(d.what ?? message.title, 100) },
            keyword2: { value: provinceTimeText(d.when) || '—' },
            keyword3: { value: fit(d.where, 100) || '—' },
            remark: { value: fit(remark, 200) },
          },
        }),
      },
      this.settings.timeoutMs,
    );
    if ('ok' in answer) return answer;
    const body = (answer.body ?? {}) as { errcode?: number; errmsg?: string; msgid?: number | string };
    if (answer.status === 200 && body.errcode === 0) return { ok: true, providerMessageId: String(body.msgid ?? '') };
    if (TOKEN_ERRORS.has(body.errcode ?? 0)) this.token = undefined;
    const retryable = answer.status >= 500 || TOKEN_ERRORS.has(body.errcode ?? 0) || BUSY_ERRORS.has(body.errcode ?? 0);
    return {
      ok: false,
      retryable,
      error: scrubbed(`WeChat ${answer.status} ${body.errcode ?? ''} ${body.errmsg ?? ''}`.trim()),
    };
  }
}
