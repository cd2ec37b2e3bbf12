/**
 * The four rules of rules.ts as one set-based statement over employment's own tables, shaped like
 * one GROUP BY household (the cheapest pass over these tables, and one PostgreSQL runs in parallel):
 * each branch below yields rows already keyed by household — the active members, the able members
 * with both a completed training and a skill (semi-joins), the members with a job on the day (their
 * jobs counted per member first: one join of jobs to members, not two as before; serial, at province
 * scale, 5.5–6.5 s of CPU against 8.9–9.5 s), each earning plot of land and each project link paying dividend or
 * wages — and one aggregation adds them up.
 * Trainings, skills and jobs belong to the resident (they follow a resident who changes household):
 * they reach a household through its members' labour profiles. `$1` is the day the check is for
 * (YYYY-MM-DD). With `households`, only the households `$2::uuid[]` (the re-check), by index.
 * A household without a recorded place comes out with a null site (the caller places it).
 */
export function verdictSql(households: boolean): string {
  const only = (col: string) => (households ? `AND ${col} = ANY($2::uuid[])` : '');
  // A re-check counts the jobs of its households' members only.
  const membersOf = (col: string) =>
    `AND ${col} IN (SELECT resident_id FROM labour_profile WHERE household_id = ANY($2::uuid[]))`;
  const onDay = (j: string) => `${j}.started_on <= $1::date AND (${j}.ended_on IS NULL OR ${j}.ended_on > $1::date)`;
  const row = (cols: Record<string, string>) => FIELDS.map((f) => `${cols[f] ?? '0'} AS ${f}`).join(', ');
  return `
WITH parts AS (
  SELECT p.household_id, ${row({
    members: '1',
    able: "(p.labour_capacity <> 'none')::int",
    able_away: "(p.labour_capacity <> 'none' AND p.can_work_away)::int",
    wants_work: 'coalesce(p.wants_work, false)::int',
  })}
    FROM labour_profile p WHERE p.moved_out_on IS NULL ${only('p.household_id')}
  UNION ALL
  SELECT p.household_id, ${row({ qualified: '1' })} FROM labour_profile p
   WHERE p.moved_out_on IS NULL AND p.labour_capacity <> 'none' ${only('p.household_id')}
     AND EXISTS (SELECT 1 FROM enrollment e WHERE e.resident_id = p.resident_id AND e.status = 'completed')
     AND EXISTS (SELECT 1 FROM skill s WHERE s.resident_id = p.resident_id)
  UNION ALL
  SELECT p.household_id, ${row({ employed: '1', posts: 'j.posts', paid: 'j.paid' })}
    FROM (SELECT j.resident_id, count(*) FILTER (WHERE j.kind = 'public_welfare_post')::int AS posts,
                 count(*) FILTER (WHERE j.monthly_income > 0)::int AS paid
            FROM employment_record j
           WHERE ${onDay('j')} ${households ? membersOf('j.resident_id') : ''}
           GROUP BY j.resident_id) j
    JOIN labour_profile p ON p.resident_id = j.resident_id
   WHERE p.moved_out_on IS NULL ${only('p.household_id')}
  UNION ALL
  SELECT household_id, ${row({ assets: '1' })} FROM land_asset
   WHERE state IN ('leased', 'pooled') AND annual_income > 0 ${only('household_id')}
  UNION ALL
  SELECT household_id, ${row({ assets: '1' })} FROM project_link
   WHERE (annual_dividend > 0 OR annual_wage_income > 0) ${only('household_id')}
), m AS (
  SELECT household_id, sum(members)::int AS members, sum(able)::int AS able,
    (sum(able) - sum(qualified))::int AS untrained,
         sum(able_away) > 0 AS able_away, sum(wants_work) > 0 AS wants_work, sum(employed)::int AS employed,
         sum(posts)::int AS posts, sum(paid)::int AS paid, sum(assets)::int AS assets
    FROM parts GROUP BY household_id HAVING sum(members) > 0
)
SELECT m.household_id, hp.site_id, hp.region_code, hp.grid_id,
       m.members, m.able, m.untrained, m.employed, m.posts AS welfare_posts, (m.paid + m.assets)::int AS income_sources,
       array_remove(ARRAY[
         CASE WHEN m.untrained > 0 THEN 'TRAINING_AND_SKILL' END,
         CASE WHEN m.able > 0 AND NOT m.able_away AND m.posts = 0 THEN 'PUBLIC_WELFARE_POST' END,
         CASE WHEN m.wants_work AND m.employed = 0 THEN 'EMPLOYED_MEMBER' END,
         CASE WHEN m.paid + m.assets = 0 THEN 'STABLE_INCOME' END
       ], NULL)::text[] AS failed
  FROM m LEFT JOIN household_place hp ON hp.household_id = m.household_id`;
}

/** What each branch of the verdict contributes to its household (summed). */
const FIELDS = [
  'members',
  'able',
  'qualified',
  'able_away',
  'wants_work',
  'employed',
  'posts',
  'paid',
  'assets',
] as const;

/** Roll-up levels: the grid (when known), the site, and the county / prefecture / province codes. */
export const LEVELS = ['grid', 'site', 'county', 'prefecture', 'province'] as const;
export type Level = (typeof LEVELS)[number];

/** The code a household counts under at each level, as SQL over household_status `s`. */
export const levelCode: Record<Level, string> = {
  grid: 's.grid_id::text',
  site: 's.site_id::text',
  county: 's.region_code::text',
  prefecture: 'left(s.region_code, 4)',
  province: 'left(s.region_code, 2)',
};

/** Counts of one roll-up row over household_status `s`. */
export const ROLLUP_COUNTS = `count(*)::int AS households,
  count(*) FILTER (WHERE cardinality(s.failed) = 0)::int AS passing,
  count(*) FILTER (WHERE 'TRAINING_AND_SKILL' = ANY(s.failed))::int AS failing_training,
  count(*) FILTER (WHERE 'PUBLIC_WELFARE_POST' = ANY(s.failed))::int AS failing_welfare_post,
  count(*) FILTER (WHERE 'EMPLOYED_MEMBER' = ANY(s.failed))::int AS failing_employed,
  count(*) FILTER (WHERE 'STABLE_INCOME' = ANY(s.failed))::int AS failing_income`;
