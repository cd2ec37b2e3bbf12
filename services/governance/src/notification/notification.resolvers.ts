import type { Resolvers } from '../generated/graphql';
import { isoInstant, upperEnum } from '@anju/kit';
import { NOTIFICATION_KINDS, type NotificationKind } from './notification-kinds';

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

export const notificationResolvers: Resolvers = {
  NotificationKind: upperEnum(...(Object.keys(NOTIFICATION_KINDS) as NotificationKind[])),
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
    myNotifications: (_, a, ctx) => ctx.notifications.list(a),
    myNotification: (_, a, ctx) => ctx.loaders.notification.load(a.id),
    myUnreadNotificationCount: (_, __, ctx) => ctx.notifications.unreadCount(),
    myNotificationPreferences: (_, __, ctx) => ctx.notifications.preferences(),
    noticeCategoryChannels: (_, __, ctx) => ctx.notifications.noticeCategoryChannels(),
  },
  Mutation: {
    markNotificationsRead: (_, a, ctx) => ctx.notifications.markRead(a.ids, a.all),
    setMyNotificationPreferences: (_, a, ctx) => ctx.notifications.setPreferences(a.input),
    setNoticeCategoryChannels: (_, a, ctx) => ctx.notifications.setNoticeCategoryChannels(a.category, a.channels),
  },
  Notification: {
    createdAt: (n) => isoInstant(n.createdAt),
    readAt: (n) => isoInstant(n.readAt),
    deliveries: (n, _, ctx) => ctx.loaders.notificationDeliveries.load(n.id),
  },
  NotificationDelivery: {
    sentAt: (d) => isoInstant(d.sentAt),
    nextAttemptAt: (d) => (d.status === 'pending' || d.status === 'deferred' ? isoInstant(d.nextAttemptAt) : null),
  },
  NotificationPreferences: {
    quietHours: (p) =>
      p.quietStart == null || p.quietEnd == null ? null : { start: hhmm(p.quietStart), end: hhmm(p.quietEnd) },
    mutedKinds: (p) => p.mutedKinds as NotificationKind[],
  },
};
