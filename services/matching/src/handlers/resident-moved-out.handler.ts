import { defineBatchHandler } from '@anju/contracts';
import { refreshDemandLanguages } from './resident-directory';

/**
 * Residents who moved out (迁出): the directory marks them (a registration delivered late keeps the
 * mark), and a household with nobody left living at the site has its unfinished demands cancelled
 * and their assignments withdrawn — except job-help demands raised from a gap, which close with the
 * gap (employment closes it when the household no longer counts); households with members left ask
 * again for their languages.
 * A batch in a few statements.
 */
export const residentMovedOutHandler = defineBatchHandler('resident.moved_out', async (items, { manager }) => {
  const col = <K extends keyof (typeof items)[number]['payload']>(k: K) => items.map((i) => i.payload[k]);
  await manager.query(
    `INSERT INTO resident_directory (resident_id, household_id, site_id, region_code, moved_out_on)
     SELECT DISTINCT ON (r) r, h, s, rc,
       d FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::date[]) AS u(r, h, s, rc, d)
      ORDER BY r
     ON CONFLICT (resident_id) DO UPDATE SET moved_out_on = EXCLUDED.moved_out_on`,
    [col('residentId'), col('householdId'), col('siteId'), col('regionCode'), col('movedOutOn')],
  );
  const households = [...new Set(col('householdId'))];
  await manager.query(
    `WITH empty AS (SELECT h FROM unnest($1::uuid[]) h
                     WHERE NOT EXISTS (SELECT 1 FROM resident_directory m WHERE m.household_id = h
                       AND m.moved_out_on IS NULL)),
     old AS (SELECT dm.id, dm.status FROM demand dm JOIN empty ON dm.household_id = empty.h
              WHERE dm.status IN ('open', 'claimed', 'in_progress') AND dm.gap_id IS NULL ORDER BY dm.id FOR
              UPDATE OF dm),
     cancelled AS (UPDATE demand dm SET status = 'cancelled', status_changed_at = now() FROM old WHERE dm.id = old.id
       RETURNING dm.id),
     moved AS (INSERT INTO demand_transition (demand_id, from_status, to_status, by_subject, note)
               SELECT old.id, old.status, 'cancelled', 'event:resident.moved_out', '住户已全部迁出' FROM old)
     UPDATE assignment SET status = 'withdrawn', responded_at = now()
      WHERE demand_id IN (SELECT id FROM cancelled) AND status IN ('proposed', 'accepted')`,
    [households],
  );
  await refreshDemandLanguages(manager, households);
});
