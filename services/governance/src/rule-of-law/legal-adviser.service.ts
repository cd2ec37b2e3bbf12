import type { DataSource } from 'typeorm';
import {
  ForbiddenError,
  InputError,
  NotFoundError,
  coversPlace,
  isUuid,
  requireRole,
  type Clock,
  type Principal,
  audit,
} from '@anju/kit';
import { siteReaderScope } from '../scope';

export interface AdviserRow {
  id: string;
  regionCode: string;
  name: string;
  kind: 'legal_adviser' | 'public_lawyer';
  organization: string | null;
  siteIds: string[];
}

const ADVISER = `a.id, a.region_code AS "regionCode", a.name, a.kind, a.organization,
  ARRAY(SELECT las.site_id::text FROM legal_adviser_site las WHERE las.adviser_id = a.id
    ORDER BY las.site_id) AS "siteIds"`;

/**
 * Refuses an adviser who does not serve the site: a visit or a mediation case at a site is held by one of the
 * site's own advisers. An id that is not a uuid is refused as such.
 */
export async function requireAdviserServing(db: DataSource, adviserId: string, siteId: string): Promise<void> {
  if (!isUuid(adviserId)) throw new InputError('input.adviserId', 'Not an adviser id.', 'FORMAT');
  const [serves] = await db.query(`SELECT 1 FROM legal_adviser_site WHERE adviser_id = $1 AND site_id = $2`, [
    adviserId,
    siteId,
  ]);
  if (!serves) throw new InputError('input.adviserId', 'This adviser does not serve the site.', 'NOT_SERVING');
}

/** 法律顾问 / 公职律师: the legal advisers of a county and the sites each serves. */
export class LegalAdviserService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
  ) {}

  async registerAdviser(input: {
    regionCode: string;
    name: string;
    kind: 'legal_adviser' | 'public_lawyer';
    organization?: string | null;
    siteIds: string[];
  }): Promise<AdviserRow> {
    requireRole(this.principal, 'province', 'county');
    if (!/^\d{6}$/.test(input.regionCode))
      throw new InputError('input.regionCode', 'A county-level (6-digit) region code.', 'FORMAT');
    if (!coversPlace(this.principal, { siteId: '', regionCode: input.regionCode }))
      throw new ForbiddenError('The region is outside your scope.');
    const name = input.name.trim();
    if (!name || name.length > 50) throw new InputError('input.name', 'A name has 1 to 50 characters.');
    const siteIds = [...new Set(input.siteIds)];
    const sites: { id: string; regionCode: string }[] = siteIds.length
      ? await this.db.query(`SELECT id, region_code AS "regionCode" FROM site WHERE id = ANY(as_uuids($1))`, [siteIds])
      : [];
    if (sites.length !== siteIds.length) throw new NotFoundError('input.siteIds', 'One of the sites does not exist.');
    if (sites.some((s) => s.regionCode !== input.regionCode))
      throw new InputError('input.siteIds', 'An adviser serves sites of their own county.', 'OTHER_REGION');
    return this.db.transaction(async (m) => {
      const [{ id }] = await m.query(
        `INSERT INTO legal_adviser (region_code, name, kind, organization) VALUES ($1, $2, $3, $4) RETURNING id`,
        [input.regionCode, name, input.kind, input.organization?.trim() || null],
      );
      await m.query(`INSERT INTO legal_adviser_site (adviser_id, site_id) SELECT $1, unnest(as_uuids($2))`, [
        id,
        siteIds,
      ]);
      await audit(m, this.principal, {
        action: 'legal_adviser.register',
        entityType: 'LegalAdviser',
        entityId: id,
        regionCode: input.regionCode,
      });
      const [row] = await m.query(`SELECT ${ADVISER} FROM legal_adviser a WHERE a.id = $1`, [id]);
      return row;
    });
  }

  advisersOfSite(siteId: string): Promise<AdviserRow[]> {
    const scope = siteReaderScope(this.principal, 'las.site_id', 's.region_code', 2);
    return this.db.query(
      `SELECT ${ADVISER} FROM legal_adviser a JOIN legal_adviser_site las ON las.adviser_id = a.id JOIN site s
        ON s.id = las.site_id
        WHERE las.site_id = as_uuid($1) AND ${scope.sql} ORDER BY a.kind, a.name`,
      [siteId, ...scope.params],
    );
  }

  /**
   * Advisers of many sites at once (for micro-issues at the legal-adviser level); the caller already reads those
   * records.
   */
  advisersOfSites(siteIds: readonly string[]): Promise<(AdviserRow & { servedSiteId: string })[]> {
    return this.db.query(
      `SELECT ${ADVISER}, las.site_id::text AS "servedSiteId" FROM legal_adviser a JOIN legal_adviser_site las
        ON las.adviser_id = a.id
        WHERE las.site_id = ANY(as_uuids($1)) ORDER BY a.kind, a.name`,
      [siteIds],
    );
  }

  advisersByIds(ids: readonly string[]): Promise<AdviserRow[]> {
    return this.db.query(`SELECT ${ADVISER} FROM legal_adviser a WHERE a.id = ANY(as_uuids($1))`, [ids]);
  }
}
