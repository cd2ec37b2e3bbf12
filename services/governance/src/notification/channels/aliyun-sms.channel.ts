import { createHmac, randomUUID } from 'node:crypto';
import { systemClock, type PersonalDataVault } from '@anju/kit';
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

export interface AliyunSmsSettings {
  /** The SendSms endpoint (https://dysmsapi.aliyuncs.com/). */
  url: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** 短信签名, registered with the provider. */
  signName: string;
  /** The approved template: variables ${title}, ${time}, ${place}. */
  templateCode: string;
  timeoutMs: number;
}

/** Codes the provider answers when it is busy or throttling: the message is tried again later. */
const RETRYABLE_CODES = new Set([
  'isp.SYSTEM_ERROR',
  'isv.BUSINESS_LIMIT_CONTROL',
  'Throttling',
  'Throttling.User',
  'ServiceUnavailable',
]);

/** RFC 3986 encoding as Alibaba Cloud's signature (version 1.0) wants it. */
const encode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The signature of an RPC-style Alibaba Cloud request (HMAC-SHA1 over the sorted, encoded parameters). */
export function aliyunSignature(method: string, params: Record<string, string>, secret: string): string {
  const canonical = Object.keys(params)
    .sort()
    .map((k) => `${encode(k)}=${encode(params[k])}`)
    .join('&');
  const toSign = `${method}&${encode('/')}&${encode(canonical)}`;
  return createHmac('sha1', `${secret}&`).update(toSign).digest('base64');
}

/**
 * SMS through Alibaba Cloud's SendSms API (阿里云短信): one templated message per delivery, the
 * delivery id as `OutId`. The phone is opened from its sealed form here and nowhere else, and goes
 * nowhere but the request body.
 */
export class AliyunSmsChannel implements DeliveryChannel {
  readonly name = 'sms' as const;

  constructor(
    private readonly settings: AliyunSmsSettings,
    private readonly vault: PersonalDataVault,
  ) {}

  async send(to: PushContact, message: PushMessage): Promise<SendOutcome> {
    if (!to.phoneSealed) return { ok: false, retryable: false, error: 'no phone number on record' };
    const s = this.settings;
    const params: Record<string, string> = {
      AccessKeyId: s.accessKeyId,
      Action: 'SendSms',
      Format: 'JSON',
      OutId: message.deliveryId,
      PhoneNumbers: this.vault.open(to.phoneSealed),
      RegionId: 'cn-hangzhou',
      SignName: s.signName,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: randomUUID(),
      SignatureVersion: '1.0',
      TemplateCode: s.templateCode,
      TemplateParam: JSON.stringify({
        title: fit(message.title),
        time: fit(provinceTimeText(message.details.when)),
        place: fit(message.details.where),
      }),
      // The provider checks the request's age against its own clock: the machine's time, not the domain's.
      Timestamp: systemClock
        .now()
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
      Version: '2017-05-25',
    };
    params.Signature = aliyunSignature('POST', params, s.accessKeySecret);
    const answer = await callProvider(
      s.url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
      },
      s.timeoutMs,
    );
    if ('ok' in answer) return answer;
    const body = (answer.body ?? {}) as { Code?: string; Message?: string; BizId?: string };
    if (answer.status === 200 && body.Code === 'OK') return { ok: true, providerMessageId: body.BizId ?? '' };
    const detail = body.Message ?? (typeof answer.body === 'string' ? answer.body : '');
    const error = scrubbed(`SMS ${answer.status} ${body.Code ?? ''} ${detail}`.trim());
    return {
      ok: false,
      retryable: answer.status >= 500 || answer.status === 429 || RETRYABLE_CODES.has(body.Code ?? ''),
      error,
    };
  }
}
