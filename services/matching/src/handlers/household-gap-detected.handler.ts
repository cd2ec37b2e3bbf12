import { defineHandler } from '@anju/contracts';
import { matchOne } from '../match/match.service';

/**
 * Income-stability monitoring found a household gap: when it is a job gap, raise a job-help
 * demand (就业帮扶) for the household, once per gap, and match it at once.
 */
export const householdGapDetectedHandler = defineHandler('household.gap.detected', async (p, { manager, envelope, clock }) => {
  if (!p.needsJobHelp) return;
  const [site] = await manager.query(`SELECT 1 FROM site_directory WHERE site_id = $1`, [p.siteId]);
  if (!site) throw new Error(`site ${p.siteId} is not in the directory yet`); // retried: site.registered may still be on its way
  const rows: { id: string }[] = await manager.query(
    `INSERT INTO demand (site_id, region_code, category, description, urgency, household_id, recorded_by, gap_id, hours)
     VALUES ($1, $2, 'job_help', $3, 'high', $4, 'event:household.gap.detected', $5, 4)
     ON CONFLICT (gap_id) DO NOTHING RETURNING id`,
    [p.siteId, p.regionCode, `就业帮扶：收入稳定监测发现缺口（${p.rules.join(', ')}），${p.detectedOn}`, p.householdId, p.gapId],
  );
  if (rows.length === 0) return;
  await manager.query(`INSERT INTO demand_transition (demand_id, from_status, to_status, at, by_subject, note) VALUES ($1, NULL, 'open', now(), $2, $3)`,
    [rows[0].id, 'event:household.gap.detected', `event ${envelope.id}`]);
  await matchOne(manager, rows[0].id, clock.now());
});
