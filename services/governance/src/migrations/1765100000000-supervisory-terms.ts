import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A committee membership (居监会委员任期) can end — the officers record when, by whom and why — and a
 * resident may be appointed again later: each term is its own row, and only one term of a resident at a
 * site is open at a time.
 */
export class SupervisoryTerms1765100000000 implements MigrationInterface {
  name = 'SupervisoryTerms1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE supervisory_member ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid(),
      ADD COLUMN ended_by text, ADD COLUMN end_reason text,
      ADD CONSTRAINT supervisory_member_end CHECK ((ended_on IS NULL) = (ended_by IS NULL)
        AND (ended_on IS NULL) = (end_reason IS NULL))`);
    await q.query(`ALTER TABLE supervisory_member DROP CONSTRAINT supervisory_member_pkey, ADD PRIMARY KEY (id)`);
    await q.query(
      `CREATE UNIQUE INDEX supervisory_member_open_term ON supervisory_member (site_id, resident_id)
       WHERE ended_on IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM supervisory_member WHERE ended_on IS NOT NULL`);
    await q.query(`DROP INDEX supervisory_member_open_term`);
    await q.query(
      `ALTER TABLE supervisory_member DROP CONSTRAINT supervisory_member_pkey, ADD PRIMARY KEY (site_id, resident_id)`,
    );
    await q.query(
      `ALTER TABLE supervisory_member DROP CONSTRAINT supervisory_member_end, DROP COLUMN id, DROP COLUMN ended_by,
       DROP COLUMN end_reason`,
    );
  }
}
