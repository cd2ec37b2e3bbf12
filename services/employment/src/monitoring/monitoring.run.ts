import type { DataSource, EntityManager } from 'typeorm';
import { provinceDate } from '@anju/kit';
import { publishSelect } from '@anju/contracts';
import { ROLLUP_COUNTS, verdictSql } from './monitoring.sql';

/** Advisory lock keys: the nightly run takes the lock exclusively, re-checks share it. */
export const MONITORING_LOCK = 73010;

export interface MonitoringOutcome {
  day: string;
  households: number;
  changed: number;
  gapsOpened: number;
  gapsClosed: number;
  /** Milliseconds spent in each step, for the benchmark and the log. */
  phases?: Record<string, number>;
}

/**
 * Checks households against the four rules and records the outcome, set-based, comparing before
 * it writes: the verdicts go to a temporary table; only the households whose verdict differs from
 * the stored status (or that have none, or no longer count) are written, and only theirs can open
 * or close a gap — every check leaves a household's open gaps covering exactly its failing rules,
 * so an unchanged verdict has nothing to open or close. Gaps whose rules all pass again close
 * (household.gap.closed); rules now failing that no open gap covers open a new gap
 * (household.gap.detected, needsJobHelp for rules 2/3). The events go through the contract's
 * `publishSelect`, in the same statement as the gaps.
 *
 * `households` null: the whole population (nightly), plus the day's snapshot of roll-ups.
 * Runs inside the caller's transaction (`manager`): changes — events and users' mutations alike —
 * mark households for the re-check loop (recheck.ts), which calls this for the distinct marked ones.
 */
export async function checkHouseholds(
  manager: EntityManager,
  day: string,
  households: string[] | null,
  opts: { exclusive?: boolean } = {},
): Promise<MonitoringOutcome> {
  if (!manager.queryRunner?.isTransactionActive) throw new Error('checkHouseholds runs inside a transaction');
  const all = households === null;
  if (all || opts.exclusive) {
    // The whole population, or a night's few households at once: no re-check runs meanwhile.
    await manager.query(`SELECT pg_advisory_xact_lock(${MONITORING_LOCK}, 0)`);
    if (!all && !households.length) return { day, households: 0, changed: 0, gapsOpened: 0, gapsClosed: 0 };
  } else {
    if (!households.length) return { day, households: 0, changed: 0, gapsOpened: 0, gapsClosed: 0 };
    await manager.query(`SELECT pg_advisory_xact_lock_shared(${MONITORING_LOCK}, 0)`);
    // Two re-checks of one household queue up behind each other (ids sorted: no deadlock).
    await manager.query(
      `SELECT pg_advisory_xact_lock(${MONITORING_LOCK + 1}, hashtext(h)) FROM unnest($1::text[]) h ORDER BY h`,
      [[...households].sort()],
    );
  }
  const phases: Record<string, number> = {};
  const timed = async <T>(phase: string, fn: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    try {
      return await fn();
    } finally {
      phases[phase] = (phases[phase] ?? 0) + Date.now() - t;
    }
  };
  const q = (phase: string, sql: string, params?: unknown[]) => timed(phase, () => manager.query(sql, params));
  // A re-check pass runs often: its statements are prepared once per connection (named), so
  // PostgreSQL stops re-planning them (planning was most of the cost).
  const client = (
    manager.queryRunner as unknown as {
      databaseConnection: { query(q: { name: string; text: string; values?: unknown[] }): Promise<{ rows: any[] }> };
    }
  ).databaseConnection;
  const qx = async (phase: string, name: string, sql: string, values?: unknown[]) => {
    if (all) return q(phase, sql, values);
    return timed(phase, async () => (await client.query({ name: `monitoring.${name}`, text: sql, values })).rows);
  };
  /**
   * A working table of the check: at night created for the transaction (and analyzed: the planner
   * sees its real size); for a re-check kept as long as the connection, emptied at each commit (no DDL per pass).
   */
  const workTable = async (phase: string, table: string, select: string, values: unknown[]) => {
    if (all) {
      await q(phase, `DROP TABLE IF EXISTS pg_temp.${table}`);
      await q(phase, `CREATE TEMP TABLE ${table} ON COMMIT DROP AS ${select}`, values);
      await q(phase, `ANALYZE ${table}`);
      return;
    }
    const [{ exists }] = await q(phase, `SELECT to_regclass('pg_temp.${table}') IS NOT NULL AS exists`);
    if (!exists) await q(phase, `CREATE TEMP TABLE ${table} ON COMMIT DELETE ROWS AS ${select} WITH NO DATA`, values);
    await qx(phase, `fill-${table}`, `INSERT INTO ${table} ${select}`, values);
  };
  const params: unknown[] = all ? [day] : [day, households];

  // The verdict's aggregate over a UNION ALL has no statistics (PostgreSQL guesses 200 households), so at night it
  // would probe the 250,000 places one by one through an index: join them by hash instead (EXPLAIN ANALYZE, province).
  if (all) await q('verdict', `SET LOCAL enable_nestloop = off`);
  await workTable('verdict', 'fresh_verdict', verdictSql(!all), params);
  if (all) await q('verdict', `SET LOCAL enable_nestloop = DEFAULT`);
  // Households whose place no event recorded (e.g. bulk-loaded profiles) take their members' latest site.
  await qx(
    'place',
    'place',
    `WITH placed AS (
       INSERT INTO household_place (household_id, site_id, region_code)
       SELECT DISTINCT ON (p.household_id) p.household_id, p.site_id, p.region_code FROM labour_profile p
        WHERE p.household_id IN (SELECT household_id FROM fresh_verdict WHERE site_id IS NULL)
        ORDER BY p.household_id, p.created_at DESC
       ON CONFLICT (household_id) DO UPDATE SET site_id = household_place.site_id
       RETURNING household_id, site_id, region_code, grid_id)
     UPDATE fresh_verdict f SET site_id = placed.site_id, region_code = placed.region_code, grid_id = placed.grid_id
       FROM placed WHERE f.household_id = placed.household_id`,
  );
  const [{ households: counted }] = await qx(
    'verdict',
    'count',
    `SELECT count(*)::int AS households FROM fresh_verdict`,
  );

  // Compare first, then write only the households whose verdict changed, is new, or is gone (every member moved
  // out): one full join. An upsert with a WHERE … IS DISTINCT FROM would still lock every conflicting row (250,000
  // at night for the few hundred that change).
  await workTable(
    'compare',
    'changed_verdict',
    `SELECT coalesce(f.household_id, s.household_id) AS household_id, f.site_id, f.region_code, f.grid_id, f.failed,
              f.members, f.able,
            f.untrained, f.employed, f.welfare_posts, f.income_sources, s.household_id IS NULL AS is_new,
              f.household_id IS NULL AS gone
       FROM fresh_verdict f
       FULL JOIN (SELECT * FROM household_status ${all ? '' : 'WHERE household_id = ANY($1::uuid[])'}) s
       ON s.household_id = f.household_id
      WHERE s.household_id IS NULL OR f.household_id IS NULL
         OR (s.site_id, s.region_code, s.grid_id, s.failed, s.members, s.able, s.untrained, s.employed, s.welfare_posts,
           s.income_sources)
            IS DISTINCT FROM (f.site_id, f.region_code, f.grid_id, f.failed, f.members, f.able, f.untrained, f.employed,
              f.welfare_posts, f.income_sources)`,
    all ? [] : [households],
  );
  /**
   * A re-check's open gaps, found through household_gap_open by the pass's households (parameter n): the temporary
   * tables have no statistics, and joined to them alone the 87,000 open gaps of the province were read and sorted on
   * disk (49 ms a statement, EXPLAIN ANALYZE; 3 ms so). At night every household counts.
   */
  const openGapsOf = (n: number) =>
    `g.closed_on IS NULL AND ${all ? '' : `g.household_id = ANY($${n}::uuid[]) AND `}` +
    'g.household_id IN (SELECT household_id FROM changed_verdict)';
  const ofPass = all ? [] : [households];
  // The writes below each move site_counter rows by trigger (statuses, then closed gaps, then opened ones), each
  // statement in site order but each on its own sites; an event batch's labour_profile insert moves them too. A
  // site of a later statement taken meanwhile by a batch that waited on an earlier one's was a deadlock, a second
  // lost each (deadlock_timeout; 11 in one bench pipeline at province scale, sustained p99 3.4 s): every site this
  // check writes is taken here first, in one statement, in site order.
  await qx(
    'counterLock',
    'counter-lock',
    `SELECT 1 FROM site_counter WHERE site_id IN (
       SELECT site_id FROM changed_verdict
        UNION SELECT s.site_id FROM household_status s WHERE s.household_id IN
        (SELECT household_id FROM changed_verdict)
        UNION SELECT g.site_id FROM household_gap g WHERE ${openGapsOf(1)})
     ORDER BY site_id FOR UPDATE`,
    ofPass,
  );
  // No other writer of these statuses runs meanwhile (the monitoring locks): new ones are plain inserts, in key order.
  const [{ n: inserted }] = await qx(
    'statusWrite',
    'status-insert',
    `WITH ins AS (
       INSERT INTO household_status (household_id, site_id, region_code, grid_id, failed, members, able, untrained,
         employed, welfare_posts, income_sources, changed_at)
       SELECT household_id, site_id, region_code, grid_id, failed, members, able, untrained, employed, welfare_posts,
         income_sources, now()
         FROM changed_verdict WHERE is_new ORDER BY household_id
       RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
  );
  const [{ n: updated }] = await qx(
    'statusWrite',
    'status-update',
    `WITH up AS (
       UPDATE household_status s SET site_id = c.site_id, region_code = c.region_code, grid_id = c.grid_id,
         failed = c.failed, members = c.members,
              able = c.able, untrained = c.untrained, employed = c.employed, welfare_posts = c.welfare_posts,
                income_sources = c.income_sources,
              changed_at = now()
         FROM changed_verdict c WHERE s.household_id = c.household_id AND NOT c.is_new AND NOT c.gone
       RETURNING 1)
     SELECT count(*)::int AS n FROM up`,
  );
  // Households whose every member moved out no longer count; their open gaps close below.
  await qx(
    'statusWrite',
    'status-delete',
    `DELETE FROM household_status s USING changed_verdict c WHERE c.gone AND s.household_id = c.household_id`,
  );
  const changed = inserted + updated;

  const gapsClosed = await timed('gapsClose', () =>
    publishSelect(
      manager,
      'household.gap.closed',
      `SELECT id AS "gapId", household_id AS "householdId", site_id AS "siteId", region_code AS "regionCode",
            to_char($1::date, 'YYYY-MM-DD') AS "closedOn" FROM closed`,
      [day, ...ofPass],
      {
        with: `closed AS (
        UPDATE household_gap g SET closed_on = $1::date
         WHERE ${openGapsOf(2)}
           AND NOT EXISTS (SELECT 1 FROM fresh_verdict f WHERE f.household_id = g.household_id AND f.failed && g.rules)
        RETURNING g.id, g.household_id, g.site_id, g.region_code)`,
      },
    ),
  );

  // Rules failing now that no open gap covers, computed before any insert (a statement that read
  // household_gap while inserting into it would rescan its own new rows: quadratic at scale).
  await workTable(
    'gapsOpen',
    'newly_failed',
    `SELECT f.household_id, f.site_id, f.region_code,
            ARRAY(SELECT u.r FROM unnest(f.failed) WITH ORDINALITY AS u(r, i)
              WHERE NOT (u.r = ANY(coalesce(o.rules, '{}'::text[]))) ORDER BY u.i) AS rules
       FROM changed_verdict f
       LEFT JOIN (SELECT g.household_id, array_agg(DISTINCT r) AS rules FROM household_gap g, unnest(g.rules) r
                   WHERE ${openGapsOf(1)} GROUP BY g.household_id) o
         ON o.household_id = f.household_id
      WHERE cardinality(f.failed) > 0`,
    ofPass,
  );
  const gapsOpened = await timed('gapsOpen', () =>
    publishSelect(
      manager,
      'household.gap.detected',
      `SELECT id AS "gapId", household_id AS "householdId", site_id AS "siteId", region_code AS "regionCode",
              to_jsonb(rules) AS rules,
            needs_job_help AS "needsJobHelp", to_char($1::date, 'YYYY-MM-DD') AS "detectedOn" FROM opened`,
      [day],
      {
        with: `opened AS (
        INSERT INTO household_gap (household_id, site_id, region_code, rules, needs_job_help, detected_on)
        SELECT household_id, site_id, region_code, rules, rules && ARRAY['PUBLIC_WELFARE_POST', 'EMPLOYED_MEMBER'],
          $1::date
          FROM newly_failed WHERE cardinality(rules) > 0
        RETURNING id, household_id, site_id, region_code, rules, needs_job_help)`,
      },
    ),
  );
  return { day, households: counted, changed, gapsOpened, gapsClosed, phases };
}

/** The day's roll-ups by grid (where known), site, county, prefecture and province, kept for trends. */
export async function writeSnapshot(manager: EntityManager, day: string): Promise<number> {
  const rows = await manager.query(
    `INSERT INTO monitoring_snapshot (day, level, code, households, passing, failing_training, failing_welfare_post,
       failing_employed, failing_income)
     SELECT $1::date, level, code, households, passing, failing_training, failing_welfare_post, failing_employed,
       failing_income FROM (
       SELECT CASE WHEN GROUPING(s.grid_id) = 0 THEN 'grid' WHEN GROUPING(s.site_id) = 0 THEN 'site'
       WHEN GROUPING(s.region_code) = 0 THEN 'county'
                   WHEN GROUPING(left(s.region_code, 4)) = 0 THEN 'prefecture' ELSE 'province' END AS level,
              coalesce(s.grid_id::text, s.site_id::text, s.region_code::text, left(s.region_code, 4),
                left(s.region_code, 2)) AS code,
              ${ROLLUP_COUNTS}
         FROM household_status s
        GROUP BY GROUPING SETS ((s.grid_id), (s.site_id), (s.region_code), (left(s.region_code, 4)),
          (left(s.region_code, 2)))
     ) r WHERE code IS NOT NULL
     ON CONFLICT (day, level, code) DO UPDATE SET households = EXCLUDED.households, passing = EXCLUDED.passing,
       failing_training = EXCLUDED.failing_training, failing_welfare_post = EXCLUDED.failing_welfare_post,
       failing_employed = EXCLUDED.failing_employed, failing_income = EXCLUDED.failing_income
     RETURNING 1`,
    [day],
  );
  return rows.length;
}

/**
 * A full pass over every household at least this often (days): the safety net for a change that
 * reached the tables without marking its household (a repair by hand, a bulk load).
 */
export const FULL_RUN_EVERY_DAYS = 7;
/** Above this many households to re-check, one full pass costs less than the per-household form. */
const INCREMENTAL_MAX = 50_000;

/**
 * The households whose verdict can differ from their stored status tonight, or null for all of
 * them. Every change to what the rules read marks its household (markForRecheck) and the
 * re-check loop stores the new verdict within seconds, so a status is current as of the day it
 * was checked; what the day alone changes is whether a job counts (it starts on or ends after the
 * day). So: the households still marked, plus those with a job starting or ending between the last
 * run's day and tonight's. Every household when no full run happened in the last
 * FULL_RUN_EVERY_DAYS days (the first night among them), or when that set is too large to gain.
 */
export async function householdsToCheck(manager: EntityManager, day: string): Promise<string[] | null> {
  const [{ last, fullRecently }]: { last: string | null; fullRecently: boolean | null }[] = await manager.query(
    `SELECT (SELECT day::text FROM monitoring_run ORDER BY id DESC LIMIT 1) AS last,
            bool_or(every_household AND abs($1::date - day) < $2) AS "fullRecently"
       FROM monitoring_run`,
    [day, FULL_RUN_EVERY_DAYS],
  );
  if (!last || !fullRecently) return null;
  const rows: { household_id: string }[] = await manager.query(
    `SELECT household_id FROM household_recheck
     UNION
     SELECT p.household_id FROM employment_record j JOIN labour_profile p ON p.resident_id = j.resident_id
      WHERE (j.started_on > least($1::date, $2::date) AND j.started_on <= greatest($1::date, $2::date))
         OR (j.ended_on > least($1::date, $2::date) AND j.ended_on <= greatest($1::date, $2::date))`,
    [last, day],
  );
  return rows.length > INCREMENTAL_MAX ? null : rows.map((r) => r.household_id);
}

/**
 * The nightly run, then the day's snapshot of roll-ups, in one transaction; recorded in
 * monitoring_run. Most nights re-check only the households householdsToCheck names (holding the
 * monitoring lock for well under a second); a full pass over every household at least weekly.
 */
export async function runNightly(
  db: DataSource,
  now: Date,
): Promise<MonitoringOutcome & { full: boolean; snapshotRows: number; ms: number }> {
  const started = new Date();
  const day = provinceDate(now);
  return db.transaction(async (m) => {
    // One batch at night: let its hash joins and aggregates work in memory rather than spill. No JIT: compiling the
    // verdict's expressions cost 0.9–1.4 s a full run (EXPLAIN ANALYZE, province scale) and gained nothing measurable.
    await m.query(`SET LOCAL work_mem = '64MB'`);
    await m.query(`SET LOCAL jit = off`);
    // Taken before choosing the households: a re-check committing meanwhile is seen by the choice or has stored its
    // verdict.
    await m.query(`SELECT pg_advisory_xact_lock(${MONITORING_LOCK}, 0)`);
    const t0 = Date.now();
    const households = await householdsToCheck(m, day);
    const choose = Date.now() - t0;
    const outcome = await checkHouseholds(m, day, households, { exclusive: true });
    const t = Date.now();
    const snapshotRows = await writeSnapshot(m, day);
    outcome.phases = { choose, ...outcome.phases, snapshot: Date.now() - t };
    const full = households === null;
    await m.query(
      `INSERT INTO monitoring_run (day, started_at, finished_at, households, gaps_opened, gaps_closed, every_household)
       VALUES ($1, $2, clock_timestamp(), $3, $4, $5, $6)`,
      [day, started, outcome.households, outcome.gapsOpened, outcome.gapsClosed, full],
    );
    return { ...outcome, full, snapshotRows, ms: Date.now() - started.getTime() };
  });
}
