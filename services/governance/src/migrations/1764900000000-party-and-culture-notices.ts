import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Notices of party building (党建) and culture (文化) beside the public-disclosure categories. */
export class PartyAndCultureNotices1764900000000 implements MigrationInterface {
  name = 'PartyAndCultureNotices1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notice DROP CONSTRAINT notice_category_check`);
    await q.query(`ALTER TABLE notice ADD CONSTRAINT notice_category_check
      CHECK (category IN ('finance', 'subsidy', 'points', 'resolution', 'affairs', 'party_building', 'culture',
        'other'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notice DROP CONSTRAINT notice_category_check`);
    await q.query(`ALTER TABLE notice ADD CONSTRAINT notice_category_check
      CHECK (category IN ('finance', 'subsidy', 'points', 'resolution', 'affairs', 'other'))`);
  }
}
