import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { siteCountsSql, type Principal, uuidsOf } from '@anju/kit';
import { scopeSql } from '../scope';

/** Employment's part of a site's dashboard: monitored and passing households, open gaps. */
export interface SitePicture {
  monitored: number;
  passing: number;
  openGaps: number;
}

const NONE: SitePicture = { monitored: 0, passing: 0, openGaps: 0 };

export class SitePictureService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
  ) {}

  /**
   * Many sites at once, one statement: officers whose scope takes the site whole read the counters
   * (site_counter, kept by triggers); a grid worker with grids, or a resident, counts their own rows.
   */
  loader() {
    return new DataLoader<string, SitePicture>(async (siteIds) => {
      const counter = siteCountsSql(this.principal, 'site_counter', {
        monitored: 'monitored_households',
        passing: 'passing_households',
        openGaps: 'open_gaps',
      });
      let rows: ({ siteId: string } & SitePicture)[];
      if (counter) {
        rows = await this.db.query(counter.sql, [uuidsOf(siteIds), ...counter.params]);
      } else {
        const st = scopeSql(this.principal, 's', 2);
        const gp = scopeSql(this.principal, 'g', 2);
        rows = await this.db.query(
          `SELECT site_id AS "siteId", sum(monitored)::int AS monitored, sum(passing)::int AS passing,
                  sum(open_gaps)::int AS "openGaps"
             FROM (SELECT s.site_id, 1 AS monitored, (cardinality(s.failed) = 0)::int AS passing, 0 AS open_gaps
                     FROM household_status s WHERE s.site_id = ANY($1::uuid[]) AND ${st.sql}
                   UNION ALL
                   SELECT g.site_id, 0, 0, 1 FROM household_gap g
                    WHERE g.site_id = ANY($1::uuid[]) AND g.closed_on IS NULL AND ${gp.sql}) x
            GROUP BY site_id`,
          [uuidsOf(siteIds), ...st.params],
        );
      }
      const bySite = new Map(rows.map((r) => [r.siteId, r]));
      return siteIds.map((id) => bySite.get(id) ?? NONE);
    });
  }
}
