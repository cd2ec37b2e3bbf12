import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications (消息通知): each person's in-app inbox, the SMS and WeChat deliveries of each
 * notification with their status, retries and the day they count against the daily cap, each
 * person's preferences (channels, quiet hours, muted kinds, their own contact for the channels),
 * the channels each notice category goes out on (多渠道宣传), and residents' places at activities to
 * remind them of the day before.
 *
 * A recipient is a text key read from the token: `resident:<id>`, `volunteer:<id>` or
 * `subject:<sub>` (officers, grid workers, NGO and unit members).
 */
export class Notifications1764950000000 implements MigrationInterface {
  name = 'Notifications1764950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        recipient text NOT NULL CHECK (recipient ~ '^(resident|volunteer|subject):.+$'),
        kind text NOT NULL,
        -- What the notification is about, per recipient: an event delivered twice (even under a new id) notifies once.
        dedupe_key text NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        details jsonb NOT NULL DEFAULT '{}',
        entity_type text,
        entity_id text,
        site_id uuid,
        created_at timestamptz NOT NULL,
        read_at timestamptz,
        UNIQUE (recipient, dedupe_key)
      )`);
    await q.query(`CREATE INDEX notification_inbox ON notification (recipient, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX notification_unread ON notification (recipient) WHERE read_at IS NULL`);
    await q.query(`
      CREATE TABLE notification_delivery (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        notification_id uuid NOT NULL REFERENCES notification (id) ON DELETE CASCADE,
        recipient text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('sms', 'wechat')),
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'deferred', 'sending', 'sent', 'failed', 'capped')),
        attempts int NOT NULL DEFAULT 0,
        -- When the sender may next take it: now, after a backoff, after quiet hours, or when a send's lease runs out.
        next_attempt_at timestamptz NOT NULL,
        last_error text,
        provider_message_id text,
        -- The province day a send counts against the daily cap (set when it is taken to be sent).
        counted_on date,
        sent_at timestamptz,
        created_at timestamptz NOT NULL,
        UNIQUE (notification_id, channel)
      )`);
    await q.query(`CREATE INDEX notification_delivery_due ON notification_delivery (next_attempt_at)
      WHERE status IN ('pending', 'deferred', 'sending')`);
    await q.query(`CREATE INDEX notification_delivery_cap ON notification_delivery (recipient, counted_on)
      WHERE status IN ('sending', 'sent')`);
    await q.query(`
      CREATE TABLE notification_preference (
        recipient text PRIMARY KEY,
        sms_enabled boolean NOT NULL DEFAULT true,
        wechat_enabled boolean NOT NULL DEFAULT true,
        -- Minutes after midnight, province time; both null: the platform's default quiet hours.
        quiet_start smallint CHECK (quiet_start BETWEEN 0 AND 1439),
        quiet_end smallint CHECK (quiet_end BETWEEN 0 AND 1439),
        muted_kinds text[] NOT NULL DEFAULT '{}',
        -- A non-resident's own phone for SMS (residents' is on their resident record): sealed like every phone.
        phone_sealed bytea,
        phone_masked text,
        wechat_open_id text,
        updated_at timestamptz NOT NULL,
        CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
      )`);
    // Places at community activities (social-orgs' events), kept to remind each resident the day before.
    await q.query(`
      CREATE TABLE activity_reminder (
        registration_id uuid PRIMARY KEY,
        resident_id uuid NOT NULL,
        activity_id uuid NOT NULL,
        -- Null while only the cancellation has arrived (events may come out of order).
        site_id uuid,
        title text,
        organization_name text,
        starts_at timestamptz,
        ends_at timestamptz,
        cancelled_at timestamptz,
        reminded_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX activity_reminder_due ON activity_reminder (starts_at) WHERE reminded_at IS NULL
         AND cancelled_at IS NULL`,
    );
    await q.query(`
      CREATE TABLE notice_category_channel (
        -- The notice categories (notice_category_check); a category without a row goes to the inbox only.
        category text PRIMARY KEY,
        channels text[] NOT NULL CHECK (channels <@ ARRAY['sms', 'wechat']),
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // What a published notice goes out on besides the board and the inbox, until a province officer changes it.
    await q.query(`
      INSERT INTO notice_category_channel (category, channels, updated_by) VALUES
        ('finance', '{wechat}', 'migration'), ('subsidy', '{sms,wechat}', 'migration'),
          ('points', '{wechat}', 'migration'),
        ('resolution', '{wechat}', 'migration'), ('affairs', '{sms,wechat}', 'migration'),
          ('party_building', '{wechat}', 'migration'),
        ('culture', '{wechat}', 'migration'), ('other', '{}', 'migration')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notice_category_channel; DROP TABLE activity_reminder; DROP TABLE notification_preference;
      DROP TABLE notification_delivery; DROP TABLE notification`);
  }
}
