import type { DataSource } from 'typeorm';
import {
  ConflictError,
  InputError,
  NotFoundError,
  type Clock,
  type Principal,
  uuidParam,
  isIsoDate,
  PROVINCE_ZONE_SQL,
  audit,
  keysetPage,
  desc,
} from '@anju/kit';
import { ENTRY_COLUMNS, appendEntry, lockAccount, type EntryRow, type RuleRow, RULE_COLUMNS } from './ledger';
import { residentForOfficer, residentInScope } from '../scope';

export interface AccountRow {
  residentId: string;
  householdId: string;
  balance: number;
  score: number;
  householdBalance: number;
  updatedAt: Date | null;
}

export interface StatementRow {
  residentId: string;
  from: string;
  to: string;
  opening: number;
  closing: number;
  credited: number;
  granted: number;
  deducted: number;
  redeemed: number;
  refunded: number;
  expired: number;
  entries: EntryRow[];
}

export interface AdjustPointsInput {
  residentId: string;
  points: number;
  reason: string;
  ruleId?: string | null;
}

const STATEMENT_MAX_ENTRIES = 1_000;

/** A resident's balance, ledger and statements; officers' manual grants and deductions. */
export class PointsAccountService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
  ) {}

  /** Balance and score (0 before the first entry) and the household's total of maintained balances. */
  async account(residentId: string): Promise<AccountRow> {
    const r = await residentInScope(this.db, this.principal, residentId, 'residentId');
    const [row]: AccountRow[] = await this.db.query(
      `SELECT r.id AS "residentId", r.household_id AS "householdId", coalesce(a.balance, 0) AS balance,
                coalesce(a.score, 0) AS score, a.updated_at AS "updatedAt",
              (SELECT coalesce(sum(ha.balance), 0)::int FROM resident hr JOIN points_account ha
                ON ha.resident_id = hr.id WHERE hr.household_id = r.household_id) AS "householdBalance"
         FROM resident r LEFT JOIN points_account a ON a.resident_id = r.id WHERE r.id = $1`,
      [r.id],
    );
    return row;
  }

  /** The ledger, newest first, keyset-paginated. */
  async ledger(residentId: string, first: number | null | undefined, after: string | null | undefined) {
    const r = await residentInScope(this.db, this.principal, residentId, 'residentId');
    const list = { columns: ENTRY_COLUMNS, from: 'points_entry e', where: 'e.resident_id = $1', params: [r.id] };
    return keysetPage<EntryRow>(this.db, list, { first, after }, desc(['e.id', 'bigint', 'id']));
  }

  /**
   * Opening and closing balance, totals by kind and the entries of a period of days (China time, both ends included).
   */
  async statement(residentId: string, from: string, to: string): Promise<StatementRow> {
    const r = await residentInScope(this.db, this.principal, residentId, 'residentId');
    if (!isIsoDate(from)) throw new InputError('from', 'A date, YYYY-MM-DD.', 'FORMAT');
    if (!isIsoDate(to)) throw new InputError('to', 'A date, YYYY-MM-DD.', 'FORMAT');
    if (to < from) throw new InputError('to', 'The period ends on or after it starts.');
    const start = `(($2::date)::timestamp AT TIME ZONE ${PROVINCE_ZONE_SQL})`;
    const end = `((($3::date) + 1)::timestamp AT TIME ZONE ${PROVINCE_ZONE_SQL})`;
    // Recorded time orders the ledger (balance_after follows it), so periods cut on recorded_at.
    const [totals] = await this.db.query(
      `SELECT coalesce((SELECT balance_after FROM points_entry WHERE resident_id = $1 AND recorded_at < ${start}
                ORDER BY id DESC LIMIT 1), 0) AS opening,
              coalesce((SELECT balance_after FROM points_entry WHERE resident_id = $1 AND recorded_at < ${end}
                ORDER BY id DESC LIMIT 1), 0) AS closing,
              coalesce(sum(points) FILTER (WHERE kind = 'credit'), 0)::int AS credited,
              coalesce(sum(points) FILTER (WHERE kind = 'grant'), 0)::int AS granted,
              coalesce(-sum(points) FILTER (WHERE kind = 'deduct'), 0)::int AS deducted,
              coalesce(-sum(points) FILTER (WHERE kind = 'redeem'), 0)::int AS redeemed,
              coalesce(sum(points) FILTER (WHERE kind = 'refund'), 0)::int AS refunded,
              coalesce(-sum(points) FILTER (WHERE kind = 'expire'), 0)::int AS expired
         FROM points_entry WHERE resident_id = $1 AND recorded_at >= ${start} AND recorded_at < ${end}`,
      [r.id, from, to],
    );
    const entries: EntryRow[] = await this.db.query(
      `SELECT ${ENTRY_COLUMNS} FROM points_entry e WHERE e.resident_id = $1 AND e.recorded_at >= ${start}
          AND e.recorded_at < ${end}
        ORDER BY e.id LIMIT ${STATEMENT_MAX_ENTRIES}`,
      [r.id, from, to],
    );
    return { residentId: r.id, from, to, ...totals, entries };
  }

  /** 手动加减分: an officer grants (points > 0) or deducts (points < 0) by hand, with a reason; the entry records who. */
  async adjust(input: AdjustPointsInput): Promise<EntryRow> {
    const r = await residentForOfficer(this.db, this.principal, input.residentId, 'input.residentId');
    if (!Number.isInteger(input.points) || input.points === 0 || Math.abs(input.points) > 100_000) {
      throw new InputError(
        'input.points',
        'A whole number of points, not 0, at most 100000 either way: positive grants, negative deducts.',
      );
    }
    const reason = input.reason.trim();
    if (reason.length < 2 || reason.length > 500)
      throw new InputError('input.reason', 'Say why, in 2 to 500 characters: the reason is kept in the ledger.');
    return this.db.transaction(async (m) => {
      let rule: RuleRow | null = null;
      if (input.ruleId) {
        [rule] = await m.query(
          `SELECT ${RULE_COLUMNS} FROM points_rule pr WHERE pr.id = ${uuidParam(1)}
             AND (pr.site_id = $2 OR (pr.site_id IS NULL AND pr.region_code = $3))`,
          [input.ruleId, r.siteId, r.regionCode],
        );
        if (!rule) throw new NotFoundError('input.ruleId', 'No such points rule for the resident’s site.');
      }
      const account = await lockAccount(m, r.id);
      if (!account) throw new NotFoundError('input.residentId', 'No such resident in your scope.');
      if (account.balance + input.points < 0) {
        throw new ConflictError(
          'input.points',
          `The balance is ${account.balance}: a deduction cannot take it below zero.`,
          'INSUFFICIENT_POINTS',
        );
      }
      const now = this.clock.now();
      const expiresAt =
        input.points > 0 && rule?.expiresAfterDays != null
          ? new Date(now.getTime() + rule.expiresAfterDays * 86_400_000)
          : null;
      const entry = await appendEntry(m, account, {
        kind: input.points > 0 ? 'grant' : 'deduct',
        points: input.points,
        ruleId: rule?.id ?? null,
        reason,
        actor: `${this.principal.role}:${this.principal.subject}`,
        expiresAt,
        recordedAt: now,
      });
      await audit(m, this.principal, {
        action: `points.${entry.kind}`,
        entityType: 'resident',
        entityId: r.id,
        siteId: r.siteId,
        regionCode: r.regionCode,
        detail: { entryId: entry.id, points: entry.points, ruleId: entry.ruleId },
      });
      return entry;
    });
  }
}
