import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The 法治 indicator's other half (issue 20): legal-study attendance (法治宣传) at partners' activities,
 * one row per attendance from social-orgs' activity.attended when it carries a legal topic. Keyed by
 * the attendance, so a redelivered or re-published event counts once.
 */
export class LegalStudyAttendance1764960000000 implements MigrationInterface {
  name = 'LegalStudyAttendance1764960000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE legal_study_attendance (
        attendance_id uuid PRIMARY KEY,
        site_id uuid NOT NULL,
        region_code varchar(6) NOT NULL,
        topic text NOT NULL,
        attended_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX legal_study_attendance_site ON legal_study_attendance (site_id, attended_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE legal_study_attendance`);
  }
}
