import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Industry projects (产业项目) as the source text describes them: the chosen industry, the form of
 * organization (合作社 cooperative, 龙头企业 leading enterprise, 扶贫车间 poverty-alleviation
 * workshop), the policy support and technical services behind them; and each linked household's
 * wage income from working in the project beside its dividend.
 */
export class IndustryProjectsInFull1764800100000 implements MigrationInterface {
  name = 'IndustryProjectsInFull1764800100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE industry_project
      ADD COLUMN industry text NOT NULL DEFAULT '未分类',
      ADD COLUMN organization_form text NOT NULL DEFAULT 'cooperative'
        CHECK (organization_form IN ('cooperative', 'leading_enterprise', 'workshop')),
      ADD COLUMN policy_support text[] NOT NULL DEFAULT '{}',
      ADD COLUMN technical_services text[] NOT NULL DEFAULT '{}'`);
    await q.query(
      `ALTER TABLE project_link ADD COLUMN annual_wage_income numeric(12, 2) NOT NULL DEFAULT 0
       CHECK (annual_wage_income >= 0)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE project_link DROP COLUMN annual_wage_income`);
    await q.query(`ALTER TABLE industry_project DROP COLUMN industry, DROP COLUMN organization_form,
      DROP COLUMN policy_support,
      DROP COLUMN technical_services`);
  }
}
