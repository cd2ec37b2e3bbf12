import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { Principal } from './auth';
import { placeFilter } from './scope';

/** One count a dashboard shows per site: rows of `source` that meet `where`, kept in `column`. */
export interface SiteCount {
  /** The counted table; it has `site_id` (and `region_code` when the counter table keeps one). */
  source: string;
  /** The counter table's column. */
  column: string;
  /** SQL over the source's columns: which rows count (`true` for all). */
  where: string;
}

/**
 * Creates a per-site counter table (`site_id`, optionally the site's `region_code`, one integer
 * column per count) kept by statement-level triggers with transition tables on each source: every
 * INSERT, UPDATE, DELETE or COPY, one row or a batch of thousands, adds its net change per site in
 * its own transaction, in site order (two batches never wait on each other in a cycle). Whoever
 * writes the rows — a resolver, a batched event handler, the seed — keeps the counts right.
 * The counts already in the table are taken once, after the triggers hold their lock.
 */
export async function createSiteCounters(
  q: QueryRunner,
  table: string,
  withRegion: boolean,
  counts: SiteCount[],
): Promise<void> {
  await q.query(
    `CREATE TABLE ${table} (site_id uuid PRIMARY KEY${withRegion ? ', region_code varchar(6) NOT NULL' : ''})`,
  );
  await addSiteCounts(q, table, withRegion, counts);
}

/**
 * Adds counts to a counter table made by `createSiteCounters`: a column each, its triggers, and
 * the rows already there counted once. A later migration adds a dashboard's new counts this way.
 */
export async function addSiteCounts(
  q: QueryRunner,
  table: string,
  withRegion: boolean,
  counts: SiteCount[],
): Promise<void> {
  const region = withRegion ? ', region_code' : '';
  for (const c of counts) {
    await q.query(`ALTER TABLE ${table} ADD COLUMN ${c.column} int NOT NULL DEFAULT 0`);
    const fn = `${table}_${c.column}`;
    const delta = (rows: string, sign: 1 | -1) => `SELECT site_id${region}, ${sign} AS d FROM ${rows} WHERE ${c.where}`;
    const apply = (
      parts: string[],
    ) => `INSERT INTO ${table} AS c (site_id${withRegion ? ', region_code' : ''}, ${c.column})
        SELECT site_id${withRegion ? ', max(region_code)' : ''}, sum(d) FROM (${parts.join(' UNION ALL ')}) x
         GROUP BY site_id HAVING sum(d) <> 0 ORDER BY site_id
        ON CONFLICT (site_id) DO UPDATE SET ${c.column} = c.${c.column} + excluded.${c.column};`;
    // The service's schema, fixed at creation: a session with another search_path writes rows too.
    await q.query(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN ${apply([delta('new_rows', 1)])}
        ELSIF TG_OP = 'UPDATE' THEN ${apply([delta('new_rows', 1), delta('old_rows', -1)])}
        ELSE ${apply([delta('old_rows', -1)])}
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER ${fn}_ins AFTER INSERT ON ${c.source} REFERENCING NEW TABLE
        AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
    );
    await q.query(
      `CREATE TRIGGER ${fn}_upd AFTER UPDATE ON ${c.source} REFERENCING OLD TABLE AS old_rows NEW TABLE
        AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
    );
    await q.query(
      `CREATE TRIGGER ${fn}_del AFTER DELETE ON ${c.source} REFERENCING OLD TABLE
        AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
    );
    await q.query(`INSERT INTO ${table} AS c (site_id${region}, ${c.column})
        SELECT site_id${withRegion ? ', max(region_code)' : ''}, count(*)
          FROM ${c.source} WHERE ${c.where} GROUP BY site_id
        ON CONFLICT (site_id) DO UPDATE SET ${c.column} = excluded.${c.column}`);
  }
}

/** Removes counts added by `addSiteCounts` (their triggers, functions and columns). */
export async function dropSiteCounts(q: QueryRunner, table: string, counts: SiteCount[]): Promise<void> {
  for (const c of counts) {
    for (const op of ['ins', 'upd', 'del']) await q.query(`DROP TRIGGER ${table}_${c.column}_${op} ON ${c.source}`);
    await q.query(`DROP FUNCTION ${table}_${c.column}()`);
    await q.query(`ALTER TABLE ${table} DROP COLUMN ${c.column}`);
  }
}

/** A migration that creates the counter table `site_counter` of a service (see `createSiteCounters`). */
export function siteCountersMigration(
  timestamp: number,
  withRegion: boolean,
  counts: SiteCount[],
): new () => MigrationInterface {
  return counterMigration(
    `SiteCounters${timestamp}`,
    (q) => createSiteCounters(q, 'site_counter', withRegion, counts),
    (q) => dropSiteCounters(q, 'site_counter', counts),
  );
}

/** A migration class named `name` (TypeORM records it by that name) with the given steps. */
function counterMigration(
  name: string,
  up: (q: QueryRunner) => Promise<void>,
  down: (q: QueryRunner) => Promise<void>,
) {
  const migration = class implements MigrationInterface {
    name = name;
    up = up;
    down = down;
  };
  Object.defineProperty(migration, 'name', { value: name });
  return migration as new () => MigrationInterface;
}

export async function dropSiteCounters(q: QueryRunner, table: string, counts: SiteCount[]): Promise<void> {
  await dropSiteCounts(q, table, counts);
  await q.query(`DROP TABLE ${table}`);
}

/**
 * Counts of many sites from a counter table kept by `createSiteCounters` (with region), as an
 * officer may see them: a site outside the caller's places counts 0, as a scoped COUNT would.
 * Only for officers, whose scope takes a site whole (by region or site); null for other roles,
 * whose scope cuts through a site (their callers count the rows).
 */
export function siteCountSql(
  p: Principal,
  table: string,
  column: string,
  siteIdsParam = 1,
): { sql: string; params: unknown[] } | null {
  return siteCountsSql(p, table, { n: column }, siteIdsParam);
}

/**
 * Several counts of many sites at once, as `siteCountSql` reads one: `columns` maps each answer's
 * name to its counter column; each row has `siteId` and those names.
 */
export function siteCountsSql(
  p: Principal,
  table: string,
  columns: Record<string, string>,
  siteIdsParam = 1,
): { sql: string; params: unknown[] } | null {
  if (!['province', 'county', 'site_officer', 'grid_worker'].includes(p.role)) return null;
  // A grid worker with grids reaches part of a site only: a site's counter would tell them the whole.
  if (p.role === 'grid_worker' && p.grids.length) return null;
  const scope = placeFilter(p, { site: 'c.site_id', region: 'c.region_code' }, siteIdsParam + 1);
  const list = Object.entries(columns)
    .map(([as, col]) => `c.${col} AS "${as}"`)
    .join(', ');
  return {
    sql: `SELECT c.site_id AS "siteId", ${list} FROM ${table} c
      WHERE c.site_id = ANY($${siteIdsParam}::uuid[]) AND ${scope.sql}`,
    params: scope.params,
  };
}

/** A later migration that adds counts to a service's `site_counter` (see `addSiteCounts`). */
export function siteCountsMigration(
  timestamp: number,
  withRegion: boolean,
  counts: SiteCount[],
): new () => MigrationInterface {
  return counterMigration(
    `SiteCounts${timestamp}`,
    (q) => addSiteCounts(q, 'site_counter', withRegion, counts),
    (q) => dropSiteCounts(q, 'site_counter', counts),
  );
}
