import type { DataSource } from 'typeorm';
import {
  ConflictError,
  ForbiddenError,
  InputError,
  NotFoundError,
  coversPlace,
  requireRole,
  type Principal,
  uuidsOf,
  audit,
  returning,
  isUuid,
} from '@anju/kit';
import { RULE_COLUMNS, type PointsEventName, type RuleRow } from './ledger';
import { siteInScope } from '../scope';

export interface DefinePointsRuleInput {
  siteId?: string | null;
  regionCode?: string | null;
  action: string;
  event?: PointsEventName | null;
  points: number;
  dailyCap?: number | null;
  monthlyCap?: number | null;
  expiresAfterDays?: number | null;
}

/** 共治清单: the actions that earn points, for a site or a whole county. */
export class PointsRuleService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
  ) {}

  /** The list that applies at a site: its own rules and its county's. Residents may read their own site's. */
  async forSite(siteId: string, includeRetired: boolean): Promise<RuleRow[]> {
    const site = await siteInScope(this.db, this.principal, siteId, 'siteId');
    return this.db.query(
      `SELECT ${RULE_COLUMNS} FROM points_rule pr
        WHERE (pr.site_id = $1 OR (pr.site_id IS NULL AND pr.region_code = $2)) AND ($3 OR pr.active)
        ORDER BY pr.site_id IS NULL, pr.action, pr.created_at`,
      [site.id, site.regionCode, includeRetired],
    );
  }

  byIds(ids: readonly string[]): Promise<RuleRow[]> {
    return this.db.query(`SELECT ${RULE_COLUMNS} FROM points_rule pr WHERE pr.id = ANY($1::uuid[])`, [uuidsOf(ids)]);
  }

  async define(input: DefinePointsRuleInput): Promise<RuleRow> {
    requireRole(this.principal, 'province', 'county', 'site_officer');
    let siteId: string | null = null;
    let regionCode: string;
    if (input.siteId && input.regionCode)
      throw new InputError('input.regionCode', 'A rule is for one site (siteId) or one county (regionCode), not both.');
    if (input.siteId) {
      const site = await siteInScope(this.db, this.principal, input.siteId, 'input.siteId');
      siteId = site.id;
      regionCode = site.regionCode;
    } else if (input.regionCode) {
      if (!/^\d{6}$/.test(input.regionCode))
        throw new InputError('input.regionCode', 'A county-wide rule names a county: a 6-digit region code.', 'FORMAT');
      requireRole(this.principal, 'province', 'county');
      if (!coversPlace(this.principal, { siteId: '', regionCode: input.regionCode }))
        throw new ForbiddenError('The county is outside your scope.');
      const [region] = await this.db.query(`SELECT code FROM region WHERE code = $1`, [input.regionCode]);
      if (!region) throw new NotFoundError('input.regionCode', `Region ${input.regionCode} is not registered.`);
      regionCode = input.regionCode;
    } else {
      throw new InputError(
        'input.siteId',
        'Give the site (siteId) or the county (regionCode) the rule is for.',
        'REQUIRED',
      );
    }
    const action = input.action.trim();
    if (!action || action.length > 100)
      throw new InputError('input.action', 'An action is described in 1 to 100 characters.');
    positive(input.points, 'input.points', 100_000);
    if (input.dailyCap != null) positive(input.dailyCap, 'input.dailyCap', 1_000_000);
    if (input.monthlyCap != null) positive(input.monthlyCap, 'input.monthlyCap', 10_000_000);
    if (input.dailyCap != null && input.monthlyCap != null && input.dailyCap > input.monthlyCap) {
      throw new InputError('input.dailyCap', 'The daily cap cannot be larger than the monthly cap.');
    }
    if (input.expiresAfterDays != null) positive(input.expiresAfterDays, 'input.expiresAfterDays', 3660);
    return this.db.transaction(async (m) => {
      const rows: RuleRow[] = await m.query(
        `INSERT INTO points_rule AS pr (site_id, region_code, action, event, points, daily_cap, monthly_cap,
           expires_after_days, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT DO NOTHING RETURNING ${RULE_COLUMNS}`,
        [
          siteId,
          regionCode,
          action,
          input.event ?? null,
          input.points,
          input.dailyCap ?? null,
          input.monthlyCap ?? null,
          input.expiresAfterDays ?? null,
          this.principal.subject,
        ],
      );
      if (!rows.length) {
        throw new ConflictError(
          'input.event',
          'An active rule for this event already exists here: retire it first, then define the new one.',
          'DUPLICATE',
        );
      }
      const rule = rows[0];
      await audit(m, this.principal, {
        action: 'points_rule.define',
        entityType: 'points_rule',
        entityId: rule.id,
        siteId: rule.siteId,
        regionCode: rule.regionCode,
        detail: {
          event: rule.event,
          points: rule.points,
          dailyCap: rule.dailyCap,
          monthlyCap: rule.monthlyCap,
          expiresAfterDays: rule.expiresAfterDays,
        },
      });
      return rule;
    });
  }

  /** Retires a rule: it stops earning points; entries that cite it stay. */
  async retire(id: string): Promise<RuleRow> {
    requireRole(this.principal, 'province', 'county', 'site_officer');
    const [rule]: RuleRow[] = isUuid(id)
      ? await this.db.query(`SELECT ${RULE_COLUMNS} FROM points_rule pr WHERE pr.id = $1`, [id])
      : [];
    if (!rule) throw new NotFoundError('id', 'No such points rule.');
    if (rule.siteId) await siteInScope(this.db, this.principal, rule.siteId, 'id');
    else if (
      this.principal.role === 'site_officer' ||
      !coversPlace(this.principal, { siteId: '', regionCode: rule.regionCode })
    ) {
      throw new ForbiddenError('A county-wide rule is retired by officers of the county.');
    }
    return this.db.transaction(async (m) => {
      const [row] = returning<RuleRow>(
        await m.query(
          `UPDATE points_rule pr SET active = false, retired_at = coalesce(retired_at, now()) WHERE pr.id = $1
           RETURNING ${RULE_COLUMNS}`,
          [id],
        ),
      );
      await audit(m, this.principal, {
        action: 'points_rule.retire',
        entityType: 'points_rule',
        entityId: row.id,
        siteId: row.siteId,
        regionCode: row.regionCode,
      });
      return row;
    });
  }
}

function positive(n: number, field: string, max: number): void {
  if (!Number.isInteger(n) || n < 1 || n > max) throw new InputError(field, `A whole number from 1 to ${max}.`);
}
