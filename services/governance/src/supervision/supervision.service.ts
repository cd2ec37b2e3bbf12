import type { DataSource } from 'typeorm';
import {
  ConflictError,
  ForbiddenError,
  InputError,
  NotFoundError,
  audit,
  coversPlace,
  placeFilter,
  provinceDate,
  requireRole,
  returning,
  type Clock,
  type Principal,
  isUuid,
  keysetPage,
  desc,
} from '@anju/kit';
import { siteForWrite } from '../grid/grid.service';

export type FindingTarget = 'list_item' | 'notice' | 'points_entry';
export type FindingAction = 'flag' | 'reopen';

export interface FindingRow {
  id: string;
  siteId: string;
  regionCode: string;
  targetKind: FindingTarget;
  targetId: string;
  action: FindingAction;
  description: string;
  memberResidentId: string;
  recordedAt: Date;
  status: 'open' | 'answered';
  response: string | null;
  answeredAt: Date | null;
}
export interface MemberRow {
  siteId: string;
  residentId: string;
  appointedOn: string;
  endedOn: string | null;
  endReason: string | null;
}
const MEMBER = `site_id AS "siteId", resident_id AS "residentId", to_char(appointed_on, 'YYYY-MM-DD') AS "appointedOn",
  to_char(ended_on, 'YYYY-MM-DD') AS "endedOn", end_reason AS "endReason"`;

const COLUMNS = `f.id, f.site_id AS "siteId", f.region_code AS "regionCode", f.target_kind AS "targetKind",
    f.target_id AS "targetId",
  f.action, f.description, f.member_resident_id AS "memberResidentId", f.recorded_at AS "recordedAt", f.status,
    f.response,
  f.answered_at AS "answeredAt"`;

/** SQL: the sites whose supervisory committee the resident in parameter `n` sits on (still living there). */
export const supervisedSites = (n: number) => `SELECT m.site_id FROM supervisory_member m
  JOIN resident r ON r.id = m.resident_id AND r.moved_out_on IS NULL WHERE m.ended_on IS NULL
    AND m.resident_id = $${n}::uuid`;
const ACTIVE_MEMBER = supervisedSites(1);

/**
 * 居务监督 — the residents' supervisory committee of a site. Its members are residents (they sign in
 * with a resident token; membership is kept here, per site, by the site's officers), so that those
 * overseen (officers, the party organization, NGOs) are not the ones who oversee.
 */
export class SupervisionService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
  ) {}

  /** Officers: their places. A committee member: the findings of the sites they sit for. Nobody else. */
  private scope(n: number): { sql: string; params: unknown[] } {
    const p = this.principal;
    if (p.role === 'resident') return { sql: `f.site_id IN (${supervisedSites(n)})`, params: [p.residentId] };
    return placeFilter(p, { site: 'f.site_id', region: 'f.region_code' }, n);
  }

  /** The sites the calling resident sits on the committee for (none for other roles). */
  async memberSites(): Promise<string[]> {
    if (this.principal.role !== 'resident') return [];
    return (await this.db.query(ACTIVE_MEMBER, [this.principal.residentId])).map((r: { site_id: string }) => r.site_id);
  }

  async members(siteId: string, includeEnded?: boolean | null): Promise<MemberRow[]> {
    if (!isUuid(siteId)) throw new InputError('siteId', 'Not a site id.', 'FORMAT');
    const p = this.principal;
    const [site] = await this.db.query(`SELECT id, region_code AS "regionCode" FROM site WHERE id = $1`, [siteId]);
    const home =
      p.role === 'resident'
        ? (
            await this.db.query(
              `SELECT 1 FROM resident WHERE id = $1::uuid AND site_id = $2 AND moved_out_on IS NULL`,
              [p.residentId, siteId],
            )
          ).length > 0
        : false;
    if (!site || !(home || coversPlace(p, { siteId: site.id, regionCode: site.regionCode }))) return [];
    // Past terms, with why they ended, are the officers' record; residents see the committee as it is.
    const past = includeEnded === true && p.role !== 'resident';
    return this.db.query(
      `SELECT ${MEMBER} FROM supervisory_member WHERE site_id = $1 AND ($2 OR ended_on IS NULL)
        ORDER BY ended_on DESC NULLS FIRST, appointed_on, resident_id`,
      [siteId, past],
    );
  }

  /** Officers appoint a resident living at the site to its supervisory committee. */
  async appoint(siteId: string, residentId: string): Promise<MemberRow> {
    const p = this.principal;
    requireRole(p, 'county', 'site_officer');
    const site = await siteForWrite(this.db, p, siteId, 'siteId');
    if (!isUuid(residentId)) throw new InputError('residentId', 'Not a resident id.', 'FORMAT');
    const [resident] = await this.db.query(
      `SELECT id FROM resident WHERE id = $1 AND site_id = $2 AND moved_out_on IS NULL`,
      [residentId, site.id],
    );
    if (!resident) throw new InputError('residentId', 'A member is a resident living at the site.', 'NOT_OF_SITE');
    return this.db.transaction(async (m) => {
      const added = returning(
        await m.query(
          `INSERT INTO supervisory_member (site_id, resident_id, region_code, appointed_on, appointed_by)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (site_id, resident_id) WHERE ended_on IS NULL DO NOTHING RETURNING resident_id`,
          [site.id, residentId, site.regionCode, provinceDate(this.clock.now()), p.subject],
        ),
      );
      if (!added.length)
        throw new ConflictError('residentId', 'The resident is already on the committee.', 'ALREADY_MEMBER');
      await audit(m, p, {
        action: 'supervisory_member.appoint',
        entityType: 'Site',
        entityId: site.id,
        siteId: site.id,
        regionCode: site.regionCode,
        detail: { residentId },
      });
      const [row] = await m.query(
        `SELECT ${MEMBER} FROM supervisory_member WHERE site_id = $1 AND resident_id = $2 AND ended_on IS NULL`,
        [site.id, residentId],
      );
      return row;
    });
  }

  /**
   * Officers end a resident's term on the site's committee (任期届满、辞职、迁出…), from today: they no
   * longer see or record the site's findings; the findings they recorded stay. Appointing them again
   * opens a new term.
   */
  async endTerm(siteId: string, residentId: string, reason: string): Promise<MemberRow> {
    const p = this.principal;
    requireRole(p, 'county', 'site_officer');
    const site = await siteForWrite(this.db, p, siteId, 'siteId');
    if (!isUuid(residentId)) throw new InputError('residentId', 'Not a resident id.', 'FORMAT');
    const why = reason.trim();
    if (why.length < 2 || why.length > 500)
      throw new InputError('reason', 'Say why the term ends (2 to 500 characters).');
    return this.db.transaction(async (m) => {
      const [row] = returning<MemberRow>(
        await m.query(
          `UPDATE supervisory_member SET ended_on = $3, ended_by = $4, end_reason = $5
          WHERE site_id = $1 AND resident_id = $2 AND ended_on IS NULL RETURNING ${MEMBER}`,
          [site.id, residentId, provinceDate(this.clock.now()), p.subject, why],
        ),
      );
      if (!row) throw new NotFoundError('residentId', 'The resident is not on the committee.');
      await audit(m, p, {
        action: 'supervisory_member.end',
        entityType: 'Site',
        entityId: site.id,
        siteId: site.id,
        regionCode: site.regionCode,
        detail: { residentId, reason: why },
      });
      return row;
    });
  }

  byIds(ids: readonly string[]): Promise<FindingRow[]> {
    const scope = this.scope(2);
    return this.db.query(
      `SELECT ${COLUMNS} FROM supervision_finding f WHERE f.id = ANY(as_uuids($1)) AND ${scope.sql}`,
      [ids, ...scope.params],
    );
  }

  /** Open findings on each record, by kind and id (for the flag a list item or notice shows). */
  async openCounts(kind: FindingTarget, ids: readonly string[]): Promise<Map<string, number>> {
    const rows: { id: string; n: number }[] = await this.db.query(
      `SELECT target_id AS id, count(*)::int AS n FROM supervision_finding WHERE target_kind = $1
          AND target_id = ANY($2::text[]) AND status = 'open'
        GROUP BY target_id`,
      [kind, ids],
    );
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  /** Findings newest first; officers filter by status (OPEN: what awaits their answer). */
  async list(args: {
    siteId?: string | null;
    status?: 'open' | 'answered' | null;
    first?: number | null;
    after?: string | null;
  }) {
    const scope = this.scope(3);
    const params: unknown[] = [args.siteId ?? null, args.status ?? null, ...scope.params];
    const where = `($1::text IS NULL OR f.site_id = as_uuid($1)) AND ($2::text IS NULL OR f.status = $2)
                     AND ${scope.sql}`;
    const list = { columns: COLUMNS, from: 'supervision_finding f', where, params };
    const sort = desc<FindingRow>(['f.recorded_at', 'timestamp', 'recordedAt'], ['f.id', 'uuid', 'id']);
    return keysetPage(this.db, list, args, sort);
  }

  /**
   * A committee member records a finding on a list item, a disclosure (notice) or a points award of
   * their site. REOPEN (list items only) puts a done or cancelled item back to open; every finding
   * flags its record until an officer answers it.
   */
  async record(input: {
    targetKind: FindingTarget;
    targetId: string;
    action: FindingAction;
    description: string;
  }): Promise<FindingRow> {
    const p = this.principal;
    const sites = await this.memberSites();
    if (!sites.length) throw new ForbiddenError('Only members of a supervisory committee record findings.');
    const description = input.description.trim();
    if (description.length < 5 || description.length > 2000)
      throw new InputError('input.description', 'Describe the finding in 5 to 2,000 characters.');
    if (input.action === 'reopen' && input.targetKind !== 'list_item')
      throw new InputError('input.action', 'Only a list item can be reopened; flag other records.', 'NOT_REOPENABLE');
    const target = await this.target(input.targetKind, input.targetId, sites);
    if (input.action === 'reopen' && target.status !== 'done' && target.status !== 'cancelled') {
      throw new ConflictError('input.targetId', 'Only a done or cancelled item can be reopened.', 'NOT_CLOSED');
    }
    return this.db.transaction(async (m) => {
      const [{ id }] = await m.query(
        `INSERT INTO supervision_finding (site_id, region_code, target_kind, target_id, action, description,
           member_resident_id, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [
          target.siteId,
          target.regionCode,
          input.targetKind,
          target.id,
          input.action,
          description,
          p.residentId,
          p.subject,
          this.clock.now(),
        ],
      );
      if (input.action === 'reopen') {
        const reopened = returning(
          await m.query(
            `UPDATE list_item SET status = 'open', completed_at = NULL, completed_by = NULL
            WHERE id = $1 AND status IN ('done', 'cancelled') RETURNING id`,
            [target.id],
          ),
        );
        if (!reopened.length) throw new ConflictError('input.targetId', 'The item changed meanwhile.', 'NOT_CLOSED');
        await audit(m, p, {
          action: 'list_item.reopen',
          entityType: 'ListItem',
          entityId: target.id,
          siteId: target.siteId,
          regionCode: target.regionCode,
          detail: { findingId: id },
        });
      }
      await audit(m, p, {
        action: 'supervision_finding.record',
        entityType: 'SupervisionFinding',
        entityId: id,
        siteId: target.siteId,
        regionCode: target.regionCode,
        detail: { targetKind: input.targetKind, targetId: target.id, action: input.action },
      });
      const [row] = await m.query(`SELECT ${COLUMNS} FROM supervision_finding f WHERE f.id = $1`, [id]);
      return row;
    });
  }

  /** The record a finding is about, if it is of one of the member's sites (else NOT_FOUND: no probing other sites). */
  private async target(
    kind: FindingTarget,
    id: string,
    sites: string[],
  ): Promise<{ id: string; siteId: string; regionCode: string; status?: string }> {
    const field = 'input.targetId';
    const sql = {
      list_item: `SELECT id::text, site_id AS "siteId", region_code AS "regionCode", status FROM list_item
                  WHERE id = $1::uuid AND site_id = ANY($2::uuid[])`,
      notice: `SELECT n.id::text, ns.site_id AS "siteId", ns.region_code AS "regionCode", n.status FROM notice n
                 JOIN notice_site ns ON ns.notice_id = n.id AND ns.site_id = ANY($2::uuid[]) WHERE n.id = $1::uuid
                   AND n.status = 'published' LIMIT 1`,
      points_entry: `SELECT id::text, site_id AS "siteId", region_code AS "regionCode" FROM points_entry
                       WHERE id = $1::bigint AND site_id = ANY($2::uuid[]) AND kind IN ('credit', 'grant')`,
    }[kind];
    const valid = kind === 'points_entry' ? /^\d{1,18}$/.test(id) : isUuid(id);
    if (!valid) throw new InputError(field, `Not a ${kind.replace('_', ' ')} id.`, 'FORMAT');
    const [row] = await this.db.query(sql, [id, sites]);
    if (!row) throw new NotFoundError(field, 'No such record at the site you supervise.');
    return row;
  }

  /** Officers answer a finding (what was done about it); the record's flag goes with it. */
  async answer(id: string, response: string): Promise<FindingRow> {
    const p = this.principal;
    requireRole(p, 'county', 'site_officer');
    if (!isUuid(id)) throw new InputError('id', 'Not a finding id.', 'FORMAT');
    const [row] = await this.byIds([id]);
    if (!row) throw new NotFoundError('id', 'No such finding.');
    const text = response.trim();
    if (text.length < 2 || text.length > 2000)
      throw new InputError('response', 'Say what was done, in 2 to 2,000 characters.');
    return this.db.transaction(async (m) => {
      const done = returning(
        await m.query(
          `UPDATE supervision_finding SET status = 'answered', response = $2, answered_by = $3, answered_at = $4
           WHERE id = $1 AND status = 'open' RETURNING id`,
          [id, text, p.subject, this.clock.now()],
        ),
      );
      if (!done.length) throw new ConflictError('id', 'The finding is already answered.', 'ANSWERED');
      await audit(m, p, {
        action: 'supervision_finding.answer',
        entityType: 'SupervisionFinding',
        entityId: id,
        siteId: row.siteId,
        regionCode: row.regionCode,
      });
      const [after] = await m.query(`SELECT ${COLUMNS} FROM supervision_finding f WHERE f.id = $1`, [id]);
      return after;
    });
  }
}
