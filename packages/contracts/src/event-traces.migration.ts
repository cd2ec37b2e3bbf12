import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An event remembers the trace of the change that published it: `traceparent` (W3C) of the
 * publishing span, null when tracing is off. The relay copies it into the envelope and the
 * consumer's handler span continues it, so one trace shows a mutation and every effect of its events.
 */
export class EventTraces1764700000000 implements MigrationInterface {
  name = 'EventTraces1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN traceparent text`);
    await q.query(
      `COMMENT ON COLUMN outbox.traceparent IS 'W3C traceparent of the span that ` +
        `published the event (null when tracing is off): its consumers continue that trace.'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox DROP COLUMN traceparent`);
  }
}
