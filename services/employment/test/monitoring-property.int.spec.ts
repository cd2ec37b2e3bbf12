import { randomUUID } from 'node:crypto';
import { bootRuntime, type ServiceRuntime } from '@anju/kit';
import { createTestDatabase, migratedTemplate, prng, type TestDatabase } from '@anju/testing';
import { loadEmploymentConfig } from '../src/config';
import { employmentData } from '../src/data-source';
import { verdictSql } from '../src/monitoring/monitoring.sql';
import { runNightly } from '../src/monitoring/monitoring.run';
import { EVENTS } from '@anju/contracts';
import { evaluateHousehold, type HouseholdFacts, type JobFact, type MemberFacts } from '../src/monitoring/rules';

/**
 * Property: the set-based SQL and the pure rule functions give the same verdict on every one of
 * thousands of random households (seeded, so a failure reproduces), including the edge cases
 * that matter — jobs ending on the day, starting after it, idle land with income 0, zero
 * dividends, moved-out members, unfinished or dropped trainings.
 */
const HOUSEHOLDS = 3_000;
const DAY = '2026-06-15';
const DAYS = ['2025-01-01', '2026-06-14', '2026-06-15', '2026-06-16', '2027-01-01'];

interface Generated {
  id: string;
  facts: HouseholdFacts;
  residents: { id: string; m: MemberFacts; dropped: number; enrolledOnly: number }[];
}

function generate(seed: number): Generated[] {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const chance = (p: number) => r() < p;
  const out: Generated[] = [];
  for (let h = 0; h < HOUSEHOLDS; h++) {
    const residents: Generated['residents'] = [];
    const n = 1 + Math.floor(r() * 5);
    for (let i = 0; i < n; i++) {
      const jobs: JobFact[] = [];
      const jobCount = pick([0, 0, 1, 1, 2]);
      for (let j = 0; j < jobCount; j++) {
        const startedOn = pick(DAYS.slice(0, 4));
        const ends = DAYS.filter((d) => d >= startedOn);
        jobs.push({
          kind: pick(['workshop', 'public_welfare_post', 'migrant_work', 'self_employed', 'flexible'] as const),
          startedOn,
          endedOn: chance(0.5) ? null : pick(ends),
          monthlyIncome: chance(0.2) ? 0 : 500 + Math.floor(r() * 3000),
        });
      }
      residents.push({
        id: randomUUID(),
        dropped: chance(0.2) ? 1 : 0,
        enrolledOnly: chance(0.2) ? 1 : 0,
        m: {
          labourCapacity: pick(['full', 'full', 'weak', 'none'] as const),
          canWorkAway: chance(0.4),
          wantsWork: chance(0.5),
          movedOut: chance(0.08),
          completedTrainings: pick([0, 1, 1, 2]),
          skills: pick([0, 1, 1, 2]),
          jobs,
        },
      });
    }
    const land = Array.from({ length: pick([0, 0, 1, 2]) }, () => {
      const state = pick(['idle', 'leased', 'pooled'] as const);
      return { state, annualIncome: state === 'idle' || chance(0.2) ? 0 : 100 + Math.floor(r() * 2000) };
    });
    // Industry-project links: a dividend, wages from working in the project, both or (paying nothing yet) neither.
    const projects = Array.from({ length: pick([0, 0, 0, 1, 2]) }, () => ({
      annualDividend: chance(0.4) ? 0 : 200 + Math.floor(r() * 1000),
      annualWageIncome: chance(0.6) ? 0 : 3000 + Math.floor(r() * 9000),
    }));
    out.push({ id: randomUUID(), residents, facts: { members: residents.map((x) => x.m), land, projects } });
  }
  return out;
}

/** A database of its own holding the generated households, and an employment worker runtime on it. */
async function seeded(data: Generated[]): Promise<{ db: TestDatabase; rt: ServiceRuntime }> {
  const site = randomUUID();
  const db = await createTestDatabase('emp_prop', await migratedTemplate(['employment']));
  const rt = await bootRuntime({
    name: 'employment',
    process: 'worker',
    applicationName: 'employment-property-test',
    ...employmentData,
    config: loadEmploymentConfig({
      DATABASE_URL: db.url,
      DATABASE_POOL_SIZE: '2',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
    }),
  });
  const q = (sql: string, params: unknown[]) => rt.db.query(sql, params);
  const courses: string[] = [];
  for (let i = 0; i < 4; i++) {
    const [c] = await q(
      `INSERT INTO training_course (site_id, region_code, skill, provider, place, starts_on, ends_on, capacity)
        VALUES ($1, '530102', 'skill', 'p', 'x', '2025-01-01', '2025-02-01', 10000) RETURNING id`,
      [site],
    );
    courses.push(c.id);
  }
  const cols = {
    p: [[], [], [], [], [], []] as unknown[][],
    e: [[], [], [], []] as unknown[][],
    k: [[], []] as unknown[][],
    j: [[], [], [], [], [], [], []] as unknown[][],
    l: [[], [], [], []] as unknown[][],
    d: [[], [], [], []] as unknown[][],
  };
  const projects: string[] = [];
  for (let i = 0; i < 2; i++) {
    const [p] = await q(
      `INSERT INTO industry_project (name, site_id, region_code) VALUES ($1, $2, '530102') RETURNING id`,
      [`p${i}`, site],
    );
    projects.push(p.id);
  }
  for (const h of data) {
    for (const res of h.residents) {
      const m = res.m;
      cols.p.forEach((c, i) =>
        c.push([res.id, h.id, m.labourCapacity, m.canWorkAway, m.wantsWork, m.movedOut ? '2026-01-01' : null][i]),
      );
      let course = 0;
      const enroll = (status: string) => {
        cols.e[0].push(courses[course++]);
        cols.e[1].push(res.id);
        cols.e[2].push(h.id);
        cols.e[3].push(status);
      };
      for (let t = 0; t < m.completedTrainings; t++) enroll('completed');
      if (res.dropped) enroll('dropped');
      if (res.enrolledOnly) enroll('enrolled');
      for (let s = 0; s < m.skills; s++) {
        cols.k[0].push(res.id);
        cols.k[1].push(h.id);
      }
      for (const j of m.jobs)
        cols.j.forEach((c, i) =>
          c.push(
            [res.id, h.id, j.kind, j.startedOn, j.endedOn, j.monthlyIncome, j.kind === 'migrant_work' ? '广东' : null][
              i
            ],
          ),
        );
    }
    h.facts.land.forEach((l) => cols.l.forEach((c, i) => c.push([h.id, l.state, l.annualIncome, 'contracted'][i])));
    h.facts.projects.forEach((d, i) => {
      [projects[i], h.id, d.annualDividend, d.annualWageIncome].forEach((v, c) => cols.d[c].push(v));
    });
  }
  await q(`INSERT INTO household_place (household_id, site_id, region_code) SELECT unnest($1::uuid[]), $2, '530102'`, [
    data.map((h) => h.id),
    site,
  ]);
  await q(
    `INSERT INTO labour_profile (resident_id, household_id, site_id, region_code, labour_capacity, can_work_away,
        wants_work, birth_year, source_event_id, moved_out_on)
      SELECT r, h, $7, '530102', c, a, w, 1980, gen_random_uuid(), m FROM unnest($1::uuid[], $2::uuid[], $3::text[],
        $4::bool[], $5::bool[], $6::date[]) AS u(r, h, c, a, w, m)`,
    [...cols.p, site],
  );
  await q(
    `INSERT INTO enrollment (course_id, resident_id, household_id, site_id, region_code, status)
      SELECT c, r, h, $5, '530102', s FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[]) AS u(c, r, h, s)`,
    [...cols.e, site],
  );
  await q(
    `INSERT INTO skill (resident_id, household_id, site_id, region_code, name, level)
      SELECT r, h, $3, '530102', 'skill', 'beginner' FROM unnest($1::uuid[], $2::uuid[]) AS u(r, h)`,
    [...cols.k, site],
  );
  await q(
    `INSERT INTO employment_record (resident_id, household_id, site_id, region_code, kind, started_on, ended_on,
        monthly_income, destination)
      SELECT r, h, $8, '530102', k, s, e, i, d FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::date[], $5::date[],
        $6::numeric[], $7::text[]) AS u(r, h, k, s, e, i, d)`,
    [...cols.j, site],
  );
  await q(
    `INSERT INTO land_asset (household_id, site_id, region_code, state, annual_income, kind, area_mu)
      SELECT h, $5, '530102', s, i, k, 1.5 FROM unnest($1::uuid[], $2::text[], $3::numeric[], $4::text[]) AS u(h, s,
        i, k)`,
    [...cols.l, site],
  );
  await q(
    `INSERT INTO project_link (project_id, household_id, site_id, region_code, annual_dividend, annual_wage_income,
        linked_on)
      SELECT p, h, $5, '530102', d, w, '2026-01-01'
        FROM unnest($1::uuid[], $2::uuid[], $3::numeric[], $4::numeric[]) AS u(p, h, d, w)`,
    [...cols.d, site],
  );
  return { db, rt };
}

async function stopSeeded(db: TestDatabase | undefined, rt: ServiceRuntime | undefined): Promise<void> {
  await rt?.lifecycle.stop('test finished');
  await db?.drop();
}

describe('monitoring SQL agrees with the pure rules', () => {
  let db: TestDatabase;
  let rt: ServiceRuntime;
  const data = generate(20261127);

  beforeAll(async () => {
    ({ db, rt } = await seeded(data));
  }, 120_000);

  afterAll(() => stopSeeded(db, rt), 60_000);

  it(`gives the same failed rules for each of ${HOUSEHOLDS} random households`, async () => {
    const rows: { household_id: string; failed: string[] }[] = await rt.db.query(verdictSql(false), [DAY]);
    const sql = new Map(rows.map((x) => [x.household_id, x.failed]));
    const mismatches: string[] = [];
    let failing = 0;
    for (const h of data) {
      const expected = evaluateHousehold(h.facts, DAY);
      const active = h.facts.members.some((m) => !m.movedOut);
      const got = sql.get(h.id);
      if (!active) {
        if (got) mismatches.push(`${h.id}: all moved out but SQL has a verdict`);
        continue;
      }
      if (expected.failed.length) failing++;
      if (JSON.stringify(got) !== JSON.stringify(expected.failed)) {
        mismatches.push(
          `${JSON.stringify(h.facts)} → pure ${JSON.stringify(expected.failed)}, SQL ${JSON.stringify(got)}`,
        );
      }
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
    // The generator exercises both outcomes of every rule.
    expect(failing).toBeGreaterThan(HOUSEHOLDS / 10);
    for (const rule of ['TRAINING_AND_SKILL', 'PUBLIC_WELFARE_POST', 'EMPLOYED_MEMBER', 'STABLE_INCOME']) {
      const n = rows.filter((x) => x.failed.includes(rule)).length;
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThan(rows.length);
    }
  });

  it('the per-household form of the SQL (the re-check) gives the same verdicts for a sample', async () => {
    const sample = data.filter((_, i) => i % 15 === 0);
    const rows: { household_id: string; failed: string[] }[] = await rt.db.query(verdictSql(true), [
      DAY,
      sample.map((h) => h.id),
    ]);
    const sql = new Map(rows.map((x) => [x.household_id, x.failed]));
    for (const h of sample) {
      const active = h.facts.members.some((m) => !m.movedOut);
      expect(sql.get(h.id)).toEqual(active ? evaluateHousehold(h.facts, DAY).failed : undefined);
    }
    expect(rows).toHaveLength(sample.filter((h) => h.facts.members.some((m) => !m.movedOut)).length);
  });

  it('the nightly run stores the same verdicts, a gap per failing household (valid event); idempotent', async () => {
    const first = await runNightly(rt.db, new Date(`${DAY}T04:00:00Z`));
    const status: { household_id: string; failed: string[] }[] = await rt.db.query(
      `SELECT household_id, failed FROM household_status`,
    );
    // One row per household with a member still living there, each with the pure rules' verdict.
    const active = data.filter((h) => h.facts.members.some((m) => !m.movedOut));
    const expected = new Map(active.map((h) => [h.id, evaluateHousehold(h.facts, DAY).failed]));
    expect(status).toHaveLength(active.length);
    expect(new Map(status.map((s) => [s.household_id, s.failed]))).toEqual(expected);
    const failing = [...expected.values()].filter((f) => f.length).length;
    expect(failing).toBeGreaterThan(0);
    expect(first.gapsOpened).toBe(failing);
    const events: { payload: unknown }[] = await rt.db.query(
      `SELECT payload FROM outbox WHERE event = 'household.gap.detected'`,
    );
    expect(events).toHaveLength(failing);
    for (const e of events.slice(0, 200))
      expect(EVENTS['household.gap.detected'].payload.safeParse(e.payload).success).toBe(true);
    const [snap] = await rt.db.query(
      `SELECT households, passing FROM monitoring_snapshot WHERE day = $1 AND level = 'province' AND code = '53'`,
      [DAY],
    );
    expect(snap).toEqual({ households: active.length, passing: active.length - failing });

    const again = await runNightly(rt.db, new Date(`${DAY}T05:00:00Z`));
    expect(again).toMatchObject({ full: false, households: 0, changed: 0, gapsOpened: 0, gapsClosed: 0 });
  }, 60_000);

  // A steady night checks the marked households and those with a job starting or ending since the last run. It
  // changes incomes behind the generated facts: on a database of its own, after a full night of its own.
  describe('after a full night', () => {
    let db: TestDatabase;
    let rt: ServiceRuntime;

    beforeAll(async () => {
      ({ db, rt } = await seeded(data));
      expect(await runNightly(rt.db, new Date(`${DAY}T04:00:00Z`))).toMatchObject({ full: true });
    }, 120_000);

    afterAll(() => stopSeeded(db, rt), 60_000);

    it('a steady night checks the households a full pass would find failing; a weekly full pass the rest', async () => {
      const next = '2026-06-16';
      const stored = async () =>
        new Map(
          (
            (await rt.db.query(`SELECT household_id, failed FROM household_status`)) as {
              household_id: string;
              failed: string[];
            }[]
          ).map((x) => [x.household_id, x.failed]),
        );
      const fresh = async (day: string) =>
        new Map(
          ((await rt.db.query(verdictSql(false), [day])) as { household_id: string; failed: string[] }[]).map((x) => [
            x.household_id,
            x.failed,
          ]),
        );
      // Every income of a household stops (its land, dividends and pay): it fails rule 4 from now on.
      const stopIncome = async (household: string) => {
        await rt.db.query(`UPDATE land_asset SET annual_income = 0 WHERE household_id = $1`, [household]);
        await rt.db.query(
          `UPDATE project_link SET annual_dividend = 0, annual_wage_income = 0 WHERE household_id = $1`,
          [household],
        );
        await rt.db.query(
          `UPDATE employment_record SET monthly_income = 0 WHERE resident_id IN (SELECT resident_id FROM labour_profile
          WHERE household_id = $1)`,
          [household],
        );
      };
      const earning: { household_id: string }[] = await rt.db.query(
        `SELECT household_id FROM household_status WHERE NOT 'STABLE_INCOME' = ANY(failed) ORDER BY 1 LIMIT 2`,
      );
      const [marked, unmarked] = earning;
      // A change that marked its household (as every service path does).
      await stopIncome(marked.household_id);
      await rt.db.query(`INSERT INTO household_recheck (household_id) VALUES ($1)`, [marked.household_id]);
      // A change that reached the tables without a mark (a repair by hand): no night but a full one sees it.
      await stopIncome(unmarked.household_id);
      const [{ crossing }] = await rt.db.query(
        `SELECT count(DISTINCT p.household_id)::int AS crossing FROM employment_record j
      JOIN labour_profile p USING (resident_id) WHERE j.started_on = $1 OR j.ended_on = $1`,
        [next],
      );
      expect(crossing).toBeGreaterThan(10); // the generator starts and ends jobs on the next day too

      const steady = await runNightly(rt.db, new Date(`${next}T04:00:00Z`));
      expect(steady.full).toBe(false);
      expect(steady.households).toBeLessThanOrEqual(crossing + 1);
      expect(steady.changed).toBeGreaterThan(0);
      const want = await fresh(next);
      const got = await stored();
      want.delete(unmarked.household_id);
      got.delete(unmarked.household_id);
      expect(got).toEqual(want); // every household but the unmarked one, exactly as a full pass on the day
      expect(got.get(marked.household_id)).toContain('STABLE_INCOME');

      // A week after the last full pass: a full one, which also sees the unmarked change.
      const weekLater = '2026-06-23';
      const full = await runNightly(rt.db, new Date(`${weekLater}T04:00:00Z`));
      expect(full.full).toBe(true);
      expect(await stored()).toEqual(await fresh(weekLater));
      expect((await stored()).get(unmarked.household_id)).toContain('STABLE_INCOME');
    }, 60_000);
  });
});
