import { ConfigError, setting, type PersonalDataVault } from '@anju/kit';
import { z } from 'zod';
import { AliyunSmsChannel } from './channels/aliyun-sms.channel';
import { WechatTemplateChannel } from './channels/wechat-template.channel';
import type { DeliveryChannel } from './channels/push-channel';
import type { PushChannel } from './notification-kinds';

const hhmm = (def: string, doc: string) =>
  z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM')
    .default(def)
    .describe(doc);

/** The push senders and their rules (governance's worker sends; see README "Notifications"). */
export const notificationSettings = {
  NOTIFY_SMS_URL: setting.optionalUrl(
    'Alibaba Cloud SendSms endpoint (https://dysmsapi.aliyuncs.com/); unset: no SMS is sent',
  ),
  NOTIFY_SMS_ACCESS_KEY_ID: setting.optionalString('AccessKey id of the SMS account (with NOTIFY_SMS_URL)'),
  NOTIFY_SMS_ACCESS_KEY_SECRET: setting.optionalString('AccessKey secret of the SMS account (with NOTIFY_SMS_URL)'),
  NOTIFY_SMS_SIGN_NAME: setting.optionalString(
    'registered SMS signature (短信签名), e.g. 安居社区 (with NOTIFY_SMS_URL)',
  ),
  NOTIFY_SMS_TEMPLATE_CODE: setting.optionalString(
    'approved SMS template with variables ${title} ${time} ${place} (with NOTIFY_SMS_URL)',
  ),
  NOTIFY_WECHAT_URL: setting.optionalUrl(
    'WeChat official account API base (https://api.weixin.qq.com); unset: no WeChat message is sent',
  ),
  NOTIFY_WECHAT_APP_ID: setting.optionalString("the official account's AppID (with NOTIFY_WECHAT_URL)"),
  NOTIFY_WECHAT_APP_SECRET: setting.optionalString("the official account's AppSecret (with NOTIFY_WECHAT_URL)"),
  NOTIFY_WECHAT_TEMPLATE_ID: setting.optionalString(
    'template message id: first, keyword1 事项, keyword2 时间, keyword3 地点, remark (with NOTIFY_WECHAT_URL)',
  ),
  NOTIFY_SEND_TIMEOUT_MS: setting.int(
    5_000,
    'a provider call still unanswered after this long counts as failed and is retried',
    100,
    60_000,
  ),
  NOTIFY_DISPATCH_EVERY_MS: setting.int(5_000, 'how often the worker looks for push messages due to be sent', 100),
  NOTIFY_BATCH: setting.int(200, 'push messages taken per look', 1, 5_000),
  NOTIFY_DAILY_CAP: setting.int(
    10,
    'push messages (SMS and WeChat together) one person receives per province day; the rest stay in the inbox',
    1,
    1_000,
  ),
  NOTIFY_MAX_ATTEMPTS: setting.int(8, 'tries of one push message before it is given up (FAILED)', 1, 100),
  NOTIFY_RETRY_BASE_MS: setting.int(60_000, 'wait before the second try; doubles each try, at most six hours', 1),
  NOTIFY_QUIET_START: hhmm('22:00', 'default quiet hours (免打扰) start, province time: pushes wait until they end'),
  NOTIFY_QUIET_END: hhmm('07:00', 'default quiet hours end, province time'),
};

type NotificationConfig = {
  readonly [K in keyof typeof notificationSettings]: z.output<(typeof notificationSettings)[K]>;
} & { NODE_ENV: string };

/**
 * The push channels the configuration turns on. A channel whose URL is set needs every one of its
 * settings (all missing ones are reported at once), and https in production.
 */
export function pushChannelsFromConfig(
  config: NotificationConfig,
  vault: () => PersonalDataVault,
): Map<PushChannel, DeliveryChannel> {
  const problems: string[] = [];
  const need = (url: string | undefined, keys: (keyof NotificationConfig)[], urlKey: string) => {
    if (!url) return false;
    for (const k of keys) if (!config[k]) problems.push(`${String(k)}: required when ${urlKey} is set`);
    if (config.NODE_ENV === 'production' && new URL(url).protocol !== 'https:')
      problems.push(`${urlKey}: must be https in production`);
    return true;
  };
  const sms = need(
    config.NOTIFY_SMS_URL,
    ['NOTIFY_SMS_ACCESS_KEY_ID', 'NOTIFY_SMS_ACCESS_KEY_SECRET', 'NOTIFY_SMS_SIGN_NAME', 'NOTIFY_SMS_TEMPLATE_CODE'],
    'NOTIFY_SMS_URL',
  );
  const wechat = need(
    config.NOTIFY_WECHAT_URL,
    ['NOTIFY_WECHAT_APP_ID', 'NOTIFY_WECHAT_APP_SECRET', 'NOTIFY_WECHAT_TEMPLATE_ID'],
    'NOTIFY_WECHAT_URL',
  );
  if (problems.length) throw new ConfigError(problems);
  const channels = new Map<PushChannel, DeliveryChannel>();
  if (sms) {
    channels.set(
      'sms',
      new AliyunSmsChannel(
        {
          url: config.NOTIFY_SMS_URL!,
          accessKeyId: config.NOTIFY_SMS_ACCESS_KEY_ID!,
          accessKeySecret: config.NOTIFY_SMS_ACCESS_KEY_SECRET!,
          signName: config.NOTIFY_SMS_SIGN_NAME!,
          templateCode: config.NOTIFY_SMS_TEMPLATE_CODE!,
          timeoutMs: config.NOTIFY_SEND_TIMEOUT_MS,
        },
        vault(),
      ),
    );
  }
  if (wechat) {
    channels.set(
      'wechat',
      new WechatTemplateChannel({
        url: config.NOTIFY_WECHAT_URL!.replace(/\/$/, ''),
        appId: config.NOTIFY_WECHAT_APP_ID!,
        appSecret: config.NOTIFY_WECHAT_APP_SECRET!,
        templateId: config.NOTIFY_WECHAT_TEMPLATE_ID!,
        timeoutMs: config.NOTIFY_SEND_TIMEOUT_MS,
      }),
    );
  }
  return channels;
}

const minutes = (hhmmText: string) => Number(hhmmText.slice(0, 2)) * 60 + Number(hhmmText.slice(3, 5));

/** The dispatcher's rules from the configuration. */
export function dispatchRulesFromConfig(config: NotificationConfig): DispatchRules {
  return {
    batch: config.NOTIFY_BATCH,
    dailyCap: config.NOTIFY_DAILY_CAP,
    maxAttempts: config.NOTIFY_MAX_ATTEMPTS,
    retryBaseMs: config.NOTIFY_RETRY_BASE_MS,
    leaseMs: config.NOTIFY_SEND_TIMEOUT_MS * 3,
    defaultQuiet: { start: minutes(config.NOTIFY_QUIET_START), end: minutes(config.NOTIFY_QUIET_END) },
  };
}

export interface DispatchRules {
  batch: number;
  dailyCap: number;
  maxAttempts: number;
  retryBaseMs: number;
  /** A message taken to be sent and not settled within this long (its sender died) is taken again. */
  leaseMs: number;
  /** Minutes after midnight, province time. */
  defaultQuiet: { start: number; end: number };
}
