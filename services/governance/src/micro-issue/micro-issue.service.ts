import type { DataSource } from 'typeorm';
import {
  ConflictError,
  ForbiddenError,
  InputError,
  NotFoundError,
  coversPlace,
  placeFilter,
  requireRole,
  type Clock,
  type Principal,
  uuidsOf,
  audit,
  returning,
  isUuid,
  keysetPage,
  asc,
} from '@anju/kit';
import { publish } from '@anju/contracts';
import type { MicroIssueLevel, MicroIssueOutcome } from './micro-issue.types';
import { dueAt, nextLevel } from './micro-issue.rules';
import { notifyMicroIssueEscalated } from './micro-issue-escalation.task';
import { recipientOf } from '../notification/notification-kinds';

export interface MicroIssueRow {
  id: string;
  siteId: string;
  regionCode: string;
  buildingId: string | null;
  gridId: string | null;
  kind: 'issue' | 'dispute';
  title: string;
  description: string;
  reportedByRole: string;
  reportedByResidentId: string | null;
  level: MicroIssueLevel;
  levelDueAt: Date;
  status: 'open' | 'resolved';
  escalations: number;
  openedAt: Date;
  resolvedAt: Date | null;
  outcome: MicroIssueOutcome | null;
  outcomeNote: string | null;
  leaderResidentId: string | null;
}

const COLUMNS = `m.id, m.site_id AS "siteId", m.region_code AS "regionCode", m.building_id AS "buildingId",
    m.grid_id AS "gridId", m.kind, m.title,
  m.description, m.reported_by_role AS "reportedByRole", m.reported_by_resident_id AS "reportedByResidentId", m.level,
    m.level_due_at AS "levelDueAt",
  m.status, m.escalations, m.opened_at AS "openedAt", m.resolved_at AS "resolvedAt", m.outcome,
    m.outcome_note AS "outcomeNote"`;
const FROM = `micro_issue m LEFT JOIN building mb ON mb.id = m.building_id`;
const SELECT_COLUMNS = `${COLUMNS}, mb.leader_resident_id AS "leaderResidentId"`;
const SELECT = `SELECT ${SELECT_COLUMNS} FROM ${FROM}`;

export interface ReportMicroIssueInput {
  kind: 'issue' | 'dispute';
  title: string;
  description: string;
  buildingId?: string | null;
}

export class MicroIssueService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
  ) {}

  /**
   * Officers: their sites and regions; grid workers: their grids; residents: what they reported, and as building leader
   * what is at their level.
   */
  private scope(n: number): { sql: string; params: unknown[] } {
    const p = this.principal;
    if (p.role === 'resident') {
      return {
        sql: `(m.reported_by_resident_id = $${n}::uuid
                OR (m.level = 'building_leader' AND mb.leader_resident_id = $${n}::uuid))`,
        params: [p.residentId],
      };
    }
    if (p.role === 'grid_worker' && p.grids.length)
      return { sql: `m.grid_id = ANY($${n}::uuid[])`, params: [uuidsOf(p.grids)] };
    return placeFilter(p, { site: 'm.site_id', region: 'm.region_code' }, n);
  }

  byIds(ids: readonly string[]): Promise<MicroIssueRow[]> {
    const scope = this.scope(2);
    return this.db.query(`${SELECT} WHERE m.id = ANY(as_uuids($1)) AND ${scope.sql}`, [ids, ...scope.params]);
  }

  async list(args: {
    siteId?: string | null;
    status?: 'open' | 'resolved' | null;
    level?: MicroIssueLevel | null;
    overdue?: boolean | null;
    first?: number | null;
    after?: string | null;
  }) {
    const now = this.clock.now();
    const scope = this.scope(6);
    const params: unknown[] = [
      args.siteId ?? null,
      args.status ?? null,
      args.level ?? null,
      args.overdue ?? null,
      now,
      ...scope.params,
    ];
    const where = `($1::text IS NULL OR m.site_id = as_uuid($1)) AND ($2::text IS NULL OR m.status = $2)
        AND ($3::text IS NULL OR m.level = $3)
      AND ($4::boolean IS NULL OR (m.status = 'open' AND m.level_due_at < $5) = $4) AND ${scope.sql}`;
    const list = { columns: SELECT_COLUMNS, from: FROM, where, params };
    const sort = asc<MicroIssueRow>(['m.opened_at', 'timestamp', 'openedAt'], ['m.id', 'uuid', 'id']);
    return keysetPage(this.db, list, args, sort);
  }

  /**
   * Residents (about their own building), grid workers and site officers report a micro-issue; it goes to the building
   * leader, or to the grid worker when the building has none.
   */
  async report(input: ReportMicroIssueInput): Promise<MicroIssueRow> {
    const p = this.principal;
    requireRole(p, 'resident', 'grid_worker', 'site_officer');
    const title = input.title.trim();
    if (title.length < 2 || title.length > 100) throw new InputError('input.title', 'A title has 2 to 100 characters.');
    const description = input.description.trim();
    if (!description || description.length > 2000)
      throw new InputError('input.description', 'Describe the matter (1 to 2000 characters).');
    let residentId: string | null = null;
    let buildingId = input.buildingId ?? null;
    if (p.role === 'resident') {
      const [me] = await this.db.query(
        `SELECT h.building_id AS "buildingId" FROM resident r JOIN household h ON h.id = r.household_id WHERE r.id = $1
           AND r.moved_out_on IS NULL`,
        [p.residentId],
      );
      if (!me) throw new ForbiddenError('Only a resident living at the site can report.');
      residentId = p.residentId!;
      if (buildingId && buildingId !== me.buildingId)
        throw new InputError('input.buildingId', 'Residents report about their own building.', 'OTHER_BUILDING');
      buildingId = me.buildingId;
      if (!buildingId)
        throw new InputError(
          'input.buildingId',
          'Your household has no building on record; ask your grid worker to report it.',
          'NO_BUILDING',
        );
    }
    if (!buildingId) throw new InputError('input.buildingId', 'Which building is it about?', 'REQUIRED');
    if (!isUuid(buildingId)) throw new InputError('input.buildingId', 'Not a building id.', 'FORMAT');
    const [b] = await this.db.query(
      `SELECT b.id, b.site_id AS "siteId", s.region_code AS "regionCode", b.grid_id AS "gridId",
           b.leader_resident_id AS "leaderResidentId"
         FROM building b JOIN site s ON s.id = b.site_id WHERE b.id = $1`,
      [buildingId],
    );
    if (!b) throw new NotFoundError('input.buildingId', 'No such building.');
    if (p.role !== 'resident' && !coversPlace(p, { siteId: b.siteId, regionCode: b.regionCode, gridId: b.gridId }))
      throw new ForbiddenError('The building is outside your scope.');
    // The building leader's own report goes to the grid worker: nobody settles (and earns points on) their own matter.
    const level: MicroIssueLevel =
      b.leaderResidentId && b.leaderResidentId !== residentId ? 'building_leader' : 'grid_worker';
    const now = this.clock.now();
    return this.db.transaction(async (m) => {
      const [{ id }] = await m.query(
        `INSERT INTO micro_issue (site_id, region_code, building_id, grid_id, kind, title, description,
              reported_by_subject, reported_by_role,
            reported_by_resident_id, level, level_due_at, opened_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
        [
          b.siteId,
          b.regionCode,
          b.id,
          b.gridId,
          input.kind,
          title,
          description,
          p.subject,
          p.role,
          residentId,
          level,
          dueAt(level, now),
          now,
        ],
      );
      await m.query(
        `INSERT INTO micro_issue_step (micro_issue_id, level, entered_at, due_at) VALUES ($1, $2, $3, $4)`,
        [id, level, now, dueAt(level, now)],
      );
      await audit(m, p, {
        action: 'micro_issue.report',
        entityType: 'MicroIssue',
        entityId: id,
        siteId: b.siteId,
        regionCode: b.regionCode,
        detail: { level },
      });
      const [row] = await m.query(`${SELECT} WHERE m.id = $1`, [id]);
      return row;
    });
  }

  /**
   * Who may act on an issue at its level: the building leader at the first, the grid worker up to the second, site
   * officers at every level.
   */
  private canAct(row: MicroIssueRow): boolean {
    const p = this.principal;
    const place = { siteId: row.siteId, regionCode: row.regionCode, gridId: row.gridId };
    switch (p.role) {
      case 'site_officer':
      case 'county':
        return coversPlace(p, place);
      case 'grid_worker':
        return (row.level === 'building_leader' || row.level === 'grid_worker') && coversPlace(p, place);
      case 'resident':
        return row.level === 'building_leader' && !!row.leaderResidentId && row.leaderResidentId === p.residentId;
      default:
        return false;
    }
  }

  private async forAction(id: string): Promise<MicroIssueRow> {
    if (!isUuid(id)) throw new InputError('id', 'Not a micro-issue id.', 'FORMAT');
    const [row] = await this.byIds([id]);
    if (!row) throw new NotFoundError('id', 'No such micro-issue.');
    if (!this.canAct(row)) throw new ForbiddenError(`At the ${row.level} level you cannot act on this micro-issue.`);
    if (row.status !== 'open') throw new ConflictError('id', 'The micro-issue is already resolved.', 'BAD_TRANSITION');
    return row;
  }

  /** Hands the issue up one level before its deadline (e.g. the building leader cannot settle it). */
  async escalate(id: string, note: string | null | undefined): Promise<MicroIssueRow> {
    const row = await this.forAction(id);
    const to = nextLevel(row.level);
    if (!to)
      throw new ConflictError(
        'id',
        'The legal adviser is the last level; resolve the matter or refer it with an outcome.',
        'BAD_TRANSITION',
      );
    const now = this.clock.now();
    return this.db.transaction(async (m) => {
      const [moved] = returning<{ id: string }>(
        await m.query(
          `UPDATE micro_issue SET level = $2, level_due_at = $3, escalations = escalations + 1 WHERE id = $1
             AND status = 'open' AND level = $4 RETURNING id`,
          [row.id, to, dueAt(to, now), row.level],
        ),
      );
      if (!moved) throw new ConflictError('id', 'The micro-issue changed meanwhile.', 'BAD_TRANSITION');
      await m.query(
        `UPDATE micro_issue_step SET left_at = $2, left_because = 'escalated', note = $3 WHERE micro_issue_id = $1
           AND left_at IS NULL`,
        [row.id, now, note?.trim() || null],
      );
      await m.query(
        `INSERT INTO micro_issue_step (micro_issue_id, level, entered_at, due_at) VALUES ($1, $2, $3, $4)`,
        [row.id, to, now, dueAt(to, now)],
      );
      await audit(m, this.principal, {
        action: 'micro_issue.escalate',
        entityType: 'MicroIssue',
        entityId: row.id,
        siteId: row.siteId,
        regionCode: row.regionCode,
        detail: { from: row.level, to },
      });
      await notifyMicroIssueEscalated(
        m,
        { id: row.id, toLevel: to, levelDueAt: dueAt(to, now), siteId: row.siteId },
        recipientOf(this.principal),
        now,
      );
      const [after] = await m.query(`${SELECT} WHERE m.id = $1`, [row.id]);
      return after;
    });
  }

  /** Records the outcome; publishes micro_issue.resolved (the reporter may earn points). */
  async resolve(id: string, outcome: MicroIssueOutcome, note: string): Promise<MicroIssueRow> {
    const text = note.trim();
    if (text.length < 2 || text.length > 2000)
      throw new InputError('note', 'Say how it was resolved (2 to 2000 characters).');
    const row = await this.forAction(id);
    if (this.principal.role === 'resident' && row.reportedByResidentId === this.principal.residentId) {
      // The reporter earns points when it is resolved: a building leader hands their own matter up instead.
      throw new ForbiddenError('You reported this micro-issue: hand it up to the grid worker to resolve it.');
    }
    const now = this.clock.now();
    return this.db.transaction(async (m) => {
      const [done] = returning<{ id: string }>(
        await m.query(
          `UPDATE micro_issue SET status = 'resolved', resolved_at = $2, resolved_by = $3, outcome = $4,
             outcome_note = $5 WHERE id = $1 AND status = 'open' RETURNING id`,
          [row.id, now, this.principal.subject, outcome, text],
        ),
      );
      if (!done) throw new ConflictError('id', 'The micro-issue is already resolved.', 'BAD_TRANSITION');
      await m.query(
        `UPDATE micro_issue_step SET left_at = $2, left_because = 'resolved' WHERE micro_issue_id = $1
           AND left_at IS NULL`,
        [row.id, now],
      );
      await audit(m, this.principal, {
        action: 'micro_issue.resolve',
        entityType: 'MicroIssue',
        entityId: row.id,
        siteId: row.siteId,
        regionCode: row.regionCode,
        detail: { outcome, level: row.level },
      });
      await publish(m, 'micro_issue.resolved', {
        microIssueId: row.id,
        siteId: row.siteId,
        regionCode: row.regionCode,
        reportedByResidentId: row.reportedByResidentId,
        resolvedAt: now.toISOString(),
        outcome,
      });
      const [after] = await m.query(`${SELECT} WHERE m.id = $1`, [row.id]);
      return after;
    });
  }

  steps(ids: readonly string[]) {
    return this.db.query(
      `SELECT micro_issue_id AS "microIssueId", level, entered_at AS "enteredAt", due_at AS "dueAt",
           left_at AS "leftAt", left_because AS "leftBecause", note
         FROM micro_issue_step WHERE micro_issue_id = ANY(as_uuids($1)) ORDER BY id`,
      [ids],
    );
  }

  /**
   * Statistics of a site or of every site in scope: counts, overdue, average resolution time, where matters were
   * settled.
   */
  async stats(siteId: string | null | undefined) {
    const now = this.clock.now();
    requireRole(this.principal, 'province', 'county', 'site_officer', 'grid_worker');
    const scope = this.scope(3);
    const [s] = await this.db.query(
      `SELECT count(*)::int AS reported,
              count(*) FILTER (WHERE m.status = 'resolved')::int AS resolved,
              count(*) FILTER (WHERE m.status = 'open')::int AS open,
              count(*) FILTER (WHERE m.status = 'open' AND m.level_due_at < $2)::int AS overdue,
              count(*) FILTER (WHERE m.escalations > 0)::int AS escalated,
              round((avg(extract(epoch
                FROM m.resolved_at - m.opened_at)) FILTER (WHERE m.status = 'resolved') / 3600)::numeric,
                  1)::float AS "averageResolutionHours",
              coalesce(json_agg(json_build_object('level', m.level, 'outcome',
                m.outcome)) FILTER (WHERE m.status = 'resolved'), '[]') AS settled
         FROM ${FROM} WHERE ($1::text IS NULL OR m.site_id = as_uuid($1)) AND ${scope.sql}`,
      [siteId ?? null, now, ...scope.params],
    );
    const byLevel = new Map<string, number>();
    for (const x of s.settled as { level: string }[]) byLevel.set(x.level, (byLevel.get(x.level) ?? 0) + 1);
    return { ...s, resolvedAtLevel: [...byLevel].map(([level, count]) => ({ level, count })) };
  }
}
