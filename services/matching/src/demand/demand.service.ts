import DataLoader from 'dataloader';
import type { DataSource, EntityManager } from 'typeorm';
import {
  ForbiddenError,
  InputError,
  NotFoundError,
  audit,
  coversPlace,
  provinceDate,
  requireRole,
  siteCountsSql,
  type Principal,
  uuidsOf,
  uuidParam,
  isIsoDate,
  isOfficer,
  OFFICER_ROLES,
  isUuid,
  keysetPage,
  desc,
} from '@anju/kit';
import { findSite, publish, publishSelect, type DemandCategory } from '@anju/contracts';
import { demandScope } from '../scope';
import type { DemandStatus, Urgency } from './demand.types';

export interface DemandRow {
  id: string;
  siteId: string;
  regionCode: string;
  category: string;
  description: string;
  urgency: Urgency;
  status: DemandStatus;
  languages: string[];
  requiredSkills: string[];
  windowStart: string | null;
  windowEnd: string | null;
  householdId: string | null;
  recordedAt: Date;
  hours: number;
  unitId: string | null;
  promisedOn: string | null;
  claimedAt: Date | null;
  overdueSince: Date | null;
  statusChangedAt: Date;
}

/** One step of a demand's history (demand_transition). */
export interface DemandTransitionRow {
  fromStatus: DemandStatus | null;
  toStatus: DemandStatus;
  at: Date;
  note: string | null;
}

export const DEMAND_COLUMNS = `d.id, d.site_id AS "siteId", d.region_code AS "regionCode", d.category, d.description,
    d.urgency, d.status,
  d.languages, d.required_skills AS "requiredSkills", to_char(d.window_start, 'YYYY-MM-DD') AS "windowStart",
  to_char(d.window_end, 'YYYY-MM-DD') AS "windowEnd", d.household_id AS "householdId", d.recorded_at AS "recordedAt",
  d.hours::float8 AS hours, d.unit_id AS "unitId", to_char(d.promised_on, 'YYYY-MM-DD') AS "promisedOn",
    d.claimed_at AS "claimedAt",
  d.overdue_since AS "overdueSince", d.status_changed_at AS "statusChangedAt"`;

export interface RecordDemandInput {
  siteId: string;
  category: string;
  description: string;
  urgency?: Urgency | null;
  languages?: string[] | null;
  requiredSkills?: string[] | null;
  windowStart?: string | null;
  windowEnd?: string | null;
  householdId?: string | null;
  hours?: number | null;
}

/** A step of the lifecycle: open → claimed → in progress → fulfilled → closed, or cancelled; reopen undoes a claim. */
export type DemandAction = 'claim' | 'start' | 'fulfil' | 'close' | 'cancel' | 'reopen';

const STEPS: Record<DemandAction, { from: DemandStatus[]; to: DemandStatus; verb: string }> = {
  claim: { from: ['open'], to: 'claimed', verb: 'claimed' },
  start: { from: ['open', 'claimed'], to: 'in_progress', verb: 'started' },
  fulfil: { from: ['in_progress'], to: 'fulfilled', verb: 'fulfilled' },
  close: { from: ['fulfilled'], to: 'closed', verb: 'closed' },
  cancel: { from: ['open', 'claimed', 'in_progress'], to: 'cancelled', verb: 'cancelled' },
  reopen: { from: ['claimed', 'in_progress'], to: 'open', verb: 'reopened' },
};

const clean = (list: string[] | null | undefined) => [...new Set((list ?? []).map((s) => s.trim()).filter(Boolean))];

/** A site's demand counts on its dashboard. */
export interface SiteDemandCounts {
  open: number;
  overdue: number;
}

export class DemandService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly now: () => Date,
  ) {}

  byIds(ids: readonly string[]): Promise<DemandRow[]> {
    const s = demandScope(this.principal, 2);
    return this.db.query(`SELECT ${DEMAND_COLUMNS} FROM demand d WHERE d.id = ANY($1::uuid[]) AND ${s.sql}`, [
      uuidsOf(ids),
      ...s.params,
    ]);
  }

  /** Demands in the caller's scope, newest first; optionally of one site and one status. */
  async list(
    siteId: string | null | undefined,
    status: DemandStatus | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
    householdId?: string | null,
    narrow: { regionCode?: string | null; overdue?: boolean | null } = {},
  ) {
    if (narrow.regionCode != null && !/^\d{2}(\d{2}){0,2}$/.test(narrow.regionCode)) {
      throw new InputError('regionCode', 'A region code has 2, 4 or 6 digits.', 'FORMAT');
    }
    const s = demandScope(this.principal, 6);
    // Overdue: claimed or in progress, and past the promised date (flagged by the scheduled job).
    const where = `($1::text IS NULL OR d.site_id = ${uuidParam(1)}) AND ($2::text IS NULL OR d.status = $2)
      AND ($3::text IS NULL OR d.household_id = ${uuidParam(3)}) AND ($4::text IS NULL OR d.region_code LIKE $4 || '%')
      AND ($5::boolean IS NULL OR $5 = (d.overdue_since IS NOT NULL AND d.status IN ('claimed', 'in_progress')))
        AND ${s.sql}`;
    const params = [
      siteId ?? null,
      status ?? null,
      householdId ?? null,
      narrow.regionCode ?? null,
      narrow.overdue ?? null,
      ...s.params,
    ];
    const list = { columns: DEMAND_COLUMNS, from: 'demand d', where, params };
    const sort = desc<DemandRow>(['d.recorded_at', 'timestamp', 'recordedAt'], ['d.id', 'uuid', 'id']);
    return keysetPage(this.db, list, { first, after }, sort);
  }

  /** Open demands per site, for sites in scope (others count zero). */
  /** Open and overdue (claimed past the promised date) demands of many sites at once, for the sites' dashboards. */
  siteCountsLoader() {
    return new DataLoader<string, SiteDemandCounts>(async (siteIds) => {
      // Officers read the sites' counters (site_counter); other callers' scopes cut through a site.
      const counter = siteCountsSql(this.principal, 'site_counter', {
        open: 'open_demands',
        overdue: 'overdue_demands',
      });
      const s = demandScope(this.principal, 2);
      const rows: ({ siteId: string } & SiteDemandCounts)[] = counter
        ? await this.db.query(counter.sql, [uuidsOf(siteIds), ...counter.params])
        : await this.db.query(
            `SELECT d.site_id AS "siteId", count(*) FILTER (WHERE d.status = 'open')::int AS open,
                  count(*) FILTER (WHERE d.overdue_since IS NOT NULL
                    AND d.status IN ('claimed', 'in_progress'))::int AS overdue
             FROM demand d
            WHERE d.site_id = ANY($1::uuid[]) AND d.status IN ('open', 'claimed', 'in_progress') AND ${s.sql}
            GROUP BY d.site_id`,
            [uuidsOf(siteIds), ...s.params],
          );
      const bySite = new Map(rows.map((r) => [r.siteId, r]));
      return siteIds.map((id) => bySite.get(id) ?? { open: 0, overdue: 0 });
    });
  }

  /** The timed steps of many demands at once. */
  historyLoader() {
    return new DataLoader<string, DemandTransitionRow[]>(async (ids) => {
      const rows: (DemandTransitionRow & { demandId: string })[] = await this.db.query(
        `SELECT demand_id AS "demandId", from_status AS "fromStatus", to_status AS "toStatus", at, note
          FROM demand_transition
          WHERE demand_id = ANY($1::uuid[]) ORDER BY id`,
        [uuidsOf(ids)],
      );
      return ids.map((id) => rows.filter((r) => r.demandId === id));
    });
  }

  /** Checks a new demand; throws a typed error before anything is written. */
  private async validate(input: RecordDemandInput) {
    const site = await findSite(this.db, input.siteId);
    if (!site) throw new NotFoundError('input.siteId', 'No such site.');
    if (!coversPlace(this.principal, { siteId: site.siteId, regionCode: site.regionCode }))
      throw new ForbiddenError('The site is outside your scope.');
    const description = input.description.trim();
    if (!description || description.length > 1_000)
      throw new InputError('input.description', 'Describe the need in 1 to 1000 characters.');
    for (const field of ['windowStart', 'windowEnd'] as const) {
      const v = input[field];
      if (v && !isIsoDate(v)) throw new InputError(`input.${field}`, 'A date is written YYYY-MM-DD.', 'FORMAT');
    }
    if (input.windowStart && input.windowEnd && input.windowEnd < input.windowStart) {
      throw new InputError('input.windowEnd', 'The time window ends before it starts.', 'WINDOW_REVERSED');
    }
    if (input.householdId && !isUuid(input.householdId))
      throw new InputError('input.householdId', 'Not a household id.', 'FORMAT');
    const hours = input.hours ?? 2;
    if (!(hours > 0) || hours > 200)
      throw new InputError(
        'input.hours',
        'Hours needed must be more than 0 and at most 200.',
        hours <= 0 ? 'NEGATIVE' : 'RANGE',
      );
    return { site, description, hours };
  }

  /** Records a demand and, in the same transaction, proposes the best volunteer (incremental match). */
  async record(
    input: RecordDemandInput,
    afterInsert?: (m: EntityManager, demandId: string) => Promise<unknown>,
  ): Promise<DemandRow> {
    requireRole(this.principal, ...OFFICER_ROLES);
    const { site, description, hours } = await this.validate(input);
    return this.db.transaction(async (m) => {
      const [row]: DemandRow[] = await m.query(
        `INSERT INTO demand AS d (site_id, region_code, category, description, urgency, languages, required_skills,
           window_start, window_end, household_id, recorded_by, hours)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${DEMAND_COLUMNS}`,
        [
          site.siteId,
          site.regionCode,
          input.category,
          description,
          // An SDL default (urgency = NORMAL) reaches resolvers as the enum's name, not its internal value.
          (input.urgency ?? 'normal').toLowerCase(),
          clean(input.languages),
          clean(input.requiredSkills),
          input.windowStart ?? null,
          input.windowEnd ?? null,
          input.householdId ?? null,
          this.principal.subject,
          hours,
        ],
      );
      await m.query(
        `INSERT INTO demand_transition (demand_id, from_status, to_status, by_subject) VALUES ($1, NULL, 'open', $2)`,
        [row.id, this.principal.subject],
      );
      await audit(m, this.principal, {
        action: 'demand.record',
        entityType: 'demand',
        entityId: row.id,
        siteId: row.siteId,
        regionCode: row.regionCode,
        // Raised for a household (an officer acting on its behalf) when householdId is set.
        detail: {
          householdId: row.householdId,
          fields: ['category', 'description', 'urgency', 'languages', 'requiredSkills', 'window', 'hours'],
        },
      });
      if (afterInsert) await afterInsert(m, row.id);
      return row;
    });
  }

  /**
   * One step of the lifecycle, checked: the caller must see the demand and be allowed the step,
   * and the demand must be in a status the step starts from. Each step is timed in
   * demand_transition; fulfilment publishes `demand.fulfilled` in the same transaction.
   */
  async act(
    demandId: string,
    action: DemandAction,
    opts: { promisedOn?: string | null; note?: string | null } = {},
  ): Promise<DemandRow> {
    const p = this.principal;
    if (!isUuid(demandId)) throw new NotFoundError('demandId', 'No such demand.');
    if (action === 'claim') {
      requireRole(p, 'unit_member');
      const promised = opts.promisedOn ?? '';
      if (!isIsoDate(promised))
        throw new InputError('promisedOn', 'The promised date is written YYYY-MM-DD.', 'FORMAT');
      if (promised < provinceDate(this.now()))
        throw new InputError('promisedOn', 'The promised date is in the past.', 'PAST');
    }
    return this.db.transaction(async (m) => {
      const s = demandScope(p, 2);
      const [row]: DemandRow[] = await m.query(
        `SELECT ${DEMAND_COLUMNS} FROM demand d WHERE d.id = $1 AND ${s.sql} FOR UPDATE`,
        [demandId, ...s.params],
      );
      if (!row) throw new NotFoundError('demandId', 'No such demand.');
      const claimingUnit = p.role === 'unit_member' && row.unitId !== null && row.unitId === p.unitId;
      const allowed =
        action === 'claim'
          ? p.role === 'unit_member'
          : action === 'close' || action === 'cancel'
            ? isOfficer(p)
            : isOfficer(p) || claimingUnit;
      if (!allowed) throw new ForbiddenError(`You may not ${action} this demand.`);
      const step = STEPS[action];
      if (!step.from.includes(row.status)) {
        throw new InputError(
          'demandId',
          `A demand that is ${row.status.replace('_', ' ')} cannot be ${step.verb}.`,
          'INVALID_TRANSITION',
        );
      }
      const sets = [`status = '${step.to}'`, 'status_changed_at = now()'];
      const params: unknown[] = [demandId];
      if (action === 'claim') {
        params.push(p.unitId, opts.promisedOn);
        sets.push('unit_id = $2', 'promised_on = $3', 'claimed_at = now()', 'overdue_since = NULL');
      }
      if (action === 'reopen')
        sets.push('unit_id = NULL', 'promised_on = NULL', 'claimed_at = NULL', 'overdue_since = NULL');
      // (TypeORM answers an UPDATE with [rows, count].)
      const [[updated]]: [DemandRow[], number] = await m.query(
        `UPDATE demand d SET ${sets.join(', ')} WHERE d.id = $1 RETURNING ${DEMAND_COLUMNS}`,
        params,
      );
      await m.query(
        `INSERT INTO demand_transition (demand_id, from_status, to_status, by_subject, note)
         VALUES ($1, $2, $3, $4, $5)`,
        [demandId, row.status, step.to, p.subject, opts.note?.trim() || null],
      );
      if (action === 'cancel') {
        await m.query(
          `UPDATE assignment SET status = 'withdrawn', responded_at = now() WHERE demand_id = $1
             AND status IN ('proposed', 'accepted')`,
          [demandId],
        );
      }
      if (action === 'claim') {
        // 认领: the household hears which unit took it up, and by when (governance's notification).
        const [unit] = await m.query(`SELECT name FROM unit WHERE id = $1`, [p.unitId]);
        await publish(m, 'demand.claimed', {
          demandId,
          siteId: row.siteId,
          householdId: row.householdId,
          category: row.category as DemandCategory,
          claimedBy: 'unit',
          unitId: p.unitId!,
          unitName: unit?.name ?? null,
          promisedOn: updated.promisedOn,
          claimedAt: new Date(updated.claimedAt!).toISOString(),
        });
      }
      if (action === 'fulfil') {
        await publish(m, 'demand.fulfilled', {
          demandId,
          siteId: row.siteId,
          householdId: row.householdId,
          unitId: row.unitId,
          fulfilledAt: new Date(updated.statusChangedAt).toISOString(),
        });
      }
      await audit(m, p, {
        action: `demand.${action}`,
        entityType: 'demand',
        entityId: demandId,
        siteId: row.siteId,
        regionCode: row.regionCode,
        detail: {
          from: row.status,
          to: step.to,
          householdId: row.householdId,
          ...(action === 'claim' ? { unitId: p.unitId } : {}),
        },
      });
      return updated;
    });
  }
}

/**
 * Marks claimed demands not fulfilled by their promised date (the scheduled task), and announces each
 * one (`demand.claim_overdue`) in the same transaction: governance opens its grid worker's task.
 */
export async function flagOverdue(db: Pick<DataSource, 'transaction'>, now: Date): Promise<number> {
  return db.transaction(async (m) => {
    const [rows]: [{ id: string }[], number] = await m.query(
      `UPDATE demand SET overdue_since = $1
        WHERE status IN ('claimed', 'in_progress') AND overdue_since IS NULL AND promised_on < $2::date RETURNING id`,
      [now, provinceDate(now)],
    );
    await publishSelect(
      m,
      'demand.claim_overdue',
      `SELECT d.id AS "demandId", d.site_id AS "siteId", d.region_code AS "regionCode", d.household_id AS "householdId",
              d.unit_id AS "unitId", d.category, to_char(d.promised_on, 'YYYY-MM-DD') AS "promisedOn",
              to_char(d.overdue_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "overdueSince"
         FROM demand d WHERE d.id = ANY($1::uuid[])`,
      [rows.map((r) => r.id)],
    );
    return rows.length;
  });
}
