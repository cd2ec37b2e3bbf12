import { randomUUID } from 'node:crypto';
import { ERASED_NAME } from '@anju/contracts';
import { createDataSource, loadConfig, platformSettings } from '@anju/kit';
import { REGISTER_RESIDENT, TestSystem, dataOf, residentInput, seedPlace, tokenFor, type Place } from '@anju/testing';
import { eraseMovedOutResidents } from '../src/resident/resident-retention.task';

/**
 * Retention reaches every copy: when governance erases a moved-out resident's personal data, its
 * `resident.personal_data_erased` makes employment, social-orgs and matching erase what they hold
 * of that person (names, contacts, free text), and nobody else's.
 */
describe("erasing a moved-out resident's personal data everywhere", () => {
  let sys: TestSystem;
  let place: Place;
  let officer: string;

  beforeAll(async () => {
    sys = await TestSystem.start({
      label: 'erase_copies',
      apis: ['governance'],
      workers: ['governance', 'employment', 'social-orgs', 'matching'],
    });
    place = await seedPlace(sys, 1);
    officer = await tokenFor({ role: 'site_officer', sites: [place.siteIds[0]] });
    await sys.waitForIdle();
  }, 180_000);
  afterAll(() => sys?.stop());

  async function resident(seq: number, movedOutOn?: string): Promise<string> {
    const id = dataOf(await sys.query(REGISTER_RESIDENT, { i: residentInput(place.householdIds[0], seq) }, officer))
      .registerResident.id as string;
    if (movedOutOn) {
      dataOf(
        await sys.query(
          `mutation($id: ID!, $i: MoveOutResidentInput!) { moveOutResident(id: $id, input: $i) { id } }`,
          { id, i: { movedOutOn, reason: '随子女迁往昆明' } },
          officer,
        ),
      );
    }
    return id;
  }

  /**
   * What the other services hold of a resident, as an NGO, an employment clerk and a volunteer coordinator wrote it.
   */
  async function copiesOf(residentId: string) {
    const site = place.siteIds[0];
    const [org] = await sys.sql(
      `INSERT INTO social_orgs.organization (name, kind, service_region_codes) VALUES ($1, 'professional', '{530102}')
        RETURNING id`,
      [`社工中心${randomUUID().slice(0, 8)}`],
    );
    const [activity] = await sys.sql(
      `INSERT INTO social_orgs.activity (organization_id, site_id, title, kind, starts_at, ends_at, capacity)
      VALUES ($1, $2, '健康讲座', 'HEALTH', now(), now() + interval '1 hour', 30) RETURNING id`,
      [org.id, site],
    );
    await sys.sql(
      `INSERT INTO social_orgs.activity_registration (activity_id, organization_id, resident_id, participant_name,
        contact_masked, status, registered_by)
      VALUES ($1, $2, $3, '张三', '138****1234', 'ATTENDED', 'ngo-a')`,
      [activity.id, org.id, residentId],
    );
    const [worker] = await sys.sql(
      `INSERT INTO social_orgs.social_worker (organization_id, name, qualification, joined_on)
      VALUES ($1, '李社工', 'SOCIAL_WORKER', '2024-01-01') RETURNING id`,
      [org.id],
    );
    await sys.sql(
      `INSERT INTO social_orgs.worker_feedback (worker_id, organization_id, resident_id, rating, comment, period)
      VALUES ($1, $2, $3, 5, '李社工帮我家老人办了低保', '2024-Q1')`,
      [worker.id, org.id, residentId],
    );
    await sys.sql(
      `INSERT INTO matching.volunteer (display_name, resident_id, home_site_id, region_code, weekly_hours)
        VALUES ('张三', $1, $2, '530102', 4)`,
      [residentId, site],
    );
    await sys.sql(
      `INSERT INTO employment.employment_record (resident_id, household_id, site_id, region_code, kind, started_on,
        ended_on, end_reason, monthly_income)
      VALUES ($1, $2, $3, '530102', 'workshop', '2023-01-01', '2023-12-31', '家中老人生病需照顾', 2000)`,
      [residentId, place.householdIds[0], site],
    );
  }

  const held = async (residentId: string) =>
    (
      await sys.sql(
        `SELECT (SELECT json_agg(json_build_array(participant_name, contact_masked))
          FROM social_orgs.activity_registration WHERE resident_id = $1) AS registrations,
            (SELECT json_agg(json_build_array(rating, comment)) FROM social_orgs.worker_feedback
              WHERE resident_id = $1) AS feedback,
            (SELECT json_agg(display_name) FROM matching.volunteer WHERE resident_id = $1) AS volunteer,
            (SELECT json_agg(json_build_array(kind, end_reason)) FROM employment.employment_record
              WHERE resident_id = $1) AS jobs,
            (SELECT count(*)::int FROM employment.labour_profile WHERE resident_id = $1) AS profiles`,
        [residentId],
      )
    )[0];

  it('erasure makes employment, social-orgs and matching erase copies; a resident still due keeps hers', async () => {
    const gone = await resident(1, '2024-01-10');
    const recent = await resident(2, '2026-10-01');
    await sys.waitForIdle();
    await copiesOf(gone);
    await copiesOf(recent);
    const before = await held(recent);
    expect(before).toEqual({
      registrations: [['张三', '138****1234']],
      feedback: [[5, '李社工帮我家老人办了低保']],
      volunteer: ['张三'],
      jobs: [['workshop', '家中老人生病需照顾']],
      profiles: 1,
    });

    const governance = createDataSource(loadConfig(platformSettings, sys.env), {
      schema: 'governance',
      migrations: [],
      applicationName: 'erase-test',
    });
    await governance.initialize();
    try {
      expect(await eraseMovedOutResidents(governance, 730, new Date('2026-12-01T09:00:00+08:00'))).toBe(1);
    } finally {
      await governance.destroy();
    }
    await sys.waitForIdle();

    expect(await held(gone)).toEqual({
      registrations: [[ERASED_NAME, null]],
      feedback: [[5, null]],
      volunteer: [ERASED_NAME],
      jobs: [['workshop', null]],
      profiles: 1,
    });
    expect(await held(recent)).toEqual(before);
  });
});
