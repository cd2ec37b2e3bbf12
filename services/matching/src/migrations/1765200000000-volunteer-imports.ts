import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createImportJobTable } from '@anju/kit';

/**
 * Imports of counties' volunteer sheets (志愿者): the kit's `import_job` table; each resident's keyed
 * hash of their ID number (from resident.registered), by which a row's 身份证号 finds its resident;
 * and a non-resident volunteer's keyed hash of name and phone, their natural key (the phone itself
 * is not kept: matching has no use for it).
 */
export class VolunteerImports1765200000000 implements MigrationInterface {
  name = 'VolunteerImports1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await createImportJobTable(q);
    await q.query(`ALTER TABLE resident_directory ADD COLUMN national_id_hash bytea`);
    await q.query(`COMMENT ON COLUMN resident_directory.national_id_hash
      IS 'HMAC-SHA256 of the ID number (governance''s natural key): opaque without PII_HASH_KEY'`);
    await q.query(`CREATE UNIQUE INDEX resident_directory_national_id_hash ON resident_directory (national_id_hash)
      WHERE national_id_hash IS NOT NULL`);
    await q.query(`ALTER TABLE volunteer ADD COLUMN contact_hash bytea`);
    await q.query(`COMMENT ON COLUMN volunteer.contact_hash
      IS 'HMAC-SHA256 of name and phone of a volunteer who is not a resident: the import''s natural key'`);
    await q.query(`CREATE UNIQUE INDEX volunteer_contact_hash ON volunteer (contact_hash)
      WHERE contact_hash IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE volunteer DROP COLUMN contact_hash`);
    await q.query(`ALTER TABLE resident_directory DROP COLUMN national_id_hash`);
    await q.query(`DROP TABLE import_job`);
  }
}
