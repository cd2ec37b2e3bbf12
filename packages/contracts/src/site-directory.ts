import type { MigrationInterface, QueryRunner } from 'typeorm';
import { defineHandler } from './handler';

/**
 * A consumer's local copy of governance's sites (安置点), fed by `site.registered`: scoping,
 * roll-ups by site and region, and distances without reading another service's tables. Any
 * service that consumes `site.registered` lists this migration and this handler.
 */
export class SiteDirectory1764201650000 implements MigrationInterface {
  name = 'SiteDirectory1764201650000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE site_directory (
        site_id uuid PRIMARY KEY,
        region_code varchar(6) NOT NULL,
        name text NOT NULL,
        latitude double precision NOT NULL,
        longitude double precision NOT NULL,
        planned_households int NOT NULL
      )`);
    await q.query(`CREATE INDEX site_directory_region ON site_directory (region_code text_pattern_ops)`);
    await q.query(`COMMENT ON TABLE site_directory IS 'Local copy of governance sites, fed by site.registered'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE site_directory`);
  }
}

export const siteRegisteredHandler = defineHandler('site.registered', async (p, { manager }) => {
  await manager.query(
    `INSERT INTO site_directory (site_id, region_code, name, latitude, longitude, planned_households)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (site_id) DO UPDATE SET region_code = EXCLUDED.region_code, name = EXCLUDED.name,
       latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude, planned_households = EXCLUDED.planned_households`,
    [p.siteId, p.regionCode, p.name, p.latitude, p.longitude, p.plannedHouseholds],
  );
});

export interface SiteDirectoryEntry {
  siteId: string;
  regionCode: string;
  name: string;
  latitude: number;
  longitude: number;
}

/** A site from the local directory, or null if this service has not heard of it. */
export async function findSite(
  db: { query: (sql: string, params: unknown[]) => Promise<SiteDirectoryEntry[]> },
  siteId: string,
): Promise<SiteDirectoryEntry | null> {
  if (!/^[0-9a-f-]{36}$/i.test(siteId)) return null;
  const [row] = await db.query(
    `SELECT site_id AS "siteId", region_code AS "regionCode", name, latitude, longitude FROM site_directory
      WHERE site_id = $1`,
    [siteId],
  );
  return row ?? null;
}
