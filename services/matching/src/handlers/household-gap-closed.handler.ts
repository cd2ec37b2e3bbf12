import { defineHandler } from '@anju/contracts';

/** The household now passes every rule: its job-help demand closes, and open assignments are withdrawn. */
export const householdGapClosedHandler = defineHandler('household.gap.closed', async (p, { manager }) => {
  const [rows]: [{ id: string; from: string }[], number] = await manager.query(
    `UPDATE demand d SET status = 'closed', status_changed_at = now()
       FROM (SELECT id, status FROM demand WHERE gap_id = $1 AND status NOT IN ('closed', 'cancelled') FOR UPDATE) old
      WHERE d.id = old.id RETURNING d.id, old.status AS from`,
    [p.gapId],
  );
  for (const r of rows) {
    await manager.query(`INSERT INTO demand_transition (demand_id, from_status, to_status, by_subject, note) VALUES ($1, $2, 'closed', 'event:household.gap.closed', $3)`,
      [r.id, r.from, `gap closed on ${p.closedOn}`]);
    await manager.query(`UPDATE assignment SET status = 'withdrawn', responded_at = now() WHERE demand_id = $1 AND status IN ('proposed', 'accepted')`, [r.id]);
  }
});
