import http from 'node:http';
import { createHmac, randomBytes } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';

export interface FakeSms {
  phone: string;
  signName: string;
  templateCode: string;
  params: Record<string, string>;
  outId: string;
}

export interface FakeWechatMessage {
  touser: string;
  templateId: string;
  clientMsgId: string;
  data: Record<string, { value: string }>;
}

/** How the next sends fail: an HTTP 503, or the provider's own "busy" answer with HTTP 200. */
export type FakeFailure = 'http503' | 'busy';

export interface FakeMessagingProvider {
  /** Alibaba Cloud SendSms endpoint (NOTIFY_SMS_URL). */
  smsUrl: string;
  /** WeChat official account API base (NOTIFY_WECHAT_URL). */
  wechatUrl: string;
  /** The settings a governance worker needs to send here. */
  env: Record<string, string>;
  /** Messages accepted, each once: a repeat of an OutId / client_msg_id is counted in `repeats`, not here. */
  sms: FakeSms[];
  wechat: FakeWechatMessage[];
  /** Sends that repeated a message already accepted (a sender that sent twice). */
  repeats: number;
  /** Every send request that reached the provider, accepted or not. */
  attempts: number;
  /** The next `n` send requests (SMS and WeChat) fail the given way. */
  failNext(n: number, how?: FakeFailure): void;
  /** Stops answering: connections are refused until `up()`. */
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

const encode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * A local stand-in for the SMS and WeChat providers' HTTP APIs, for tests: Alibaba Cloud's SendSms
 * (RPC style, the request's HMAC-SHA1 signature checked as the real service checks it) and WeChat's
 * access token and template message endpoints (the token and the app secret checked). It accepts a
 * message once per idempotency key, as the providers do, and can fail on demand or go down.
 * Never used outside tests.
 */
export async function startFakeMessagingProvider(): Promise<FakeMessagingProvider> {
  const accessKeyId = 'LTAI-test';
  const accessKeySecret = randomBytes(12).toString('hex');
  const appId = 'wx-test-app';
  const appSecret = randomBytes(12).toString('hex');
  const tokens = new Set<string>();
  const seen = new Set<string>();
  let failures: FakeFailure[] = [];
  const sockets = new Set<Socket>();

  const read = (req: http.IncomingMessage) =>
    new Promise<string>((resolve) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => resolve(body));
    });
  const json = (res: http.ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  const provider: FakeMessagingProvider = {
    smsUrl: '',
    wechatUrl: '',
    env: {},
    sms: [],
    wechat: [],
    repeats: 0,
    attempts: 0,
    failNext: (n, how = 'http503') => void (failures = Array.from({ length: n }, () => how)),
    down: async () => {
      server.close();
      for (const s of sockets) s.destroy();
      await new Promise((r) => setTimeout(r, 20));
    },
    up: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve())),
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(() => r(undefined)));
    },
  };

  const handleSms = (res: http.ServerResponse, params: Record<string, string>) => {
    const { Signature, ...signed } = params;
    const canonical = Object.keys(signed)
      .sort()
      .map((k) => `${encode(k)}=${encode(signed[k])}`)
      .join('&');
    const expected = createHmac('sha1', `${accessKeySecret}&`)
      .update(`POST&${encode('/')}&${encode(canonical)}`)
      .digest('base64');
    if (params.AccessKeyId !== accessKeyId || Signature !== expected) {
      return json(res, 400, {
        Code: 'SignatureDoesNotMatch',
        Message: 'Specified signature is not matched with our calculation.',
      });
    }
    if (params.Action !== 'SendSms' || !/^1[3-9]\d{9}$/.test(params.PhoneNumbers ?? '')) {
      return json(res, 400, { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: 'invalid mobile number' });
    }
    provider.attempts++;
    const failure = failures.shift();
    if (failure === 'http503')
      return json(res, 503, {
        Code: 'ServiceUnavailable',
        Message: 'The request has failed due to a temporary failure of the server.',
      });
    if (failure === 'busy') return json(res, 200, { Code: 'isp.SYSTEM_ERROR', Message: 'system busy' });
    if (seen.has(`sms:${params.OutId}`)) provider.repeats++;
    else {
      seen.add(`sms:${params.OutId}`);
      provider.sms.push({
        phone: params.PhoneNumbers,
        signName: params.SignName,
        templateCode: params.TemplateCode,
        params: JSON.parse(params.TemplateParam),
        outId: params.OutId,
      });
    }
    return json(res, 200, {
      Code: 'OK',
      Message: 'OK',
      BizId: `biz-${provider.sms.length}`,
      RequestId: randomBytes(8).toString('hex'),
    });
  };

  const handleWechat = (res: http.ServerResponse, url: URL, raw: string) => {
    if (url.pathname === '/cgi-bin/token') {
      if (url.searchParams.get('appid') !== appId || url.searchParams.get('secret') !== appSecret)
        return json(res, 200, { errcode: 40013, errmsg: 'invalid appid' });
      const token = randomBytes(16).toString('hex');
      tokens.add(token);
      return json(res, 200, { access_token: token, expires_in: 7200 });
    }
    if (url.pathname !== '/cgi-bin/message/template/send') return json(res, 404, { errcode: 404, errmsg: 'not found' });
    if (!tokens.has(url.searchParams.get('access_token') ?? ''))
      return json(res, 200, { errcode: 40001, errmsg: 'invalid credential' });
    const body = JSON.parse(raw) as {
      touser: string;
      template_id: string;
      client_msg_id: string;
      data: Record<string, { value: string }>;
    };
    provider.attempts++;
    const failure = failures.shift();
    if (failure === 'http503') return json(res, 503, { errcode: -1, errmsg: 'system error' });
    if (failure === 'busy') return json(res, 200, { errcode: -1, errmsg: 'system busy' });
    if (seen.has(`wechat:${body.client_msg_id}`)) provider.repeats++;
    else {
      seen.add(`wechat:${body.client_msg_id}`);
      provider.wechat.push({
        touser: body.touser,
        templateId: body.template_id,
        clientMsgId: body.client_msg_id,
        data: body.data,
      });
    }
    return json(res, 200, { errcode: 0, errmsg: 'ok', msgid: 1000 + provider.wechat.length });
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await read(req);
    if (url.pathname === '/sms/') return handleSms(res, Object.fromEntries(new URLSearchParams(raw)));
    if (url.pathname.startsWith('/wechat/'))
      return handleWechat(res, new URL(url.pathname.slice('/wechat'.length) + url.search, url), raw);
    json(res, 404, {});
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  provider.smsUrl = `http://127.0.0.1:${port}/sms/`;
  provider.wechatUrl = `http://127.0.0.1:${port}/wechat`;
  provider.env = {
    NOTIFY_SMS_URL: provider.smsUrl,
    NOTIFY_SMS_ACCESS_KEY_ID: accessKeyId,
    NOTIFY_SMS_ACCESS_KEY_SECRET: accessKeySecret,
    NOTIFY_SMS_SIGN_NAME: '安居社区',
    NOTIFY_SMS_TEMPLATE_CODE: 'SMS_000001',
    NOTIFY_WECHAT_URL: provider.wechatUrl,
    NOTIFY_WECHAT_APP_ID: appId,
    NOTIFY_WECHAT_APP_SECRET: appSecret,
    NOTIFY_WECHAT_TEMPLATE_ID: 'TPL-anju-notice',
  };
  return provider;
}
