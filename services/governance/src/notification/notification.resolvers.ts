import type { GovernanceContext } from '../context';
import { NOTIFICATION_KINDS, type NotificationKind, type PushChannel } from './notification-kinds';
import type { DeliveryRow, NotificationRow, PreferencesInput, PreferencesRow } from './notification.service';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

export const notificationResolvers = {
  NotificationKind: Object.fromEntries(Object.keys(NOTIFICATION_KINDS).map((k) => [k.toUpperCase(), k])),
  PushChannel: { SMS: 'sms', WECHAT: 'wechat' },
  DeliveryStatus: {
    PENDING: 'pending',
    DEFERRED: 'deferred',
    SENDING: 'sending',
    SENT: 'sent',
    FAILED: 'failed',
    CAPPED: 'capped',
  },
  Query: {
    myNotifications: (
      _: unknown,
      a: { first?: number; after?: string; unreadOnly?: boolean },
      ctx: GovernanceContext,
    ) => ctx.notifications.list(a),
    myNotification: (_: unknown, a: { id: string }, ctx: GovernanceContext) => ctx.loaders.notification.load(a.id),
    myUnreadNotificationCount: (_: unknown, __: unknown, ctx: GovernanceContext) => ctx.notifications.unreadCount(),
    myNotificationPreferences: (_: unknown, __: unknown, ctx: GovernanceContext) => ctx.notifications.preferences(),
    noticeCategoryChannels: (_: unknown, __: unknown, ctx: GovernanceContext) =>
      ctx.notifications.noticeCategoryChannels(),
  },
  Mutation: {
    markNotificationsRead: (_: unknown, a: { ids?: string[]; all?: boolean }, ctx: GovernanceContext) =>
      ctx.notifications.markRead(a.ids, a.all),
    setMyNotificationPreferences: (_: unknown, a: { input: PreferencesInput }, ctx: GovernanceContext) =>
      ctx.notifications.setPreferences(a.input),
    setNoticeCategoryChannels: (_: unknown, a: { category: string; channels: PushChannel[] }, ctx: GovernanceContext) =>
      ctx.notifications.setNoticeCategoryChannels(a.category, a.channels),
  },
  Notification: {
    createdAt: (n: NotificationRow) => iso(n.createdAt),
    readAt: (n: NotificationRow) => iso(n.readAt),
    deliveries: (n: NotificationRow, _: unknown, ctx: GovernanceContext) =>
      ctx.loaders.notificationDeliveries.load(n.id),
  },
  NotificationDelivery: {
    sentAt: (d: DeliveryRow) => iso(d.sentAt),
    nextAttemptAt: (d: DeliveryRow) =>
      d.status === 'pending' || d.status === 'deferred' ? iso(d.nextAttemptAt) : null,
  },
  NotificationPreferences: {
    quietHours: (p: PreferencesRow) =>
      p.quietStart == null || p.quietEnd == null ? null : { start: hhmm(p.quietStart), end: hhmm(p.quietEnd) },
    mutedKinds: (p: PreferencesRow) => p.mutedKinds as NotificationKind[],
  },
};
