import { defineBatchHandler } from '@anju/contracts';
import { matchMany } from '../match/match.service';
import { householdLanguageSql } from './resident-directory';

/**
 * Income-stability monitoring found household gaps: each job gap raises a job-help demand (就业帮扶)
 * for its household, once per gap, and the new demands are matched at once. Set-based: one
 * statement raises the batch's demands and writes their transitions. A gap whose close came first
 * (`closed_gap`) raises its demand closed — opened and closed, as in-order delivery leaves it.
 * Each demand asks for the language its household needs (see householdLanguageSql).
 */
export const householdGapDetectedHandler = defineBatchHandler(
  'household.gap.detected',
  async (items, { manager, clock }) => {
    const gaps = items.filter((i) => i.payload.needsJobHelp);
    if (!gaps.length) return;
    const sites = [...new Set(gaps.map((g) => g.payload.siteId))];
    const known: { site_id: string }[] = await manager.query(
      `SELECT site_id FROM site_directory WHERE site_id = ANY($1::uuid[])`,
      [sites],
    );
    const missing = sites.filter((s) => !known.some((k) => k.site_id === s));
    // Retried (the batch's events then one by one): site.registered may still be on its way.
    if (missing.length) throw new Error(`sites ${missing.join(', ')} are not in the directory yet`);
    const raised: { id: string; status: string }[] = await manager.query(
      `WITH x AS (SELECT DISTINCT ON (g) g, s, r, h, e, d
                    FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::uuid[], $6::text[])
                  AS u(g, s, r, h, e, d) ORDER BY g),
     raised AS (
       INSERT INTO demand (site_id, region_code, category, description, urgency, household_id, recorded_by, gap_id,
         hours, status, languages)
       SELECT x.s, x.r, 'job_help', x.d, 'high', x.h, 'event:household.gap.detected', x.g, 4,
              CASE WHEN c.gap_id IS NULL THEN 'open' ELSE 'closed' END, ${householdLanguageSql('x.h')}
         FROM x LEFT JOIN closed_gap c ON c.gap_id = x.g ORDER BY x.g
       ON CONFLICT (gap_id) DO NOTHING RETURNING id, gap_id, status),
     moved AS (
       INSERT INTO demand_transition (demand_id, from_status, to_status, by_subject, note)
       SELECT raised.id, NULL, 'open', 'event:household.gap.detected', 'event ' || x.e FROM raised JOIN x
       ON x.g = raised.gap_id
       UNION ALL
       SELECT raised.id, 'open', 'closed', 'event:household.gap.closed', 'gap closed on ' || c.closed_on
         FROM raised JOIN closed_gap c ON c.gap_id = raised.gap_id)
     SELECT id, status FROM raised ORDER BY id`,
      [
        gaps.map((g) => g.payload.gapId),
        gaps.map((g) => g.payload.siteId),
        gaps.map((g) => g.payload.regionCode),
        gaps.map((g) => g.payload.householdId),
        gaps.map((g) => g.envelope.id),
        gaps.map((g) => `就业帮扶：收入稳定监测发现缺口（${g.payload.rules.join(', ')}），${g.payload.detectedOn}`),
      ],
    );
    // As matchOne for each open one in this order, with the volunteers near them loaded once (the first night raises
    // ~40,000).
    await matchMany(
      manager,
      raised.filter((d) => d.status === 'open').map((d) => d.id),
      clock.now(),
    );
  },
);
