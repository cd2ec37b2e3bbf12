import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import {
  addMonths,
  placeFilter,
  provinceMonth,
  startOfProvinceMonth,
  type Clock,
  type Principal,
  uuidsOf,
} from '@anju/kit';

/** Social-orgs' part of a site's dashboard. */
export interface SitePicture {
  /** Organizations active at the site: an activity there this month or a micro-service running there. */
  activePartners: number;
  /** Activities starting at the site this month (the province's calendar). */
  activitiesThisMonth: number;
}

const NONE: SitePicture = { activePartners: 0, activitiesThisMonth: 0 };

export class SitePictureService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
  ) {}

  /**
   * Many sites in one statement, over indexed ranges of one site each. Officers count every
   * organization at sites of their places; an NGO member counts its own organization only.
   */
  loader() {
    return new DataLoader<string, SitePicture>(async (siteIds) => {
      const p = this.principal;
      const month = provinceMonth(this.clock.now());
      const params: unknown[] = [
        uuidsOf(siteIds),
        startOfProvinceMonth(month),
        startOfProvinceMonth(addMonths(month, 1)),
      ];
      let where: string;
      let org = 'true';
      if (p.role === 'ngo_member') {
        where = 'true';
        org = `x.organization_id = $4::uuid`;
        params.push(p.organizationId);
      } else {
        const s = placeFilter(p, { site: 'sd.site_id', region: 'sd.region_code' }, 4);
        where = s.sql;
        params.push(...s.params);
      }
      const rows: ({ siteId: string } & SitePicture)[] = await this.db.query(
        `SELECT sd.site_id AS "siteId",
                (SELECT count(*)::int FROM activity x
                  WHERE x.site_id = sd.site_id AND x.starts_at >= $2 AND x.starts_at < $3
                    AND ${org}) AS "activitiesThisMonth",
                (SELECT count(DISTINCT x.organization_id)::int FROM (
                   SELECT a.organization_id FROM activity a WHERE a.site_id = sd.site_id AND a.starts_at >= $2
                     AND a.starts_at < $3
                   UNION ALL
                   SELECT m.organization_id FROM micro_service m WHERE m.site_id = sd.site_id AND m.active) x
                  WHERE ${org}) AS "activePartners"
           FROM site_directory sd WHERE sd.site_id = ANY($1::uuid[]) AND ${where}`,
        params,
      );
      const bySite = new Map(rows.map((r) => [r.siteId, r]));
      return siteIds.map((id) => bySite.get(id) ?? NONE);
    });
  }
}
