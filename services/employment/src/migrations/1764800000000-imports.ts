import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createImportJobTable } from '@anju/kit';

/**
 * Imports of counties' sheets (就业, 三块地): the kit's `import_job` table, and each labour
 * profile's keyed hash of the resident's ID number (from resident.registered), by which a row's
 * 身份证号 finds its resident without the number ever being stored here.
 */
export class Imports1764800000000 implements MigrationInterface {
  name = 'Imports1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await createImportJobTable(q);
    await q.query(`ALTER TABLE labour_profile ADD COLUMN national_id_hash bytea`);
    await q.query(
      `COMMENT
       ON COLUMN labour_profile.national_id_hash IS 'HMAC-SHA256 of the ID number (governance''s natural ` +
        `key): opaque without PII_HASH_KEY'`,
    );
    await q.query(
      `CREATE UNIQUE INDEX labour_profile_national_id_hash ON labour_profile (national_id_hash)
       WHERE national_id_hash IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE labour_profile DROP COLUMN national_id_hash`);
    await q.query(`DROP TABLE import_job`);
  }
}
