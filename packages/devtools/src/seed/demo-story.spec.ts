import { SERVICES } from '@anju/contracts';
import { dataOf, TestSystem, tokenFor } from '@anju/testing';
import { seed } from './seed';

/**
 * The demo tells the whole story (issue 20): after the first load that `pnpm start` runs on an
 * empty database (the demo seed with its first monitoring run), every area a user opens has data,
 * and reads through the gateway as the demo county's officers would.
 */
describe('the demo’s first load', () => {
  let sys: TestSystem;
  const one = async (sql: string) => (await sys.sql<{ n: number }>(sql))[0].n;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'demo_story', apis: [], workers: [], gateway: false });
    await seed({ scale: 'demo', seed: 1, databaseUrl: sys.db.url, env: sys.env });
    for (const s of SERVICES) await sys.startApi(s);
    await sys.startGateway();
  }, 180_000);
  afterAll(() => sys?.stop());

  it.each([
    [
      'a party organization with members',
      `SELECT count(*)::int AS n FROM governance.party_member m JOIN
      governance.party_organization o ON o.id = m.organization_id`,
    ],
    [
      'a joint meeting whose resolutions are list items',
      `SELECT count(*)::int AS n FROM governance.list_item WHERE
      resolution_of IS NOT NULL`,
    ],
    ['the three lists, each kind', `SELECT (count(DISTINCT kind) = 3)::int AS n FROM governance.list_item`],
    [
      'list items overdue',
      `SELECT count(*)::int AS n FROM governance.list_item WHERE due_on < current_date AND status
      IN ('open', 'in_progress')`,
    ],
    ['notices with reads', `SELECT count(*)::int AS n FROM governance.notice_read`],
    [
      'party-building and culture notices',
      `SELECT (count(DISTINCT category) FILTER (WHERE category IN
      ('party_building', 'culture')) = 2)::int AS n FROM governance.notice`,
    ],
    [
      'micro-issues at each step of the ladder',
      `SELECT (count(DISTINCT level) = 4)::int AS n FROM
      governance.micro_issue WHERE status = 'open'`,
    ],
    [
      'points with redemptions',
      `SELECT count(*)::int AS n FROM governance.points_redemption r JOIN
      governance.points_entry e ON e.redemption_id = r.id`,
    ],
    [
      'contracts with milestones',
      `SELECT count(*)::int AS n FROM social_orgs.contract_milestone m JOIN
      social_orgs.service_contract c ON c.id = m.contract_id`,
    ],
    [
      'a venture call with graded projects',
      `SELECT count(*)::int AS n FROM social_orgs.venture_application WHERE
      midterm_grade IS NOT NULL`,
    ],
    [
      'cases with referrals, some overdue',
      `SELECT count(*)::int AS n FROM social_orgs.referral WHERE overdue_since IS
      NOT NULL`,
    ],
    [
      'volunteers with availability',
      `SELECT count(DISTINCT volunteer_id)::int AS n FROM
      matching.volunteer_availability`,
    ],
    ['proposed assignments', `SELECT count(*)::int AS n FROM matching.assignment WHERE status = 'proposed'`],
    [
      'accepted assignments on demands in progress',
      `SELECT count(*)::int AS n FROM matching.assignment a JOIN
      matching.demand d ON d.id = a.demand_id
      WHERE a.status = 'accepted' AND d.status = 'in_progress'`,
    ],
    ['industry projects with linked households', `SELECT count(*)::int AS n FROM employment.project_link`],
    [
      'industry projects with industry, form and support',
      `SELECT count(*)::int AS n FROM employment.industry_project
      WHERE industry <> '未分类' AND cardinality(policy_support) > 0 AND cardinality(technical_services) > 0`,
    ],
    [
      'income-stability verdicts and gaps',
      `SELECT count(*)::int AS n FROM employment.household_gap WHERE closed_on IS
      NULL`,
    ],
    ['case sessions with notes', `SELECT count(*)::int AS n FROM social_orgs.case_session`],
    [
      'aid funds with payments tied to them',
      `SELECT count(*)::int AS n FROM social_orgs.aid_payment p JOIN
      social_orgs.aid_fund f ON f.id = p.fund_id`,
    ],
    ['activities with attendance', `SELECT count(*)::int AS n FROM social_orgs.activity_registration`],
    [
      'a co-building council with member units and meetings held and scheduled',
      `SELECT (count(DISTINCT m.status) =
      2)::int AS n
      FROM governance.co_building_meeting m JOIN governance.co_building_member u ON u.council_id = m.council_id`,
    ],
    ['grid duties', `SELECT count(*)::int AS n FROM governance.grid_duty`],
    [
      'household visits, and grid tasks for the households not visited',
      `SELECT (count(*) FILTER (WHERE t.kind =
      'household_unvisited') > 0
      AND (SELECT count(*) FROM governance.household_visit) > 0)::int AS n FROM governance.grid_task t`,
    ],
    [
      'grid tasks for escalated micro-issues, and their workers told',
      `SELECT (count(*) > 0 AND (SELECT count(*)
      FROM governance.notification WHERE kind = 'grid_task_assigned') > 0)::int AS n FROM governance.grid_task WHERE
        kind = 'micro_issue_escalated'`,
    ],
    ['legal advisers with visits booked', `SELECT count(*)::int AS n FROM governance.lawyer_visit_booking`],
    [
      'legal-study attendance in the rule-of-law indicator',
      `SELECT count(*)::int AS n FROM
      governance.legal_study_attendance`,
    ],
    [
      'mediation cases with parties and sessions',
      `SELECT count(*)::int AS n FROM governance.mediation_session s
      JOIN governance.mediation_party p ON p.case_id = s.case_id`,
    ],
    [
      'model residents recognized',
      `SELECT count(*)::int AS n FROM governance.model_resident WHERE status =
      'recognized'`,
    ],
    [
      'proposals open, voting and adopted into a list item',
      `SELECT (count(DISTINCT status) = 3 AND
      bool_or(list_item_id IS NOT NULL))::int AS n
      FROM governance.proposal`,
    ],
    [
      'a supervisory committee with a finding',
      `SELECT count(*)::int AS n FROM governance.supervision_finding f
      JOIN governance.supervisory_member m ON m.resident_id = f.member_resident_id`,
    ],
    [
      'surveys closed with counts and open',
      `SELECT (count(DISTINCT s.status) = 2)::int AS n FROM governance.survey s
      JOIN governance.survey_tally t ON t.survey_id = s.id`,
    ],
    [
      'social workers assessed, with residents’ feedback',
      `SELECT count(*)::int AS n FROM social_orgs.worker_assessment
      a
      JOIN social_orgs.worker_feedback f ON f.worker_id = a.worker_id AND f.period = a.period`,
    ],
    [
      'an expert committee with advice given',
      `SELECT count(*)::int AS n FROM social_orgs.consultation WHERE status =
      'ADVISED'`,
    ],
    ['micro services at the sites', `SELECT count(*)::int AS n FROM social_orgs.micro_service`],
    ['mutual-aid groups with members', `SELECT count(*)::int AS n FROM social_orgs.case_member`],
    ['incubation steps', `SELECT count(*)::int AS n FROM social_orgs.incubation_step`],
    [
      'contract payments out of an aid fund',
      `SELECT count(*)::int AS n FROM social_orgs.contract_payment p
      JOIN social_orgs.aid_payment a ON a.contract_payment_id = p.id`,
    ],
    ['volunteers’ service records', `SELECT count(*)::int AS n FROM matching.service_record`],
  ])('has %s', async (_, sql) => {
    expect(await one(sql)).toBeGreaterThan(0);
  });

  it('keeps every dashboard counter equal to a fresh count', async () => {
    expect(
      await one(`SELECT count(*)::int AS n FROM matching.site_counter c WHERE open_demands <>
      (SELECT count(*) FROM matching.demand d WHERE d.site_id = c.site_id AND d.status = 'open') OR overdue_demands <>
      (SELECT count(*) FROM matching.demand d WHERE d.site_id = c.site_id AND d.overdue_since IS NOT NULL AND d.status
        IN ('claimed', 'in_progress'))`),
    ).toBe(0);
    expect(
      await one(`SELECT count(*)::int AS n FROM social_orgs.aid_fund f
      WHERE f.spent_yuan <> (SELECT coalesce(sum(amount_yuan), 0) FROM social_orgs.aid_payment p WHERE p.fund_id =
        f.id)`),
    ).toBe(0);
    expect(
      await one(`SELECT count(*)::int AS n FROM governance.points_account a
      WHERE a.balance <> (SELECT sum(points) FROM governance.points_entry e WHERE e.resident_id =
        a.resident_id)`),
    ).toBe(0);
  });

  it('reads the story through the gateway as the county’s officers see it', async () => {
    const officer = await tokenFor({ role: 'county', regions: ['530627'], sub: 'demo-county' });
    const ask = async <T>(query: string, variables: Record<string, unknown> = {}) =>
      dataOf<T>(await sys.query(query, variables, officer));
    const [{ id: siteId }] = await sys.sql<{ id: string }>(`SELECT id FROM governance.site ORDER BY name LIMIT 1`);
    // The month of the story's legal-study and film evenings (two days before the load: last month on the 1st).
    const month = (
      await sys.sql<{ m: string }>(`SELECT to_char(min(starts_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')
      AS m
      FROM social_orgs.activity WHERE legal_topic IS NOT NULL OR cultural_form IS NOT NULL`)
    )[0].m;
    const site = await ask<Record<string, any>>(
      `query($s: ID!, $m: String!) {
      coBuildingCouncil(siteId: $s) { name members { id } meetings { status } }
      proposals(siteId: $s) { nodes { status voting { __typename } listItem { id } comments { body } } }
      gridTasks(siteId: $s) { totalCount }
      mediationCases(siteId: $s) { parties { role } sessions { notes } }
      ruleOfLawIndicator(siteId: $s, fromMonth: $m, toMonth: $m) { lawyerVisits visitBookings legalStudyAttendance }
      surveys(siteId: $s) { nodes { id status respondentCount } }
      lawyerVisits(siteId: $s) { id }
      culturalOfferings(month: $m, siteId: $s) { form attendance }
    }`,
      { s: siteId, m: month },
    );
    expect(site.coBuildingCouncil.members.length).toBeGreaterThan(0);
    const statuses = (rows: { status: string }[]) => rows.map((r) => r.status).sort();
    expect(statuses(site.coBuildingCouncil.meetings)).toEqual(['HELD', 'SCHEDULED']);
    expect(statuses(site.proposals.nodes)).toEqual(['ADOPTED', 'OPEN', 'VOTING']);
    expect(site.proposals.nodes.find((p: { status: string }) => p.status === 'ADOPTED').listItem).not.toBeNull();
    expect(site.gridTasks.totalCount).toBeGreaterThan(0);
    expect(site.mediationCases[0].sessions.length).toBeGreaterThan(0);
    expect(site.ruleOfLawIndicator[0].legalStudyAttendance).toBeGreaterThan(0);
    expect(site.lawyerVisits.length).toBeGreaterThan(0);
    expect(site.culturalOfferings).toEqual([expect.objectContaining({ form: 'FILM' })]);
    const closed = site.surveys.nodes.find((s: { status: string }) => s.status === 'CLOSED');
    expect(closed.respondentCount).toBeGreaterThan(0);
    const results = await ask<Record<string, any>>(
      `query($id: ID!) { surveyResults(surveyId: $id) { respondents }
      }`,
      { id: closed.id },
    );
    expect(results.surveyResults.respondents).toBe(closed.respondentCount);
    const people = await ask<Record<string, any>>(`{
      socialWorkers { nodes { assessments { period } feedback { rating } grades { __typename } } }
      committees { nodes { consultations { status } } }
      microServices { totalCount }
    }`);
    expect(people.socialWorkers.nodes.every((w: { assessments: unknown[] }) => w.assessments.length > 0)).toBe(true);
    expect(statuses(people.committees.nodes[0].consultations)).toEqual(['ADVISED', 'OPEN']);
    expect(people.microServices.totalCount).toBeGreaterThan(0);
  });
});
