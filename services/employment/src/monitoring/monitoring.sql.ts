/**
 * The four rules of rules.ts as one set-based statement over employment's own tables: per resident
 * flags (completed training, skill, ongoing jobs) hash-joined onto labour profiles, grouped by
 * household, then joined with land and dividends. `$1` is the day the check is for (YYYY-MM-DD).
 * With `households`, every table is first narrowed to the households `$2::uuid[]` (the per-household
 * re-check) — resident-level tables through the households' members, by index.
 */
export function verdictSql(households: boolean): string {
  const only = (col: string) => (households ? `AND ${col} = ANY($2::uuid[])` : '');
  // Trainings, skills and jobs belong to the resident (they follow a resident who changes household).
  const ofMembers = (col: string) => (households ? `AND ${col} IN (SELECT resident_id FROM labour_profile WHERE household_id = ANY($2::uuid[]))` : '');
  return `
WITH trained AS (
  SELECT DISTINCT resident_id FROM enrollment WHERE status = 'completed' ${ofMembers('resident_id')}
), skilled AS (
  SELECT DISTINCT resident_id FROM skill WHERE true ${ofMembers('resident_id')}
), jobs AS (
  SELECT resident_id,
         count(*) FILTER (WHERE kind = 'public_welfare_post') AS posts,
         count(*) FILTER (WHERE monthly_income > 0) AS paid
    FROM employment_record
   WHERE started_on <= $1::date AND (ended_on IS NULL OR ended_on > $1::date) ${ofMembers('resident_id')}
   GROUP BY resident_id
), members AS (
  SELECT p.household_id,
         count(*)::int AS members,
         count(*) FILTER (WHERE p.labour_capacity <> 'none')::int AS able,
         count(*) FILTER (WHERE p.labour_capacity <> 'none' AND (t.resident_id IS NULL OR s.resident_id IS NULL))::int AS untrained,
         coalesce(bool_or(p.labour_capacity <> 'none' AND p.can_work_away), false) AS able_away,
         coalesce(bool_or(p.wants_work), false) AS wants_work,
         count(j.resident_id)::int AS employed,
         coalesce(sum(j.posts), 0)::int AS posts,
         coalesce(sum(j.paid), 0)::int AS paid
    FROM labour_profile p
    LEFT JOIN trained t ON t.resident_id = p.resident_id
    LEFT JOIN skilled s ON s.resident_id = p.resident_id
    LEFT JOIN jobs j ON j.resident_id = p.resident_id
   WHERE p.moved_out_on IS NULL ${only('p.household_id')}
   GROUP BY p.household_id
), land AS (
  SELECT household_id, count(*)::int AS n FROM land_asset
   WHERE state IN ('leased', 'pooled') AND annual_income > 0 ${only('household_id')}
   GROUP BY household_id
), dividends AS (
  SELECT household_id, count(*)::int AS n FROM project_link WHERE annual_dividend > 0 ${only('household_id')} GROUP BY household_id
)
SELECT m.household_id, hp.site_id, hp.region_code, hp.grid_id,
       m.members, m.able, m.untrained, m.employed, m.posts AS welfare_posts,
       (m.paid + coalesce(l.n, 0) + coalesce(d.n, 0))::int AS income_sources,
       array_remove(ARRAY[
         CASE WHEN m.untrained > 0 THEN 'TRAINING_AND_SKILL' END,
         CASE WHEN m.able > 0 AND NOT m.able_away AND m.posts = 0 THEN 'PUBLIC_WELFARE_POST' END,
         CASE WHEN m.wants_work AND m.employed = 0 THEN 'EMPLOYED_MEMBER' END,
         CASE WHEN m.paid + coalesce(l.n, 0) + coalesce(d.n, 0) = 0 THEN 'STABLE_INCOME' END
       ], NULL)::text[] AS failed
  FROM members m
  JOIN household_place hp ON hp.household_id = m.household_id
  LEFT JOIN land l ON l.household_id = m.household_id
  LEFT JOIN dividends d ON d.household_id = m.household_id`;
}

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
