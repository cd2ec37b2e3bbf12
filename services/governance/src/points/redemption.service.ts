import type { DataSource, EntityManager } from 'typeorm';
import {
  ConflictError,
  ForbiddenError,
  InputError,
  NotFoundError,
  coversPlace,
  type Clock,
  type Principal,
  audit,
  returning,
  isUuid,
  keysetPage,
  desc,
} from '@anju/kit';
import { appendEntry, lockAccount } from './ledger';
import { siteInScope } from '../scope';
import { notifyPointsRedeemed } from '../notification/points-notifications';

export type RedemptionStatus = 'pending' | 'fulfilled' | 'cancelled';

export interface RedemptionRow {
  id: string;
  rewardId: string;
  residentId: string;
  siteId: string;
  points: number;
  status: RedemptionStatus;
  requestedAt: Date;
  settledAt: Date | null;
  cancelReason: string | null;
  /** Keyset position (microseconds since the epoch). */
  sortKey: string;
}

const COLUMNS = `rd.id, rd.reward_id AS "rewardId", rd.resident_id AS "residentId", rd.site_id AS "siteId", rd.points,
    rd.status,
  rd.requested_at AS "requestedAt", (extract(epoch FROM rd.requested_at) * 1000000)::bigint::text AS "sortKey",
    rd.settled_at AS "settledAt", rd.cancel_reason AS "cancelReason"`;

const OFFICERS = ['province', 'county', 'site_officer'];

/** 积分兑换: redeeming a reward, fulfilling it, cancelling it (refunded by a new ledger entry). */
export class RedemptionService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
  ) {}

  /**
   * One transaction: the resident's account is locked, the balance checked, the stock taken by a
   * conditional update (never below zero), the redemption and its ledger entry written. Too few
   * points or no stock → a typed error, and nothing is written.
   */
  async redeem(input: { rewardId: string; residentId?: string | null }): Promise<RedemptionRow> {
    const p = this.principal;
    let residentId: string;
    if (p.role === 'resident') {
      if (input.residentId && input.residentId !== p.residentId)
        throw new ForbiddenError('Residents redeem for themselves only.');
      residentId = p.residentId!;
    } else if (OFFICERS.includes(p.role)) {
      if (!input.residentId)
        throw new InputError('input.residentId', 'Name the resident the officer redeems for.', 'REQUIRED');
      residentId = input.residentId;
    } else {
      throw new ForbiddenError('Residents redeem, or officers on their behalf.');
    }
    const [reward]: {
      id: string;
      siteId: string;
      regionCode: string;
      price: number;
      stock: number;
      active: boolean;
    }[] = isUuid(input.rewardId)
      ? await this.db.query(
          `SELECT id, site_id AS "siteId", region_code AS "regionCode", price, stock, active FROM points_reward
           WHERE id = $1`,
          [input.rewardId],
        )
      : [];
    if (!reward) throw new NotFoundError('input.rewardId', 'No such reward.');
    if (p.role !== 'resident' && !coversPlace(p, { siteId: reward.siteId, regionCode: reward.regionCode }))
      throw new ForbiddenError('The reward’s site is outside your scope.');
    if (!reward.active) throw new ConflictError('input.rewardId', 'This reward is no longer offered.', 'INACTIVE');
    // Sold out already: answer at once, without a transaction (the decisive check is the conditional update below).
    if (reward.stock < 1) throw new ConflictError('input.rewardId', 'This reward is out of stock.', 'OUT_OF_STOCK');

    if (!isUuid(residentId)) throw new NotFoundError('input.residentId', 'No such resident in your scope.');
    const actor = `${p.role}:${p.subject}`;
    // One statement (then its audit row, in the same transaction): lock the resident's account
    // (FOR UPDATE: its latest balance), take one unit of stock by a conditional update only if that
    // balance covers the price, write the redemption and its ledger entry, move the balance. Either
    // all of it happens or none of it; the reward's row lock lasts this one statement.
    const rows = await this.db.transaction(async (m) => {
      const done: RedemptionRow[] = await m.query(
        `WITH acct AS (
           SELECT a.resident_id, a.balance, r.site_id, r.region_code FROM points_account a JOIN resident r
           ON r.id = a.resident_id
            WHERE a.resident_id = $1 AND r.site_id = $3 FOR UPDATE OF a),
         taken AS (
           UPDATE points_reward rw SET stock = rw.stock - 1
            WHERE rw.id = $2 AND rw.active AND rw.stock >= 1 AND rw.price = $4 AND EXISTS
            (SELECT 1 FROM acct WHERE acct.balance >= $4)
            RETURNING rw.id, rw.site_id, rw.region_code, rw.price),
         rd AS (
           INSERT INTO points_redemption (reward_id, resident_id, site_id, region_code, points, requested_by)
           SELECT taken.id, acct.resident_id, taken.site_id, taken.region_code, taken.price, $5 FROM taken, acct
           RETURNING *),
         e AS (
           INSERT INTO points_entry (resident_id, site_id, region_code, kind, points, balance_after, redemption_id,
             reason, actor, occurred_at, recorded_at)
           SELECT acct.resident_id, acct.site_id, acct.region_code, 'redeem', -rd.points, acct.balance - rd.points,
             rd.id, 'reward redeemed', $5, $6, $6
             FROM rd, acct
           RETURNING resident_id, points),
         moved AS (
           UPDATE points_account a SET balance = a.balance + e.points, updated_at = now() FROM e
           WHERE a.resident_id = e.resident_id RETURNING 1)
         SELECT ${COLUMNS} FROM rd`,
        [residentId, reward.id, reward.siteId, reward.price, actor, this.clock.now()],
      );
      // The resident, or an officer on the resident's behalf: one audit row with the redemption, or neither.
      if (done.length) {
        await audit(m, p, {
          action: 'points_redemption.redeem',
          entityType: 'points_redemption',
          entityId: done[0].id,
          siteId: reward.siteId,
          regionCode: reward.regionCode,
          detail: { residentId, rewardId: reward.id, points: done[0].points },
        });
        await notifyPointsRedeemed(m, done[0].id, this.clock.now());
      }
      return done;
    });
    if (rows.length) return rows[0];

    // Nothing was written; say why (read after the fact, only to choose the error).
    const [why] = await this.db.query(
      `SELECT r.site_id AS "siteId", coalesce(a.balance, 0) AS balance, rw.stock, rw.price, rw.active
         FROM resident r LEFT JOIN points_account a ON a.resident_id = r.id, points_reward rw WHERE r.id = $1
           AND rw.id = $2`,
      [residentId, reward.id],
    );
    if (!why) throw new NotFoundError('input.residentId', 'No such resident in your scope.');
    if (why.siteId !== reward.siteId) {
      if (p.role === 'resident') throw new NotFoundError('input.rewardId', 'No such reward at your site.');
      throw new InputError('input.residentId', 'A reward is redeemed by residents of its own site.', 'OTHER_SITE');
    }
    if (why.balance < reward.price) {
      throw new ConflictError(
        'input.rewardId',
        `The reward costs ${reward.price} points; the balance is ${why.balance}.`,
        'INSUFFICIENT_POINTS',
      );
    }
    if (why.stock < 1) throw new ConflictError('input.rewardId', 'This reward is out of stock.', 'OUT_OF_STOCK');
    throw new ConflictError(
      'input.rewardId',
      'The reward changed while you redeemed it (price or availability): look again.',
      'CHANGED',
    );
  }

  /** The reward was handed over (officers). */
  async fulfil(id: string): Promise<RedemptionRow> {
    if (!OFFICERS.includes(this.principal.role)) throw new ForbiddenError('Officers of the site fulfil redemptions.');
    return this.db.transaction(async (m) => {
      const r = await this.lockRedemption(m, id);
      if (r.status !== 'pending')
        throw new ConflictError('id', `The redemption is already ${r.status}.`, 'NOT_PENDING');
      const [row] = returning<RedemptionRow>(
        await m.query(
          `UPDATE points_redemption rd SET status = 'fulfilled', settled_at = now(), settled_by = $2 WHERE rd.id = $1
           RETURNING ${COLUMNS}`,
          [id, `${this.principal.role}:${this.principal.subject}`],
        ),
      );
      await audit(m, this.principal, {
        action: 'points_redemption.fulfil',
        entityType: 'points_redemption',
        entityId: id,
        siteId: r.siteId,
        regionCode: r.regionCode,
      });
      return row;
    });
  }

  /** Cancels a pending redemption: the points come back as a new `refund` entry and the stock is returned. */
  async cancel(id: string, reason: string): Promise<RedemptionRow> {
    const p = this.principal;
    if (p.role !== 'resident' && !OFFICERS.includes(p.role))
      throw new ForbiddenError('The resident or an officer of the site cancels a redemption.');
    const why = reason.trim();
    if (why.length < 2 || why.length > 500) throw new InputError('reason', 'Say why, in 2 to 500 characters.');
    return this.db.transaction(async (m) => {
      const r = await this.lockRedemption(m, id);
      if (r.status !== 'pending')
        throw new ConflictError('id', `The redemption is already ${r.status}.`, 'NOT_PENDING');
      const account = await lockAccount(m, r.residentId);
      if (!account) throw new Error('ledger invariant: a redemption without an account');
      await appendEntry(m, account, {
        kind: 'refund',
        points: r.points,
        redemptionId: r.id,
        reason: why,
        actor: `${p.role}:${p.subject}`,
        recordedAt: this.clock.now(),
      });
      await m.query(`UPDATE points_reward SET stock = stock + 1 WHERE id = $1`, [r.rewardId]);
      const [row] = returning<RedemptionRow>(
        await m.query(
          `UPDATE points_redemption rd SET status = 'cancelled', settled_at = now(), settled_by = $2, cancel_reason = $3
           WHERE rd.id = $1 RETURNING ${COLUMNS}`,
          [id, `${p.role}:${p.subject}`, why],
        ),
      );
      await audit(m, p, {
        action: 'points_redemption.cancel',
        entityType: 'points_redemption',
        entityId: id,
        siteId: r.siteId,
        regionCode: r.regionCode,
        detail: { refunded: r.points },
      });
      return row;
    });
  }

  /** A site's redemptions, newest first; residents see only their own. */
  async list(args: {
    siteId: string;
    residentId?: string | null;
    status?: RedemptionStatus | null;
    first?: number | null;
    after?: string | null;
  }) {
    const site = await siteInScope(this.db, this.principal, args.siteId, 'siteId');
    const residentId = this.principal.role === 'resident' ? this.principal.residentId! : (args.residentId ?? null);
    if (residentId && !isUuid(residentId)) return { nodes: [], totalCount: 0, endCursor: null };
    const params = [site.id, residentId, args.status ?? null];
    const where = `rd.site_id = $1 AND ($2::uuid IS NULL OR rd.resident_id = $2::uuid)
                     AND ($3::text IS NULL OR rd.status = $3)`;
    const list = { columns: COLUMNS, from: 'points_redemption rd', where, params };
    const sort = desc<RedemptionRow>(
      ['(extract(epoch FROM rd.requested_at) * 1000000)::bigint', 'bigint', 'sortKey', 'rd.requested_at'],
      ['rd.id', 'uuid', 'id'],
    );
    return keysetPage(this.db, list, args, sort);
  }

  /** Locks a redemption the caller may act on (officers: their sites; a resident: their own). */
  private async lockRedemption(m: EntityManager, id: string): Promise<RedemptionRow & { regionCode: string }> {
    const [r] = isUuid(id)
      ? await m.query(
          `SELECT ${COLUMNS}, rd.region_code AS "regionCode" FROM points_redemption rd WHERE rd.id = $1 FOR UPDATE`,
          [id],
        )
      : [];
    const p = this.principal;
    const allowed =
      r &&
      (p.role === 'resident'
        ? r.residentId === p.residentId
        : coversPlace(p, { siteId: r.siteId, regionCode: r.regionCode }));
    if (!allowed) throw new NotFoundError('id', 'No such redemption in your scope.');
    return r;
  }
}
