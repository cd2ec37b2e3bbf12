import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lookups by full ID number become reveals (README: Security model): the masks stored so far
 * showed the last four characters (sequence and check digit) and are cut back to the county code;
 * the per-user daily quota counts the lookup rows of the audit log through a partial index.
 */
export class NationalIdReveals1764400100000 implements MigrationInterface {
  name = 'NationalIdReveals1764400100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE resident SET national_id_masked = left(national_id_masked, 6) || repeat('*', 12)
                    WHERE national_id_masked <> left(national_id_masked, 6) || repeat('*', 12)`);
    await q.query(
      `COMMENT
       ON COLUMN resident.national_id_masked IS 'The county code only: what anyone sees must leave ≥ 10,000 ` +
        `candidate numbers'`,
    );
    await q.query(`CREATE INDEX audit_log_national_id_lookups ON audit_log (actor_subject, at)
                    WHERE action IN ('resident.find_by_national_id', 'resident.register_duplicate')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_log_national_id_lookups`);
  }
}
