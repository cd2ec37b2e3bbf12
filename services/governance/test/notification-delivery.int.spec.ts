import {
  ConfigError,
  PersonalDataVault,
  addDays,
  personalDataKeys,
  provinceDate,
  startOfProvinceDay,
  SetClock,
} from '@anju/kit';
import { TestSystem, dataOf, startFakeMessagingProvider, tokenFor, type FakeMessagingProvider } from '@anju/testing';
import { loadGovernanceConfig } from '../src/config';
import { dispatchDueDeliveries, type DispatchReport } from '../src/notification/notification-dispatch.task';
import { dispatchRulesFromConfig, pushChannelsFromConfig } from '../src/notification/notification.config';
import { governanceSql, registerResidents, seedNeighbourhood, type Neighbourhood } from './helpers';

/**
 * Push delivery of notifications through a local fake of the SMS (Alibaba Cloud SendSms) and WeChat
 * (template message) APIs: sent once each, an outage retried with backoff until nothing is lost and
 * nothing sent twice, quiet hours, the daily cap, preferences.
 */
describe('notification delivery (governance → fake SMS / WeChat providers)', () => {
  let sys: TestSystem;
  let fake: FakeMessagingProvider;
  let n: Neighbourhood;
  let residents: string[];
  let tokens: string[];
  let dispatch: () => Promise<DispatchReport>;
  /** The dispatcher's clock: 10:00 in Yunnan on the day after the system's, whatever hour the test runs at. */
  let clock: SetClock;
  const HOUR = 3_600_000;
  const OPEN_ID = 'oWx1234567890abcdefGHIJKL';
  const CREATE_NOTICE = `mutation($i: CreateNoticeInput!) { createNotice(input: $i) { id } }`;
  const SET = `mutation($i: NotificationPreferencesInput!) { setMyNotificationPreferences(input: $i) { smsEnabled } }`;
  const DELIVERIES = `query($first: Int) { myNotifications(first: $first) { nodes { id title deliveries {
    channel status attempts lastError sentAt nextAttemptAt } } } }`;
  const notice = async (title: string, category = 'SUBSIDY') =>
    dataOf(
      await sys.query(
        CREATE_NOTICE,
        { i: { siteIds: [n.siteId], category, title, body: `${title}，详见公示栏。` } },
        n.officer,
      ),
    ).createNotice.id as string;
  const deliveriesOf = async (token: string, title: string) =>
    dataOf(await sys.query(DELIVERIES, { first: 100 }, token)).myNotifications.nodes.find(
      (x: { title: string }) => x.title === `居务公开：${title}`,
    ).deliveries;

  beforeAll(async () => {
    fake = await startFakeMessagingProvider();
    const env = { ...fake.env, NOTIFY_DAILY_CAP: '5', NOTIFY_RETRY_BASE_MS: '60000', NOTIFY_MAX_ATTEMPTS: '5' };
    sys = await TestSystem.start({ label: 'gov-push', apis: ['governance'], workers: ['governance'], env });
    n = await seedNeighbourhood(sys);
    residents = await registerResidents(
      sys,
      n.officer,
      [1, 2, 3, 4].map((seq) => ({
        householdId: n.householdIds[seq % 2],
        seq,
        overrides: { phone: `1390000000${seq}` },
      })),
    );
    tokens = await Promise.all(residents.map((r) => tokenFor({ role: 'resident', resident: r, sites: [n.siteId] })));
    // Residents 0 and 1 follow the official account; resident 2 turned SMS off; resident 3 mutes notices.
    for (const i of [0, 1]) dataOf(await sys.query(SET, { i: { wechatOpenId: `${OPEN_ID}${i}` } }, tokens[i]));
    dataOf(await sys.query(SET, { i: { smsEnabled: false } }, tokens[2]));
    dataOf(await sys.query(SET, { i: { mutedKinds: ['NOTICE_PUBLISHED'] } }, tokens[3]));
    const config = loadGovernanceConfig({ ...sys.env, ...env });
    const channels = pushChannelsFromConfig(config, () => new PersonalDataVault(personalDataKeys(config)));
    clock = new SetClock(new Date(startOfProvinceDay(addDays(provinceDate(sys.clock.now()), 1)).getTime() + 10 * HOUR));
    dispatch = () => dispatchDueDeliveries(governanceSql(sys), channels, dispatchRulesFromConfig(config), clock);
  });
  // Each test on a province day of its own, at 10:00 in Yunnan: the daily cap counts per day.
  beforeEach(() =>
    clock.set(new Date(startOfProvinceDay(addDays(provinceDate(clock.now()), 1)).getTime() + 10 * HOUR)),
  );
  afterAll(async () => {
    await sys?.stop();
    await fake?.stop();
  });

  it('sends each push once via the providers, with details, records SENT; preferences pick the channels', async () => {
    const before = { sms: fake.sms.length, wechat: fake.wechat.length, repeats: fake.repeats };
    await notice('一月份补贴发放');
    expect(await dispatch()).toEqual({ sent: 4, retrying: 0, failed: 0, deferred: 0, capped: 0 });
    expect(await dispatch()).toEqual({ sent: 0, retrying: 0, failed: 0, deferred: 0, capped: 0 });
    // Residents 0 and 1 by SMS and WeChat; resident 2 turned SMS off and has no WeChat; resident 3 muted notices.
    const sms = fake.sms.slice(before.sms);
    const wechat = fake.wechat.slice(before.wechat);
    expect(sms.map((m) => m.phone).sort()).toEqual(['13900000001', '13900000002']);
    expect(wechat.map((m) => m.touser).sort()).toEqual([`${OPEN_ID}0`, `${OPEN_ID}1`]);
    expect(sms[0]).toMatchObject({
      signName: '安居社区',
      templateCode: 'SMS_000001',
      params: { title: '居务公开：一月份补贴发放' },
    });
    expect(wechat[0].data).toMatchObject({
      first: { value: '居务公开：一月份补贴发放' },
      keyword1: { value: '一月份补贴发放' },
    });
    expect(fake.repeats).toBe(before.repeats);
    const mine = await deliveriesOf(tokens[0], '一月份补贴发放');
    expect(
      mine.map((d: { channel: string; status: string; attempts: number }) => [d.channel, d.status, d.attempts]),
    ).toEqual([
      ['SMS', 'SENT', 1],
      ['WECHAT', 'SENT', 1],
    ]);
    expect(await deliveriesOf(tokens[2], '一月份补贴发放')).toEqual([]);
    expect(await deliveriesOf(tokens[3], '一月份补贴发放')).toEqual([]);
    // Phones appear in no log line and no stored error.
    expect(sys.logs.text()).not.toMatch(/1390000000\d/);
  });

  it('a provider outage (5xx, busy, then down) is retried with backoff: nothing lost, nothing sent twice', async () => {
    const before = { sms: fake.sms.length, wechat: fake.wechat.length, repeats: fake.repeats };
    await notice('二月份补贴发放');
    fake.failNext(2, 'http503');
    let report = await dispatch();
    expect(report).toMatchObject({ sent: 2, retrying: 2, failed: 0 });
    const waiting = (await deliveriesOf(tokens[0], '二月份补贴发放'))
      .concat(await deliveriesOf(tokens[1], '二月份补贴发放'))
      .filter((d: { status: string }) => d.status === 'PENDING');
    expect(waiting).toHaveLength(2);
    expect(waiting[0]).toMatchObject({ attempts: 1, lastError: expect.stringContaining('503') });
    expect(new Date(waiting[0].nextAttemptAt).getTime() - clock.now().getTime()).toBe(60_000);
    // Not due before the backoff has passed.
    expect(await dispatch()).toMatchObject({ sent: 0, retrying: 0 });
    // The provider goes down altogether: connections refused; the wait doubles.
    await fake.down();
    clock.advance(60_000);
    expect(await dispatch()).toMatchObject({ sent: 0, retrying: 2 });
    const twice = (await deliveriesOf(tokens[0], '二月份补贴发放'))
      .concat(await deliveriesOf(tokens[1], '二月份补贴发放'))
      .filter((d: { status: string }) => d.status === 'PENDING');
    expect(
      twice.map((d: { attempts: number; nextAttemptAt: string }) => [
        d.attempts,
        new Date(d.nextAttemptAt).getTime() - clock.now().getTime(),
      ]),
    ).toEqual([
      [2, 120_000],
      [2, 120_000],
    ]);
    expect(twice[0].lastError).toMatch(/unreachable/);
    // Busy for one more try once it is back, then it recovers.
    await fake.up();
    fake.failNext(1, 'busy');
    clock.advance(120_000);
    report = await dispatch();
    expect(report).toMatchObject({ sent: 1, retrying: 1 });
    clock.advance(240_000);
    expect(await dispatch()).toMatchObject({ sent: 1, retrying: 0 });
    // Every push of the notice arrived exactly once.
    expect(fake.sms.length - before.sms).toBe(2);
    expect(fake.wechat.length - before.wechat).toBe(2);
    expect(fake.repeats).toBe(before.repeats);
    const ids = [...fake.sms.map((m) => m.outId), ...fake.wechat.map((m) => m.clientMsgId)];
    expect(new Set(ids).size).toBe(ids.length);
    const [{ unsettled }] = await sys.sql(
      `SELECT count(*)::int AS unsettled FROM governance.notification_delivery d JOIN governance.notification n
        ON n.id = d.notification_id WHERE n.title = '居务公开：二月份补贴发放' AND d.status <> 'sent'`,
    );
    expect(unsettled).toBe(0);
  });

  // The provider sees a repeat under the same id; the person gets one message.
  it('a sender that died mid-send is retaken when its lease ends, same id: the provider sees a repeat', async () => {
    const repeats = fake.repeats;
    await notice('三月份补贴发放');
    await dispatch();
    const accepted = fake.sms.length;
    // As if the sender had died after the provider accepted it, before recording SENT.
    await sys.sql(
      `UPDATE governance.notification_delivery d SET status = 'sending', next_attempt_at = $1
                     FROM governance.notification n WHERE n.id = d.notification_id AND n.title = '居务公开：三月份补贴发放'
                       AND d.channel = 'sms'`,
      [clock.now()],
    );
    expect(await dispatch()).toMatchObject({ sent: 2 });
    expect(fake.sms.length).toBe(accepted);
    expect(fake.repeats - repeats).toBe(2);
  });

  it("quiet hours defer a push to their end; a person's own quiet hours win over the default", async () => {
    // 12:00–14:00 for resident 0; the dispatcher's clock reads 12:30 (Yunnan).
    dataOf(await sys.query(SET, { i: { quietHours: { start: '12:00', end: '14:00' } } }, tokens[0]));
    clock.set(new Date(startOfProvinceDay(provinceDate(clock.now())).getTime() + 12.5 * HOUR));
    await notice('四月份补贴发放');
    expect(await dispatch()).toMatchObject({ sent: 2, deferred: 2 });
    const held = await deliveriesOf(tokens[0], '四月份补贴发放');
    expect(held.map((d: { status: string }) => d.status)).toEqual(['DEFERRED', 'DEFERRED']);
    expect(new Date(held[0].nextAttemptAt).getTime() - clock.now().getTime()).toBe(1.5 * HOUR);
    clock.advance(HOUR);
    expect(await dispatch()).toMatchObject({ sent: 0, deferred: 0 });
    clock.advance(0.5 * HOUR);
    expect(await dispatch()).toMatchObject({ sent: 2 });
    // The default (22:00–07:00) for everyone else: at 23:00 resident 1 waits until 07:00.
    clock.set(new Date(startOfProvinceDay(provinceDate(clock.now())).getTime() + 23 * HOUR));
    await notice('五月份补贴发放');
    expect(await dispatch()).toMatchObject({ sent: 2, deferred: 2 }); // resident 0 keeps their own (12:00–14:00)
    const night = await deliveriesOf(tokens[1], '五月份补贴发放');
    expect(new Date(night[0].nextAttemptAt).getTime() - clock.now().getTime()).toBe(8 * HOUR);
    dataOf(await sys.query(SET, { i: { quietHours: null } }, tokens[0]));
    // At 07:00 resident 1's two go out: nothing is left due for the next test.
    clock.advance(8 * HOUR);
    expect(await dispatch()).toMatchObject({ sent: 2, deferred: 0 });
  });

  it('the daily cap (5 a person a province day) keeps the rest in the inbox only, marked CAPPED', async () => {
    // Resident 1's first two pushes of the day; resident 0 mutes notices for this one, so has none yet.
    dataOf(await sys.query(SET, { i: { mutedKinds: ['NOTICE_PUBLISHED'] } }, tokens[0]));
    await notice('晨间通知');
    dataOf(await sys.query(SET, { i: { mutedKinds: [] } }, tokens[0]));
    expect(await dispatch()).toMatchObject({ sent: 2, capped: 0 });
    for (const t of ['六月份补贴发放', '七月份补贴发放']) await notice(t);
    // Resident 1 has 2 (this morning) + 4 pushes due: 3 go out, 1 capped; resident 0 has 4: all go out.
    const report = await dispatch();
    expect(report).toMatchObject({ sent: 7, capped: 1 });
    const [capped] = await sys.sql(
      `SELECT recipient, status FROM governance.notification_delivery WHERE status = 'capped'`,
    );
    expect(capped.recipient).toBe(`resident:${residents[1]}`);
    // Both notices were published at one instant (the clock holds still): either may hold the capped push.
    const statuses = [
      ...(await deliveriesOf(tokens[1], '六月份补贴发放')),
      ...(await deliveriesOf(tokens[1], '七月份补贴发放')),
    ].map((d: { status: string }) => d.status);
    expect(statuses.sort()).toEqual(['CAPPED', 'SENT', 'SENT', 'SENT']);
  });

  it('a channel configured by half is refused at start, every missing setting named', () => {
    const config = loadGovernanceConfig({
      NODE_ENV: 'production',
      NOTIFY_SMS_URL: 'http://sms.example/',
      NOTIFY_WECHAT_URL: 'https://api.weixin.qq.com',
      NOTIFY_WECHAT_APP_ID: 'wx1',
    });
    expect(() =>
      pushChannelsFromConfig(config, () => {
        throw new Error('no vault needed');
      }),
    ).toThrow(ConfigError);
    try {
      pushChannelsFromConfig(config, () => {
        throw new Error('no vault needed');
      });
    } catch (err) {
      expect((err as ConfigError).problems).toEqual([
        'NOTIFY_SMS_ACCESS_KEY_ID: required when NOTIFY_SMS_URL is set',
        'NOTIFY_SMS_ACCESS_KEY_SECRET: required when NOTIFY_SMS_URL is set',
        'NOTIFY_SMS_SIGN_NAME: required when NOTIFY_SMS_URL is set',
        'NOTIFY_SMS_TEMPLATE_CODE: required when NOTIFY_SMS_URL is set',
        'NOTIFY_SMS_URL: must be https in production',
        'NOTIFY_WECHAT_APP_SECRET: required when NOTIFY_WECHAT_URL is set',
        'NOTIFY_WECHAT_TEMPLATE_ID: required when NOTIFY_WECHAT_URL is set',
      ]);
    }
  });
});
