import DataLoader from 'dataloader';
import type { DeliveryRow, NotificationRow, NotificationService } from './notification.service';

export function notificationLoaders(notifications: NotificationService) {
  return {
    notification: new DataLoader<string, NotificationRow | null>(async (ids) => {
      const rows = await notifications.byIds(ids);
      return ids.map((id) => rows.find((r) => r.id === id) ?? null);
    }),
    notificationDeliveries: new DataLoader<string, DeliveryRow[]>(async (ids) => {
      const rows = await notifications.deliveriesOf(ids);
      return ids.map((id) => rows.filter((r) => r.notificationId === id));
    }),
  };
}
