import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What an activity is about (issue 20): a legal-study topic (法治宣传: 民法典, 物业管理条例, 法律援助…),
 * carried on activity.attended so governance counts legal-study attendance in its 法治 indicator, and
 * a cultural form (电影放映, 文艺演出, 图书阅览…) for the cultural products offered per site.
 */
export class ActivityTopics1764700200000 implements MigrationInterface {
  name = 'ActivityTopics1764700200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE activity ADD COLUMN legal_topic text CHECK (legal_topic IN
      ('CIVIL_CODE', 'PROPERTY_MANAGEMENT_REGULATIONS', 'LEGAL_AID', 'LABOUR_RIGHTS', 'MARRIAGE_AND_FAMILY',
        'ANTI_FRAUD', 'ANTI_DRUG', 'OTHER'))`);
    await q.query(
      `ALTER TABLE activity ADD COLUMN cultural_form text
       CHECK (cultural_form IN ('FILM', 'PERFORMANCE', 'LIBRARY', 'EXHIBITION', 'OTHER'))`,
    );
    await q.query(
      `CREATE INDEX activity_cultural_site ON activity (site_id, starts_at) WHERE cultural_form IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX activity_cultural_site`);
    await q.query(`ALTER TABLE activity DROP COLUMN cultural_form, DROP COLUMN legal_topic`);
  }
}
