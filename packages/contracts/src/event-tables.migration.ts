import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox, inbox and dead-letter tables every service has in its own schema. Listed first in
 * each service's migration list.
 */
export class EventTables1764201600000 implements MigrationInterface {
  name = 'EventTables1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox (
        id uuid PRIMARY KEY,
        event text NOT NULL,
        version int NOT NULL,
        payload jsonb NOT NULL,
        request_id text,
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        sent_at timestamptz,
        settled_at timestamptz,
        send_attempts int NOT NULL DEFAULT 0,
        last_error text
      )`);
    await q.query(`CREATE INDEX outbox_unsent ON outbox (occurred_at) WHERE sent_at IS NULL`);
    await q.query(`CREATE INDEX outbox_unsettled ON outbox (sent_at) WHERE sent_at IS NOT NULL AND settled_at IS NULL`);
    await q.query(
      `COMMENT ON TABLE outbox IS
        'Events committed with the change that caused them; the relay moves them to BullMQ (transactional outbox).'`,
    );
    await q.query(`
      CREATE TABLE inbox (
        event_id uuid PRIMARY KEY,
        event text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX inbox_processed_at ON inbox (processed_at)`);
    await q.query(
      `COMMENT ON TABLE inbox IS
        'Ids of events whose effect committed here; a second delivery finds its id and does nothing.'`,
    );
    await q.query(`
      CREATE TABLE dead_letter (
        event_id uuid PRIMARY KEY,
        event text NOT NULL,
        envelope jsonb NOT NULL,
        error text NOT NULL,
        attempts int NOT NULL,
        failed_at timestamptz NOT NULL DEFAULT now(),
        replay_count int NOT NULL DEFAULT 0,
        replayed_at timestamptz,
        resolved_at timestamptz
      )`);
    await q.query(
      `COMMENT ON TABLE dead_letter IS 'Events that kept failing; an operator lists and replays them (pnpm dlq).'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dead_letter; DROP TABLE inbox; DROP TABLE outbox`);
  }
}
