import { useState } from 'preact/hooks';
import { request, session, useQuery } from '../api';
import {
  MARK_READ,
  MY_NOTIFICATIONS,
  MY_PREFERENCES,
  SET_MY_PREFERENCES,
  type MarkReadMutationVariables,
  type MyNotificationsQuery,
  type MyPreferencesQuery,
  type NotificationKind,
} from '../generated/operations';
import { DELIVERY_STATUS, NOTIFICATION_KIND, PUSH_CHANNEL, choices, say } from '../labels';
import { when } from '../dates';
import { Submit, useAction } from '../ui/action';
import { Empty, ErrorBox, Show } from '../ui/states';
import { useCursor } from '../ui/table';

type Notification = MyNotificationsQuery['myNotifications']['nodes'][number];
type Prefs = MyPreferencesQuery['myNotificationPreferences'];

/** The header's badge listens for this after a mark-read, so it need not ask the gateway again. */
export const UNREAD_EVENT = 'anju:unread';
/** Marks read (ids, or all) and tells the header the unread count after. */
async function markRead(vars: MarkReadMutationVariables) {
  const { markNotificationsRead: unread } = await request(MARK_READ, vars);
  window.dispatchEvent(new CustomEvent(UNREAD_EVENT, { detail: unread }));
}

/** Where a notification's record is shown in the portal, when it is shown anywhere. */
function linkOf(n: Notification): string | null {
  if (n.entityType === 'Proposal' && n.entityId) return `#/proposal/${n.entityId}`;
  if (n.entityType === 'Survey' && n.entityId) return `#/survey/${n.entityId}`;
  return null;
}

/** 消息 — anyone's own inbox: newest first, unread marked, read one by one or all at once. */
export function InboxPage() {
  const [unreadOnly, setUnreadOnly] = useState(false);
  const cursor = useCursor(20);
  const [r, retry] = useQuery(MY_NOTIFICATIONS, { unreadOnly, after: cursor.after });
  const all = useAction();
  return (
    <div class="phone">
      <h1>我的消息</h1>
      <Show result={r} retry={retry} what="消息">
        {({ myNotifications: page }) => (
          <>
            <div class="filters">
              <p class="hint">
                未读{' '}
                <b data-count="unread" class={page.unreadCount ? 'warn' : ''}>
                  {page.unreadCount}
                </b>{' '}
                条， 共 {page.totalCount} 条
              </p>
              <label class="check">
                <input
                  type="checkbox"
                  name="unreadOnly"
                  checked={unreadOnly}
                  onChange={(e) => {
                    setUnreadOnly(e.currentTarget.checked);
                    cursor.reset();
                  }}
                />
                只看未读
              </label>
              {page.unreadCount > 0 && (
                <button
                  type="button"
                  data-mark-all
                  disabled={all.busy}
                  onClick={() => all.run(() => markRead({ all: true })).then((ok) => ok && retry())}
                >
                  全部标为已读
                </button>
              )}
            </div>
            {all.error && <ErrorBox error={all.error} />}
            {page.nodes.length ? (
              <ul class="cards" data-list="notifications">
                {page.nodes.map((n) => (
                  <Item n={n} done={retry} />
                ))}
              </ul>
            ) : (
              <Empty>{unreadOnly ? '没有未读消息。' : '还没有消息。'}</Empty>
            )}
            {cursor.pager(page)}
          </>
        )}
      </Show>
      <Preferences />
    </div>
  );
}

function Item({ n, done }: { n: Notification; done: () => void }) {
  const mark = useAction();
  const d = n.details;
  const link = linkOf(n);
  const facts = [
    ['事项', d.what],
    ['时间', d.when && /T/.test(d.when) ? when(d.when) : d.when],
    ['地点', d.where],
    ['携带', d.bring],
    ['联系人', d.contact],
  ].filter((x): x is [string, string] => Boolean(x[1]));
  return (
    <li class={n.readAt ? 'read' : 'unread'} data-notification={n.id} data-read={n.readAt ? 'yes' : 'no'}>
      <b>
        {n.readAt ? '' : '● '}
        {n.title}
      </b>
      <span class="hint">
        {say(NOTIFICATION_KIND, n.kind)} · {when(n.createdAt)}
      </span>
      <span>{n.body}</span>
      {facts.length > 0 && (
        <dl class="details">
          {facts.map(([k, v]) => (
            <div>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      )}
      {n.deliveries.length > 0 && (
        <span class="hint">
          {n.deliveries.map((x) => `${say(PUSH_CHANNEL, x.channel)}：${say(DELIVERY_STATUS, x.status)}`).join('；')}
        </span>
      )}
      <span>
        {link && <a href={link}>查看详情</a>}
        {!n.readAt && (
          <button
            type="button"
            class="link"
            data-mark-read={n.id}
            disabled={mark.busy}
            onClick={() => mark.run(() => markRead({ ids: [n.id] })).then((ok) => ok && done())}
          >
            标为已读
          </button>
        )}
      </span>
      {mark.error && <ErrorBox error={mark.error} />}
    </li>
  );
}

/** 消息设置: SMS and WeChat on or off, quiet hours, kinds never pushed; a non-resident's own phone for SMS. */
function Preferences() {
  const [r, retry] = useQuery(MY_PREFERENCES);
  return (
    <section class="block">
      <h2>
        消息设置<small>站内消息都会收到；这里设置哪些再用短信、微信推送</small>
      </h2>
      <Show result={r} retry={retry} what="消息设置">
        {({ myNotificationPreferences: p }) => <PreferencesForm p={p} saved={retry} />}
      </Show>
    </section>
  );
}

function PreferencesForm({ p, saved }: { p: Prefs; saved: () => void }) {
  const [sms, setSms] = useState(p.smsEnabled);
  const [wechat, setWechat] = useState(p.wechatEnabled);
  const [quiet, setQuiet] = useState(Boolean(p.quietHours));
  const [start, setStart] = useState(p.quietHours?.start ?? '22:00');
  const [end, setEnd] = useState(p.quietHours?.end ?? '07:00');
  const [muted, setMuted] = useState(new Set(p.mutedKinds));
  const [phone, setPhone] = useState('');
  const [done, setDone] = useState(false);
  const act = useAction();
  const resident = session.get()?.role === 'resident';
  const toggle = (kind: NotificationKind) => {
    const next = new Set(muted);
    if (!next.delete(kind)) next.add(kind);
    setMuted(next);
  };
  return (
    <form
      class="form"
      data-form="preferences"
      onSubmit={async (e) => {
        e.preventDefault();
        setDone(false);
        const input = {
          smsEnabled: sms,
          wechatEnabled: wechat,
          quietHours: quiet ? { start, end } : null,
          mutedKinds: [...muted],
          ...(phone.trim() ? { phone: phone.trim() } : {}),
        };
        if (await act.run(() => request(SET_MY_PREFERENCES, { input }))) {
          setDone(true);
          saved();
        }
      }}
    >
      <span>
        <label class="check">
          <input type="checkbox" name="smsEnabled" checked={sms} onChange={() => setSms(!sms)} />
          短信
        </label>
        <label class="check">
          <input type="checkbox" name="wechatEnabled" checked={wechat} onChange={() => setWechat(!wechat)} />
          微信{p.wechatBound ? '' : '（尚未绑定微信）'}
        </label>
      </span>
      <span class="hint">短信发送到：{p.phoneMasked ?? '未登记手机号'}</span>
      {!resident && (
        <label>
          手机号（用于短信）
          <input
            name="phone"
            value={phone}
            placeholder="不修改请留空"
            onInput={(e) => setPhone(e.currentTarget.value)}
          />
        </label>
      )}
      <span class="filters">
        <label class="check">
          <input type="checkbox" name="quiet" checked={quiet} onChange={() => setQuiet(!quiet)} />
          免打扰时段（北京时间）
        </label>
        {quiet && (
          <>
            <label>
              从<input type="time" name="quietStart" value={start} onInput={(e) => setStart(e.currentTarget.value)} />
            </label>
            <label>
              到<input type="time" name="quietEnd" value={end} onInput={(e) => setEnd(e.currentTarget.value)} />
            </label>
          </>
        )}
      </span>
      <fieldset>
        <legend>不推送这些消息（仍在站内收到）</legend>
        <div class="checks">
          {choices(NOTIFICATION_KIND).map(([kind, words]) => (
            <label class="check">
              <input type="checkbox" data-mute={kind} checked={muted.has(kind)} onChange={() => toggle(kind)} />
              {words}
            </label>
          ))}
        </div>
      </fieldset>
      {done && (
        <span class="hint" data-saved>
          已保存。
        </span>
      )}
      <Submit act={act} label="保存设置" running="正在保存…" />
    </form>
  );
}
