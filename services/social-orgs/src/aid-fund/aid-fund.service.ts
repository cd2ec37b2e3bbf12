import type { DataSource, EntityManager } from 'typeorm';
import {
  ForbiddenError,
  InputError,
  NotFoundError,
  requireRole,
  type Clock,
  type Principal,
  uuidsOf,
  uuidParam,
  audit,
  isoSql,
  requireDate,
  isUuid,
  optionalText,
  requireText,
  requireYuan,
  seqKeysetPage,
} from '@anju/kit';
import { placedScope, servesRegion } from '../scope';

type Queryable = Pick<DataSource | EntityManager, 'query'>;

/** Where aid money comes from (资金来源). */
export type AidFundSource = 'FISCAL' | 'EAST_WEST_COOPERATION' | 'PAIRED_ASSISTANCE' | 'SOCIAL_DONATION' | 'OTHER';
/** What it pays for: the three support modes, 购买服务, 公益创投 and 直接资助. */
export type AidUse = 'CONTRACT_PAYMENT' | 'VENTURE_GRANT' | 'DIRECT_GRANT';

export interface AidFundRow {
  id: string;
  seq: string;
  regionCode: string;
  source: AidFundSource;
  name: string;
  donor: string | null;
  amountYuan: number;
  spentYuan: number;
  balanceYuan: number;
  receivedOn: string;
  recordedAt: string;
}
export interface AidPaymentRow {
  id: string;
  seq: string;
  fundId: string;
  regionCode: string;
  use: AidUse;
  organizationId: string;
  contractId: string | null;
  ventureApplicationId: string | null;
  purpose: string | null;
  amountYuan: number;
  paidOn: string;
  recordedAt: string;
}

const FUND_COLUMNS = `f.id, f.seq, f.region_code AS "regionCode", f.source, f.name, f.donor,
    f.amount_yuan::float8 AS "amountYuan",
  f.spent_yuan::float8 AS "spentYuan", (f.amount_yuan - f.spent_yuan)::float8 AS "balanceYuan",
    f.received_on::text AS "receivedOn",
  ${isoSql('f.recorded_at')} AS "recordedAt"`;
const PAYMENT_COLUMNS = `a.id, a.seq, a.fund_id AS "fundId", a.region_code AS "regionCode", a.use,
    a.organization_id AS "organizationId",
  (SELECT p.contract_id FROM contract_payment p WHERE p.id = a.contract_payment_id) AS "contractId",
  a.venture_application_id AS "ventureApplicationId", a.purpose, a.amount_yuan::float8 AS "amountYuan",
    a.paid_on::text AS "paidOn",
  ${isoSql('a.recorded_at')} AS "recordedAt"`;

/** Funds are the officers' books: province and county officers reach the funds of counties inside their regions. */
function fundScope(p: Principal, alias: string, firstParam: number): { sql: string; params: unknown[] } {
  if (p.role === 'province' || p.role === 'county')
    return { sql: `${alias}.region_code LIKE ANY($${firstParam}::text[])`, params: [p.regions.map((r) => `${r}%`)] };
  return { sql: 'false', params: [] };
}

/** What a payment out of a fund pays for: the record it is tied to, placed in a region. */
export interface FundDebit {
  fundId: string;
  field: string;
  amountYuan: number;
  use: AidUse;
  organizationId: string;
  /**
   * The region of the record paid (a contract's purchasing region, a call's region); it must overlap the fund's county.
   */
  recordRegion: string | null;
  paidOn: string;
  contractPaymentId?: string;
  ventureApplicationId?: string;
  purpose?: string;
}

/**
 * Pays out of a fund inside the caller's transaction: locks the fund (in the officer's scope),
 * refuses more than its balance (OVER_BALANCE, with what is left), writes the aid_payment and
 * moves spent_yuan. The row lock serializes concurrent payments from one fund; the table's CHECK
 * holds the balance even for a writer that skipped this function.
 */
export async function payFromFund(m: Queryable, p: Principal, clock: Clock, d: FundDebit): Promise<string> {
  const s = fundScope(p, 'f', 2);
  const [fund] = isUuid(d.fundId)
    ? await m.query(
        `SELECT f.id, f.region_code, (f.amount_yuan - f.spent_yuan)::float8 AS balance FROM aid_fund f WHERE f.id = $1
           AND ${s.sql} FOR UPDATE`,
        [d.fundId, ...s.params],
      )
    : [];
  if (!fund) throw new NotFoundError(d.field, 'No such aid fund in your scope.');
  if (
    d.recordRegion != null &&
    !d.recordRegion.startsWith(fund.region_code) &&
    !fund.region_code.startsWith(d.recordRegion)
  ) {
    throw new InputError(
      d.field,
      `This fund belongs to county ${fund.region_code}, outside the region paid (${d.recordRegion}).`,
      'FUND_REGION',
    );
  }
  if (d.amountYuan > fund.balance + 1e-9) {
    throw new InputError(d.field, `The fund has ${fund.balance.toFixed(2)} yuan left.`, 'OVER_BALANCE');
  }
  await m.query(`UPDATE aid_fund SET spent_yuan = spent_yuan + $2 WHERE id = $1`, [fund.id, d.amountYuan]);
  const [{ id }] = await m.query(
    `INSERT INTO aid_payment (fund_id, region_code, use, organization_id, contract_payment_id, venture_application_id,
         purpose, amount_yuan, paid_on,
       recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      fund.id,
      fund.region_code,
      d.use,
      d.organizationId,
      d.contractPaymentId ?? null,
      d.ventureApplicationId ?? null,
      d.purpose ?? null,
      d.amountYuan,
      d.paidOn,
      p.subject,
      clock.now(),
    ],
  );
  return id as string;
}

/**
 * 统筹各类帮扶资金 — the aid funds a county receives (财政, 东西部协作, 对口帮扶, 社会捐赠…), every
 * payment out of them tied to its fund, and balances per county. Officers keep the books; an
 * organization reads the payments it received.
 */
export class AidFundService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
  ) {}

  fundsByIds(ids: readonly string[]): Promise<AidFundRow[]> {
    const s = fundScope(this.principal, 'f', 2);
    return this.db.query(`SELECT ${FUND_COLUMNS} FROM aid_fund f WHERE f.id = ANY($1::uuid[]) AND ${s.sql}`, [
      uuidsOf(ids),
      ...s.params,
    ]);
  }

  async listFunds(args: {
    regionCode?: string | null;
    source?: AidFundSource | null;
    first?: number | null;
    after?: string | null;
  }) {
    requireRole(this.principal, 'province', 'county');
    const s = fundScope(this.principal, 'f', 3);
    const filter = `($1::text IS NULL OR f.region_code LIKE $1 || '%') AND ($2::text IS NULL OR f.source = $2)
                      AND ${s.sql}`;
    const params = [args.regionCode ?? null, args.source ?? null, ...s.params];
    const list = { columns: FUND_COLUMNS, from: 'aid_fund f', where: filter, params };
    return seqKeysetPage<AidFundRow>(this.db, list, args, 'f.seq');
  }

  paymentsByIds(ids: readonly string[]): Promise<AidPaymentRow[]> {
    const s = placedScope(this.principal, 'a', 2);
    return this.db.query(`SELECT ${PAYMENT_COLUMNS} FROM aid_payment a WHERE a.id = ANY($1::uuid[]) AND ${s.sql}`, [
      uuidsOf(ids),
      ...s.params,
    ]);
  }

  paymentsByFunds(fundIds: readonly string[]): Promise<AidPaymentRow[]> {
    const s = placedScope(this.principal, 'a', 2);
    return this.db.query(
      `SELECT ${PAYMENT_COLUMNS} FROM aid_payment a WHERE a.fund_id = ANY($1::uuid[]) AND ${s.sql} ORDER BY a.seq`,
      [uuidsOf(fundIds), ...s.params],
    );
  }

  /** Payments officers reach by the fund's county, an organization those it received. */
  async listPayments(args: {
    fundId?: string | null;
    organizationId?: string | null;
    use?: AidUse | null;
    first?: number | null;
    after?: string | null;
  }) {
    const s = placedScope(this.principal, 'a', 4);
    const filter = `($1::text IS NULL OR a.fund_id = ${uuidParam(1)}) AND ($2::text IS NULL
        OR a.organization_id = ${uuidParam(2)})
      AND ($3::text IS NULL OR a.use = $3) AND ${s.sql}`;
    const params = [args.fundId ?? null, args.organizationId ?? null, args.use ?? null, ...s.params];
    const list = { columns: PAYMENT_COLUMNS, from: 'aid_payment a', where: filter, params };
    return seqKeysetPage<AidPaymentRow>(this.db, list, args, 'a.seq');
  }

  /**
   * Balances per county inside `regionCode` (and the caller's scope): received, spent, balance,
   * broken down by source and by use. Two statements whatever the number of counties.
   */
  async balances(regionCode: string) {
    requireRole(this.principal, 'province', 'county');
    if (!/^\d{2}(\d{2}){0,2}$/.test(regionCode))
      throw new InputError('regionCode', 'A GB/T 2260 code of 2, 4 or 6 digits.', 'FORMAT');
    if (!this.principal.regions.some((r) => regionCode.startsWith(r) || r.startsWith(regionCode)))
      throw new ForbiddenError(`Region ${regionCode} is outside your scope.`);
    const s = fundScope(this.principal, 'f', 2);
    const bySource: {
      regionCode: string;
      source: AidFundSource;
      receivedYuan: number;
      spentYuan: number;
      fundCount: number;
    }[] = await this.db.query(
      `SELECT f.region_code AS "regionCode", f.source, sum(f.amount_yuan)::float8 AS "receivedYuan",
                sum(f.spent_yuan)::float8 AS "spentYuan",
              count(*)::int AS "fundCount"
         FROM aid_fund f WHERE f.region_code LIKE $1 || '%' AND ${s.sql} GROUP BY f.region_code, f.source
           ORDER BY 1, 2`,
      [regionCode, ...s.params],
    );
    const byUse: { regionCode: string; use: AidUse; amountYuan: number; paymentCount: number }[] = await this.db.query(
      `SELECT a.region_code AS "regionCode", a.use, sum(a.amount_yuan)::float8 AS "amountYuan",
           count(*)::int AS "paymentCount"
         FROM aid_payment a JOIN aid_fund f ON f.id = a.fund_id WHERE f.region_code LIKE $1 || '%' AND ${s.sql}
         GROUP BY a.region_code, a.use ORDER BY 1, 2`,
      [regionCode, ...s.params],
    );
    const counties = new Map<
      string,
      {
        regionCode: string;
        receivedYuan: number;
        spentYuan: number;
        balanceYuan: number;
        fundCount: number;
        bySource: { source: AidFundSource; receivedYuan: number; spentYuan: number; balanceYuan: number }[];
        byUse: { use: AidUse; amountYuan: number; paymentCount: number }[];
      }
    >();
    const cents = (v: number) => Math.round(v * 100) / 100;
    for (const r of bySource) {
      const c = counties.get(r.regionCode) ?? {
        regionCode: r.regionCode,
        receivedYuan: 0,
        spentYuan: 0,
        balanceYuan: 0,
        fundCount: 0,
        bySource: [],
        byUse: [],
      };
      c.receivedYuan = cents(c.receivedYuan + r.receivedYuan);
      c.spentYuan = cents(c.spentYuan + r.spentYuan);
      c.balanceYuan = cents(c.receivedYuan - c.spentYuan);
      c.fundCount += r.fundCount;
      c.bySource.push({
        source: r.source,
        receivedYuan: r.receivedYuan,
        spentYuan: r.spentYuan,
        balanceYuan: cents(r.receivedYuan - r.spentYuan),
      });
      counties.set(r.regionCode, c);
    }
    for (const u of byUse)
      counties.get(u.regionCode)?.byUse.push({ use: u.use, amountYuan: u.amountYuan, paymentCount: u.paymentCount });
    return [...counties.values()];
  }

  /** A county receives aid money: a fund of one source, with the amount and the day it arrived. */
  async receive(input: {
    regionCode: string;
    source: AidFundSource;
    name: string;
    donor?: string | null;
    amountYuan: number;
    receivedOn: string;
  }): Promise<AidFundRow> {
    requireRole(this.principal, 'province', 'county');
    const region = (input.regionCode ?? '').trim();
    if (!/^\d{6}$/.test(region))
      throw new InputError('input.regionCode', 'Aid funds are held by a county: a 6-digit GB/T 2260 code.', 'FORMAT');
    if (!this.principal.regions.some((r) => region.startsWith(r)))
      throw new ForbiddenError(`Region ${region} is outside your scope.`);
    const name = requireText(input.name, 'input.name', 100);
    const donor = optionalText(input.donor, 'input.donor', 100);
    const amount = requireYuan(input.amountYuan, 'input.amountYuan');
    const receivedOn = requireDate(input.receivedOn, 'input.receivedOn');
    const id = await this.db.transaction(async (m) => {
      const [{ id }] = await m.query(
        `INSERT INTO aid_fund (region_code, source, name, donor, amount_yuan, received_on, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [region, input.source, name, donor, amount, receivedOn, this.principal.subject, this.clock.now()],
      );
      await audit(m, this.principal, {
        action: 'aid_fund.receive',
        entityType: 'AidFund',
        entityId: id,
        regionCode: region,
        detail: { source: input.source, amountYuan: amount },
      });
      return id as string;
    });
    return (await this.fundsByIds([id]))[0];
  }

  /** 直接资助 — a direct grant to an organization serving the fund's county, for a stated purpose. */
  async grantDirect(input: {
    fundId: string;
    organizationId: string;
    amountYuan: number;
    paidOn: string;
    purpose: string;
  }): Promise<AidPaymentRow> {
    requireRole(this.principal, 'province', 'county');
    const amount = requireYuan(input.amountYuan, 'input.amountYuan');
    const paidOn = requireDate(input.paidOn, 'input.paidOn');
    const purpose = requireText(input.purpose, 'input.purpose', 500);
    if (!isUuid(input.organizationId)) throw new NotFoundError('input.organizationId', 'No such organization.');
    const id = await this.db.transaction(async (m) => {
      const s = fundScope(this.principal, 'f', 2);
      const [fund] = await m.query(`SELECT f.region_code FROM aid_fund f WHERE f.id = ${uuidParam(1)} AND ${s.sql}`, [
        input.fundId,
        ...s.params,
      ]);
      if (fund && !(await servesRegion(m, input.organizationId, fund.region_code))) {
        throw new InputError(
          'input.organizationId',
          "The organization does not serve the fund's county.",
          'NOT_SERVED',
        );
      }
      const paymentId = await payFromFund(m, this.principal, this.clock, {
        fundId: input.fundId,
        field: 'input.fundId',
        amountYuan: amount,
        use: 'DIRECT_GRANT',
        organizationId: input.organizationId,
        recordRegion: null,
        paidOn,
        purpose,
      });
      await audit(m, this.principal, {
        action: 'aid_fund.direct_grant',
        entityType: 'AidPayment',
        entityId: paymentId,
        organizationId: input.organizationId,
        regionCode: fund.region_code,
        detail: { fundId: input.fundId, amountYuan: amount },
      });
      return paymentId;
    });
    return (await this.paymentsByIds([id]))[0];
  }
}
