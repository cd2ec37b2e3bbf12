import { defineBatchHandler } from '@anju/contracts';

/**
 * Households that pass every rule again: their job-help demands close and open assignments are
 * withdrawn, a batch in one statement. Each close is remembered (`closed_gap`): a detection that
 * arrives after it raises its demand closed.
 */
export const householdGapClosedHandler = defineBatchHandler('household.gap.closed', async (items, { manager }) => {
  await manager.query(
    `WITH x AS (SELECT DISTINCT ON (g) g, e, d FROM unnest($1::uuid[], $2::uuid[], $3::date[]) AS u(g, e, d)
       ORDER BY g),
     gone AS (INSERT INTO closed_gap (gap_id, closed_on, closed_by_event_id) SELECT g, d, e FROM x ON CONFLICT
       DO NOTHING),
     old AS (SELECT dm.id, dm.status, x.d FROM demand dm JOIN x ON dm.gap_id = x.g
              WHERE dm.status NOT IN ('closed', 'cancelled') ORDER BY dm.id FOR UPDATE OF dm),
     closed AS (UPDATE demand dm SET status = 'closed', status_changed_at = now() FROM old WHERE dm.id = old.id
       RETURNING dm.id),
     moved AS (INSERT INTO demand_transition (demand_id, from_status, to_status, by_subject, note)
               SELECT old.id, old.status, 'closed', 'event:household.gap.closed', 'gap closed on ' || old.d FROM old)
     UPDATE assignment SET status = 'withdrawn', responded_at = now()
      WHERE demand_id IN (SELECT id FROM closed) AND status IN ('proposed', 'accepted')`,
    [items.map((i) => i.payload.gapId), items.map((i) => i.envelope.id), items.map((i) => i.payload.closedOn)],
  );
});
