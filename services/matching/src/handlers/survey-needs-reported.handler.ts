import { DEMAND_CATEGORY_NAMES, defineBatchHandler } from '@anju/contracts';
import { matchMany } from '../match/match.service';

/**
 * A closed survey counted residents naming a need: one demand per survey and need on the site's
 * demand list (需求清单), with how many named it and no household (the survey is anonymous), matched
 * at once. Set-based; a redelivered event raises nothing (unique on survey and need).
 */
export const surveyNeedsReportedHandler = defineBatchHandler(
  'survey.needs_reported',
  async (items, { manager, clock }) => {
    const sites = [...new Set(items.map((i) => i.payload.siteId))];
    const known: { site_id: string }[] = await manager.query(
      `SELECT site_id FROM site_directory WHERE site_id = ANY($1::uuid[])`,
      [sites],
    );
    const missing = sites.filter((s) => !known.some((k) => k.site_id === s));
    // Retried (the batch's events then one by one): site.registered may still be on its way.
    if (missing.length) throw new Error(`sites ${missing.join(', ')} are not in the directory yet`);
    const raised: { id: string }[] = await manager.query(
      `WITH x AS (SELECT DISTINCT ON (v, n) v, n, s, r, e, d
                    FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::uuid[], $6::text[])
                  AS u(v, n, s, r, e, d) ORDER BY v, n),
     raised AS (
       INSERT INTO demand (site_id, region_code, category, description, urgency, recorded_by, status, survey_id,
         survey_need)
       SELECT x.s, x.r, x.n, x.d, 'normal', 'event:survey.needs_reported', 'open', x.v, x.n FROM x ORDER BY x.v, x.n
       ON CONFLICT (survey_id, survey_need) WHERE survey_id IS NOT NULL DO NOTHING
       RETURNING id, survey_id, survey_need),
     moved AS (
       INSERT INTO demand_transition (demand_id, from_status, to_status, by_subject, note)
       SELECT raised.id, NULL, 'open', 'event:survey.needs_reported', 'event ' || x.e
         FROM raised JOIN x ON x.v = raised.survey_id AND x.n = raised.survey_need)
     SELECT id FROM raised ORDER BY id`,
      [
        items.map((i) => i.payload.surveyId),
        items.map((i) => i.payload.need),
        items.map((i) => i.payload.siteId),
        items.map((i) => i.payload.regionCode),
        items.map((i) => i.envelope.id),
        items.map(
          (i) =>
            `${DEMAND_CATEGORY_NAMES[i.payload.need]}：居民调查中${i.payload.residents}位居民提出此需求（调查` +
            `于${i.payload.closedOn}结束，匿名）`,
        ),
      ],
    );
    await matchMany(
      manager,
      raised.map((d) => d.id),
      clock.now(),
    );
  },
);
