import { createTestDatabase, withClient, type TestDatabase } from '@anju/testing';
import { seed } from './seed';

/**
 * The demo tells the whole story (issue 20): after the first load that `pnpm start` runs on an
 * empty database (the demo seed with its first monitoring run), every area a user opens has data.
 */
describe('the demo’s first load', () => {
  let db: TestDatabase;
  const one = async (sql: string) => withClient(db.url, (c) => c.query(sql)).then((r) => r.rows[0].n as number);

  beforeAll(async () => {
    db = await createTestDatabase('demo_story');
    await seed({ scale: 'demo', seed: 1, databaseUrl: db.url, env: { NODE_ENV: 'test' } });
  }, 180_000);
  afterAll(() => db?.drop());

  it.each([
    ['a party organization with members', `SELECT count(*)::int AS n FROM governance.party_member m JOIN governance.party_organization o ON o.id = m.organization_id`],
    ['a joint meeting whose resolutions are list items', `SELECT count(*)::int AS n FROM governance.list_item WHERE resolution_of IS NOT NULL`],
    ['the three lists, each kind', `SELECT (count(DISTINCT kind) = 3)::int AS n FROM governance.list_item`],
    ['list items overdue', `SELECT count(*)::int AS n FROM governance.list_item WHERE due_on < current_date AND status IN ('open', 'in_progress')`],
    ['notices with reads', `SELECT count(*)::int AS n FROM governance.notice_read`],
    ['party-building and culture notices', `SELECT (count(DISTINCT category) FILTER (WHERE category IN ('party_building', 'culture')) = 2)::int AS n FROM governance.notice`],
    ['micro-issues at each step of the ladder', `SELECT (count(DISTINCT level) = 4)::int AS n FROM governance.micro_issue WHERE status = 'open'`],
    ['points with redemptions', `SELECT count(*)::int AS n FROM governance.points_redemption r JOIN governance.points_entry e ON e.redemption_id = r.id`],
    ['contracts with milestones', `SELECT count(*)::int AS n FROM social_orgs.contract_milestone m JOIN social_orgs.service_contract c ON c.id = m.contract_id`],
    ['a venture call with graded projects', `SELECT count(*)::int AS n FROM social_orgs.venture_application WHERE midterm_grade IS NOT NULL`],
    ['cases with referrals, some overdue', `SELECT count(*)::int AS n FROM social_orgs.referral WHERE overdue_since IS NOT NULL`],
    ['volunteers with availability', `SELECT count(DISTINCT volunteer_id)::int AS n FROM matching.volunteer_availability`],
    ['proposed assignments', `SELECT count(*)::int AS n FROM matching.assignment WHERE status = 'proposed'`],
    ['accepted assignments on demands in progress', `SELECT count(*)::int AS n FROM matching.assignment a JOIN matching.demand d ON d.id = a.demand_id
      WHERE a.status = 'accepted' AND d.status = 'in_progress'`],
    ['industry projects with linked households', `SELECT count(*)::int AS n FROM employment.project_link`],
    ['industry projects with industry, form and support', `SELECT count(*)::int AS n FROM employment.industry_project
      WHERE industry <> '未分类' AND cardinality(policy_support) > 0 AND cardinality(technical_services) > 0`],
    ['income-stability verdicts and gaps', `SELECT count(*)::int AS n FROM employment.household_gap WHERE closed_on IS NULL`],
    ['case sessions with notes', `SELECT count(*)::int AS n FROM social_orgs.case_session`],
    ['aid funds with payments tied to them', `SELECT count(*)::int AS n FROM social_orgs.aid_payment p JOIN social_orgs.aid_fund f ON f.id = p.fund_id`],
    ['activities with attendance', `SELECT count(*)::int AS n FROM social_orgs.activity_registration`],
  ])('has %s', async (_, sql) => {
    expect(await one(sql)).toBeGreaterThan(0);
  });

  it('keeps every dashboard counter equal to a fresh count', async () => {
    expect(await one(`SELECT count(*)::int AS n FROM matching.site_counter c WHERE open_demands <>
      (SELECT count(*) FROM matching.demand d WHERE d.site_id = c.site_id AND d.status = 'open') OR overdue_demands <>
      (SELECT count(*) FROM matching.demand d WHERE d.site_id = c.site_id AND d.overdue_since IS NOT NULL AND d.status IN ('claimed', 'in_progress'))`))
      .toBe(0);
    expect(await one(`SELECT count(*)::int AS n FROM social_orgs.aid_fund f
      WHERE f.spent_yuan <> (SELECT coalesce(sum(amount_yuan), 0) FROM social_orgs.aid_payment p WHERE p.fund_id = f.id)`)).toBe(0);
    expect(await one(`SELECT count(*)::int AS n FROM governance.points_account a
      WHERE a.balance <> (SELECT sum(points) FROM governance.points_entry e WHERE e.resident_id = a.resident_id)`)).toBe(0);
  });
});
