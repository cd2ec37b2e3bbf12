import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A demand raised from a closed survey's counted needs (survey.needs_reported) is keyed by survey
 * and need, so a redelivered event raises nothing twice. It names no household: surveys are anonymous.
 */
export class SurveyNeeds1764800100000 implements MigrationInterface {
  name = 'SurveyNeeds1764800100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE demand ADD COLUMN survey_id uuid, ADD COLUMN survey_need text`);
    await q.query(
      `CREATE UNIQUE INDEX demand_survey_need ON demand (survey_id, survey_need) WHERE survey_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE demand DROP COLUMN survey_need, DROP COLUMN survey_id`);
  }
}
