import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Records placed in a region, so officers of one county reach only their county's (issue 14):
 * contracts carry the purchasing region, venture applications their call's region, cases their
 * site's region, and what hangs under each (milestones, payments, reviews, referrals) its parent's.
 * Backfill: applications from their call; cases from their site where social-orgs knows it; the
 * rest from the organization: the narrowest region (province, prefecture or county) holding every
 * region it serves — no county gains another's record, officers above still see it.
 */
export class PlacedRecords1764400300000 implements MigrationInterface {
  name = 'PlacedRecords1764400300000';

  async up(q: QueryRunner): Promise<void> {
    for (const t of [
      'service_contract',
      'contract_milestone',
      'contract_payment',
      'venture_application',
      'venture_review',
      'social_case',
      'referral',
    ]) {
      await q.query(`ALTER TABLE ${t} ADD COLUMN region_code varchar(6)`);
    }
    const orgRegion = (
      org: string,
    ) => `coalesce((SELECT left(${org}.service_region_codes[1], l) FROM unnest(ARRAY[6, 4, 2]) l
        WHERE NOT EXISTS (SELECT 1 FROM unnest(${org}.service_region_codes) c WHERE length(c) < l
          OR left(c, l) <> left(${org}.service_region_codes[1], l))
        ORDER BY l DESC LIMIT 1), left(${org}.service_region_codes[1], 2))`;
    await q.query(
      `UPDATE service_contract c SET region_code = ${orgRegion('o')} FROM organization o
       WHERE o.id = c.organization_id`,
    );
    await q.query(
      `UPDATE venture_application a SET region_code = v.region_code FROM venture_call v WHERE v.id = a.call_id`,
    );
    await q.query(`UPDATE social_case c SET region_code = coalesce((SELECT s.region_code FROM site_directory s
                      WHERE s.site_id = c.site_id), ${orgRegion('o')})
                    FROM organization o WHERE o.id = c.organization_id`);
    await q.query(
      `UPDATE contract_milestone m SET region_code = c.region_code FROM service_contract c WHERE c.id = m.contract_id`,
    );
    await q.query(
      `UPDATE contract_payment p SET region_code = c.region_code FROM service_contract c WHERE c.id = p.contract_id`,
    );
    await q.query(
      `UPDATE venture_review r SET region_code = a.region_code FROM venture_application a
       WHERE a.id = r.application_id`,
    );
    await q.query(`UPDATE referral f SET region_code = c.region_code FROM social_case c WHERE c.id = f.case_id`);
    for (const t of [
      'service_contract',
      'contract_milestone',
      'contract_payment',
      'venture_application',
      'venture_review',
      'social_case',
      'referral',
    ]) {
      await q.query(`ALTER TABLE ${t} ALTER COLUMN region_code SET NOT NULL`);
      const cols = t === 'venture_review' ? 'region_code text_pattern_ops' : 'region_code text_pattern_ops, seq';
      await q.query(`CREATE INDEX ${t}_region ON ${t} (${cols})`);
    }
    await q.query(
      `COMMENT ON COLUMN service_contract.region_code IS 'The purchasing region: the officers who reach the contract'`,
    );
    await q.query(`COMMENT ON COLUMN social_case.region_code IS 'The region of the case''s site'`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'service_contract',
      'contract_milestone',
      'contract_payment',
      'venture_application',
      'venture_review',
      'social_case',
      'referral',
    ]) {
      await q.query(`ALTER TABLE ${t} DROP COLUMN region_code`);
    }
  }
}
