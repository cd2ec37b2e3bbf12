import type { DataSource } from 'typeorm';
import type { NoticeCategory } from '../notice/notice.types';
import {
  InputError,
  NotFoundError,
  audit,
  returning,
  isMobilePhone,
  isUuid,
  maskPhone,
  requireRole,
  type Clock,
  type PersonalDataVault,
  type Principal,
  keysetPage,
  desc,
} from '@anju/kit';
import {
  NOTIFICATION_KINDS,
  PUSH_CHANNELS,
  recipientOf,
  type NotificationKind,
  type PushChannel,
} from './notification-kinds';
import type { NotificationDetails } from './notify';

export interface NotificationRow {
  id: string;
  kind: NotificationKind;
  title: string;
  body: string;
  details: NotificationDetails;
  entityType: string | null;
  entityId: string | null;
  createdAt: Date;
  readAt: Date | null;
}

export interface DeliveryRow {
  notificationId: string;
  channel: PushChannel;
  status: string;
  attempts: number;
  lastError: string | null;
  sentAt: Date | null;
  nextAttemptAt: Date;
}

export interface PreferencesRow {
  smsEnabled: boolean;
  wechatEnabled: boolean;
  quietStart: number | null;
  quietEnd: number | null;
  mutedKinds: NotificationKind[];
  phoneMasked: string | null;
  wechatBound: boolean;
}

export interface PreferencesInput {
  smsEnabled?: boolean | null;
  wechatEnabled?: boolean | null;
  /** `HH:MM`–`HH:MM` in province time; null clears them (the platform's default applies). */
  quietHours?: { start: string; end: string } | null;
  mutedKinds?: NotificationKind[] | null;
  phone?: string | null;
  wechatOpenId?: string | null;
}

const COLUMNS = `n.id, n.kind, n.title, n.body, n.details, n.entity_type AS "entityType", n.entity_id AS "entityId",
  n.created_at AS "createdAt", n.read_at AS "readAt"`;
const DEFAULT_PREFERENCES: PreferencesRow = {
  smsEnabled: true,
  wechatEnabled: true,
  quietStart: null,
  quietEnd: null,
  mutedKinds: [],
  phoneMasked: null,
  wechatBound: false,
};

/** `HH:MM` → minutes after midnight; a typed error on `field` otherwise. */
function minutesOf(text: string, field: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!m) throw new InputError(field, 'A time of day is HH:MM (00:00–23:59).', 'FORMAT');
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * The caller's own inbox and preferences (消息中心): the recipient is read from the token, never
 * from an argument, so nobody can open another person's notifications.
 */
export class NotificationService {
  private readonly recipient: string;

  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
    private readonly vault: PersonalDataVault,
  ) {
    this.recipient = recipientOf(principal);
  }

  async list(args: { first?: number | null; after?: string | null; unreadOnly?: boolean | null }) {
    const unreadOnly = args.unreadOnly ?? false;
    const [{ total, unread }] = await this.db.query(
      `SELECT count(*) FILTER (WHERE NOT $2 OR read_at IS NULL)::int AS total,
           count(*) FILTER (WHERE read_at IS NULL)::int AS unread
         FROM notification WHERE recipient = $1`,
      [this.recipient, unreadOnly],
    );
    const list = {
      columns: COLUMNS,
      from: 'notification n',
      where: 'n.recipient = $1 AND (NOT $2 OR n.read_at IS NULL)',
      params: [this.recipient, unreadOnly],
      totalCount: total,
    };
    const sort = desc<NotificationRow>(['n.created_at', 'timestamp', 'createdAt'], ['n.id', 'uuid', 'id']);
    return { ...(await keysetPage(this.db, list, args, sort)), unreadCount: unread };
  }

  async unreadCount(): Promise<number> {
    const [{ n }] = await this.db.query(
      `SELECT count(*)::int AS n FROM notification WHERE recipient = $1 AND read_at IS NULL`,
      [this.recipient],
    );
    return n;
  }

  /** Only the caller's own: anyone else's id is simply not found. */
  byIds(ids: readonly string[]): Promise<NotificationRow[]> {
    return this.db.query(`SELECT ${COLUMNS} FROM notification n WHERE n.id = ANY(as_uuids($1)) AND n.recipient = $2`, [
      ids,
      this.recipient,
    ]);
  }

  /** Push deliveries of the caller's own notifications. */
  deliveriesOf(ids: readonly string[]): Promise<DeliveryRow[]> {
    return this.db.query(
      `SELECT d.notification_id AS "notificationId", d.channel, d.status, d.attempts, d.last_error AS "lastError",
              d.sent_at AS "sentAt", d.next_attempt_at AS "nextAttemptAt"
         FROM notification_delivery d WHERE d.notification_id = ANY(as_uuids($1)) AND d.recipient = $2
           ORDER BY d.channel`,
      [ids, this.recipient],
    );
  }

  /**
   * Marks the given notifications (or, with `all`, every one) read; returns the unread count after.
   * An id that is not the caller's is NOT_FOUND and nothing is marked.
   */
  async markRead(ids: readonly string[] | null | undefined, all: boolean | null | undefined): Promise<number> {
    const list = [...new Set(ids ?? [])];
    if (!all && !list.length)
      throw new InputError('ids', 'Give the notifications to mark read, or all: true.', 'REQUIRED');
    if (list.length > 500) throw new InputError('ids', 'At most 500 notifications at once (or all: true).', 'TOO_MANY');
    if (list.some((id) => !isUuid(id))) throw new InputError('ids', 'Not a notification id.', 'FORMAT');
    const now = this.clock.now();
    return this.db.transaction(async (m) => {
      if (all) {
        await m.query(`UPDATE notification SET read_at = $2 WHERE recipient = $1 AND read_at IS NULL`, [
          this.recipient,
          now,
        ]);
      } else {
        const [{ mine }] = await m.query(
          `SELECT count(*)::int AS mine FROM notification WHERE id = ANY($1::uuid[]) AND recipient = $2`,
          [list, this.recipient],
        );
        if (mine !== list.length) throw new NotFoundError('ids', 'No such notification in your inbox.');
        await m.query(
          `UPDATE notification SET read_at = $3 WHERE id = ANY($1::uuid[]) AND recipient = $2 AND read_at IS NULL`,
          [list, this.recipient, now],
        );
      }
      await audit(m, this.principal, {
        action: 'notification.read',
        entityType: 'Notification',
        entityId: all ? 'all' : list.join(',').slice(0, 2000),
      });
      const [{ n }] = await m.query(
        `SELECT count(*)::int AS n FROM notification WHERE recipient = $1 AND read_at IS NULL`,
        [this.recipient],
      );
      return n;
    });
  }

  async preferences(): Promise<PreferencesRow> {
    const [row] = await this.db.query(
      `SELECT sms_enabled AS "smsEnabled", wechat_enabled AS "wechatEnabled", quiet_start AS "quietStart",
                quiet_end AS "quietEnd",
              muted_kinds AS "mutedKinds", phone_masked AS "phoneMasked", wechat_open_id IS NOT NULL AS "wechatBound"
         FROM notification_preference WHERE recipient = $1`,
      [this.recipient],
    );
    return row ?? DEFAULT_PREFERENCES;
  }

  /** Changes only the fields given; a phone is sealed at once and shown masked from then on. */
  async setPreferences(input: PreferencesInput): Promise<PreferencesRow> {
    const sets: string[] = [];
    const params: unknown[] = [this.recipient, this.clock.now()];
    const put = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    const changed: string[] = [];
    if (input.smsEnabled != null) (put('sms_enabled', input.smsEnabled), changed.push('smsEnabled'));
    if (input.wechatEnabled != null) (put('wechat_enabled', input.wechatEnabled), changed.push('wechatEnabled'));
    if (input.quietHours !== undefined) {
      const q = input.quietHours;
      const start = q ? minutesOf(q.start, 'input.quietHours.start') : null;
      const end = q ? minutesOf(q.end, 'input.quietHours.end') : null;
      if (q && start === end)
        throw new InputError('input.quietHours.end', 'Quiet hours end at another time than they start.', 'EMPTY');
      put('quiet_start', start);
      put('quiet_end', end);
      changed.push('quietHours');
    }
    if (input.mutedKinds != null) {
      if (input.mutedKinds.some((k) => !(k in NOTIFICATION_KINDS)))
        throw new InputError('input.mutedKinds', 'Not a kind of notification.', 'FORMAT');
      put('muted_kinds', [...new Set(input.mutedKinds)]);
      changed.push('mutedKinds');
    }
    if (input.phone !== undefined) {
      if (this.principal.role === 'resident') {
        throw new InputError(
          'input.phone',
          "A resident's phone is the one on their resident record; ask the site officer to change it.",
          'RESIDENT_RECORD',
        );
      }
      const phone = input.phone?.replace(/[\s-]/g, '') ?? null;
      if (phone !== null && !isMobilePhone(phone))
        throw new InputError('input.phone', 'A mobile number has 11 digits and starts with 13–19.', 'FORMAT');
      put('phone_sealed', phone ? this.vault.seal(phone) : null);
      put('phone_masked', phone ? maskPhone(phone) : null);
      changed.push('phone');
    }
    if (input.wechatOpenId !== undefined) {
      const openId = input.wechatOpenId?.trim() || null;
      if (openId !== null && !/^[A-Za-z0-9_-]{16,64}$/.test(openId))
        throw new InputError('input.wechatOpenId', 'Not a WeChat openid.', 'FORMAT');
      put('wechat_open_id', openId);
      changed.push('wechatOpenId');
    }
    if (!sets.length) throw new InputError('input', 'Change at least one preference.', 'REQUIRED');
    await this.db.transaction(async (m) => {
      await m.query(
        `INSERT INTO notification_preference (recipient, updated_at) VALUES ($1, $2) ON CONFLICT (recipient)
         DO NOTHING`,
        params.slice(0, 2),
      );
      await m.query(
        `UPDATE notification_preference SET ${sets.join(', ')}, updated_at = $2 WHERE recipient = $1`,
        params,
      );
      await audit(m, this.principal, {
        action: 'notification.preferences',
        entityType: 'NotificationPreference',
        entityId: this.recipient,
        detail: { changed },
      });
    });
    return this.preferences();
  }

  noticeCategoryChannels(): Promise<{ category: NoticeCategory; channels: PushChannel[] }[]> {
    return this.db.query(`SELECT category, channels FROM notice_category_channel ORDER BY category`);
  }

  /** 多渠道宣传: which push channels a notice category goes out on; the province's choice. */
  async setNoticeCategoryChannels(category: NoticeCategory, channels: PushChannel[]) {
    requireRole(this.principal, 'province');
    if (channels.some((c) => !PUSH_CHANNELS.includes(c))) throw new InputError('channels', 'Not a channel.', 'FORMAT');
    return this.db.transaction(async (m) => {
      const [row] = returning<{ category: NoticeCategory; channels: PushChannel[] }>(
        await m.query(
          `UPDATE notice_category_channel SET channels = $2, updated_by = $3, updated_at = now() WHERE category = $1
           RETURNING category, channels`,
          [category, [...new Set(channels)], this.principal.subject],
        ),
      );
      if (!row) throw new NotFoundError('category', 'No such notice category.');
      await audit(m, this.principal, {
        action: 'notice_category.channels',
        entityType: 'NoticeCategory',
        entityId: category,
        detail: { channels },
      });
      return row;
    });
  }
}
