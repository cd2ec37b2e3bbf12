import type { DataSource } from 'typeorm';
import {
  ConflictError,
  InputError,
  NotFoundError,
  placeFilter,
  requireRole,
  type Principal,
  uuidsOf,
  uuidParam,
  audit,
  returning,
  isUuid,
} from '@anju/kit';
import { siteInScope } from '../scope';

export type RewardKind = 'goods' | 'service' | 'privilege';

export interface RewardRow {
  id: string;
  siteId: string;
  name: string;
  description: string | null;
  kind: RewardKind;
  price: number;
  stock: number;
  active: boolean;
  createdAt: Date;
}

export const REWARD_COLUMNS = `rw.id, rw.site_id AS "siteId", rw.name, rw.description, rw.kind, rw.price, rw.stock,
                                 rw.active, rw.created_at AS "createdAt"`;

export interface AddRewardInput {
  siteId: string;
  name: string;
  description?: string | null;
  kind: RewardKind;
  price: number;
  stock: number;
}

/** 积分超市: the reward catalogue of a site. */
export class RewardService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
  ) {}

  async forSite(siteId: string, includeInactive: boolean): Promise<RewardRow[]> {
    const site = await siteInScope(this.db, this.principal, siteId, 'siteId');
    return this.db.query(
      `SELECT ${REWARD_COLUMNS} FROM points_reward rw WHERE rw.site_id = $1 AND ($2 OR rw.active)
         ORDER BY rw.price, rw.name`,
      [site.id, includeInactive],
    );
  }

  /** By id, for loaders: rewards of sites the caller reaches (a resident: their own site). */
  byIds(ids: readonly string[]): Promise<RewardRow[]> {
    const p = this.principal;
    if (p.role === 'resident') {
      return this.db.query(
        `SELECT ${REWARD_COLUMNS} FROM points_reward rw JOIN resident r ON r.site_id = rw.site_id
           AND r.id = ${uuidParam(2)} WHERE rw.id = ANY($1::uuid[])`,
        [uuidsOf(ids), p.residentId ?? ''],
      );
    }
    const scope = placeFilter(p, { site: 'rw.site_id', region: 'rw.region_code' }, 2);
    return this.db.query(
      `SELECT ${REWARD_COLUMNS} FROM points_reward rw WHERE rw.id = ANY($1::uuid[]) AND ${scope.sql}`,
      [uuidsOf(ids), ...scope.params],
    );
  }

  async add(input: AddRewardInput): Promise<RewardRow> {
    requireRole(this.principal, 'province', 'county', 'site_officer');
    const site = await siteInScope(this.db, this.principal, input.siteId, 'input.siteId');
    const name = input.name.trim();
    if (!name || name.length > 100) throw new InputError('input.name', 'A reward name has 1 to 100 characters.');
    if (!Number.isInteger(input.price) || input.price < 1 || input.price > 1_000_000)
      throw new InputError('input.price', 'The price is a whole number of points from 1 to 1000000.');
    if (!Number.isInteger(input.stock) || input.stock < 0 || input.stock > 1_000_000)
      throw new InputError('input.stock', 'Stock is a whole number from 0 to 1000000.');
    return this.db.transaction(async (m) => {
      const rows: RewardRow[] = await m.query(
        `INSERT INTO points_reward AS rw (site_id, region_code, name, description, kind, price, stock, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (site_id, name) DO NOTHING RETURNING ${REWARD_COLUMNS}`,
        [
          site.id,
          site.regionCode,
          name,
          input.description?.trim() || null,
          input.kind,
          input.price,
          input.stock,
          this.principal.subject,
        ],
      );
      if (!rows.length)
        throw new ConflictError('input.name', `The site already offers a reward named ${name}.`, 'DUPLICATE');
      await audit(m, this.principal, {
        action: 'points_reward.add',
        entityType: 'points_reward',
        entityId: rows[0].id,
        siteId: site.id,
        regionCode: site.regionCode,
        detail: { price: rows[0].price, stock: rows[0].stock },
      });
      return rows[0];
    });
  }

  /** Adds stock (goods delivered to the points supermarket). */
  async restock(id: string, quantity: number): Promise<RewardRow> {
    requireRole(this.principal, 'province', 'county', 'site_officer');
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > 1_000_000)
      throw new InputError('quantity', 'A whole number from 1 to 1000000.');
    const [reward]: RewardRow[] = isUuid(id)
      ? await this.db.query(`SELECT ${REWARD_COLUMNS} FROM points_reward rw WHERE rw.id = $1`, [id])
      : [];
    if (!reward) throw new NotFoundError('id', 'No such reward.');
    const site = await siteInScope(this.db, this.principal, reward.siteId, 'id');
    return this.db.transaction(async (m) => {
      const [row] = returning<RewardRow>(
        await m.query(`UPDATE points_reward rw SET stock = stock + $2 WHERE rw.id = $1 RETURNING ${REWARD_COLUMNS}`, [
          id,
          quantity,
        ]),
      );
      await audit(m, this.principal, {
        action: 'points_reward.restock',
        entityType: 'points_reward',
        entityId: id,
        siteId: site.id,
        regionCode: site.regionCode,
        detail: { quantity, stock: row.stock },
      });
      return row;
    });
  }
}
