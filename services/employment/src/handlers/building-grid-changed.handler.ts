import { defineBatchHandler } from '@anju/contracts';
import { markForRecheck } from '../monitoring/recheck';

/**
 * A building moved to another grid (or to none): its households' grid follows in household_place
 * and in their verdicts, so roll-ups by grid and grid workers' reach are right at once. Per
 * household the fact that occurred last wins (a resident event or a move), whatever the delivery
 * order. A batch in two statements.
 */
export const buildingGridChanged = defineBatchHandler('building.grid_changed', async (items, { manager }) => {
  const rows = items.flatMap(({ payload: p, envelope }) =>
    p.householdIds.map((h) => ({ h, s: p.siteId, rc: p.regionCode, g: p.gridId, at: envelope.occurredAt })),
  );
  if (!rows.length) return;
  const households = rows.map((r) => r.h);
  await manager.query(
    `WITH x AS (SELECT DISTINCT ON (h) h, s, rc, g, at
                   FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::timestamptz[])
                 AS u(h, s, rc, g, at) ORDER BY h, at DESC)
     INSERT INTO household_place (household_id, site_id, region_code, grid_id, facts_at) SELECT h, s, rc, g, at FROM x
       ORDER BY h
     ON CONFLICT (household_id) DO UPDATE SET grid_id = EXCLUDED.grid_id, facts_at = EXCLUDED.facts_at
       WHERE household_place.facts_at < EXCLUDED.facts_at`,
    [households, rows.map((r) => r.s), rows.map((r) => r.rc), rows.map((r) => r.g), rows.map((r) => r.at)],
  );
  await manager.query(
    `UPDATE household_status s SET grid_id = hp.grid_id FROM household_place hp
      WHERE hp.household_id = s.household_id AND s.household_id = ANY($1::uuid[])
      AND s.grid_id IS DISTINCT FROM hp.grid_id`,
    [households],
  );
  await markForRecheck(manager, [...new Set(households)]);
});
