import type { DataSource } from 'typeorm';
import {
  ConflictError,
  ForbiddenError,
  InputError,
  requireRole,
  type Clock,
  type Principal,
  uuidsOf,
  uuidParam,
  audit,
  isoSql,
  requireDate,
  isUuid,
  requireYuan,
  requireText,
  seqKeysetPage,
} from '@anju/kit';
import { organizationToManage, placedScope, scopedRow } from '../scope';
import { payFromFund } from '../aid-fund/aid-fund.service';
import { checkScore, gradeOf } from '../venture/grade';

export interface ContractRow {
  id: string;
  seq: string;
  organizationId: string;
  title: string;
  purchaser: string;
  budgetYuan: number;
  startsOn: string;
  endsOn: string;
  deliverables: string[];
  regionCode: string;
  status: 'ACTIVE' | 'COMPLETED';
  finalScore: number | null;
  finalGrade: string | null;
  ratedAt: string | null;
  paidYuan: number;
}
export interface MilestoneRow {
  id: string;
  contractId: string;
  title: string;
  dueOn: string;
  evidence: string | null;
  evidenceAt: string | null;
  acceptedAt: string | null;
}
export interface PaymentRow {
  id: string;
  contractId: string;
  milestoneId: string | null;
  amountYuan: number;
  paidOn: string;
  fundId: string | null;
}

const COLUMNS = `c.id, c.seq, c.organization_id AS "organizationId", c.title, c.purchaser,
    c.budget_yuan::float8 AS "budgetYuan",
  c.starts_on::text AS "startsOn", c.ends_on::text AS "endsOn", c.deliverables, c.region_code AS "regionCode", c.status,
    c.final_score::float8 AS "finalScore",
  c.final_grade AS "finalGrade", ${isoSql('c.rated_at')} AS "ratedAt",
  (SELECT coalesce(sum(p.amount_yuan), 0)::float8 FROM contract_payment p WHERE p.contract_id = c.id) AS "paidYuan"`;

const money = requireYuan;

/**
 * 购买服务 — government purchase-of-service contracts. Officers sign them with an organization
 * serving their regions, accept milestones, record payments and give the final rating; the
 * organization reads its own and submits milestone evidence.
 */
export class ContractService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
  ) {}

  byIds(ids: readonly string[]): Promise<ContractRow[]> {
    const s = placedScope(this.principal, 'c', 2);
    return this.db.query(`SELECT ${COLUMNS} FROM service_contract c WHERE c.id = ANY($1::uuid[]) AND ${s.sql}`, [
      uuidsOf(ids),
      ...s.params,
    ]);
  }

  async list(args: { organizationId?: string | null; first?: number | null; after?: string | null }) {
    const s = placedScope(this.principal, 'c', 2);
    const filter = `($1::text IS NULL OR c.organization_id = ${uuidParam(1)}) AND ${s.sql}`;
    const params = [args.organizationId ?? null, ...s.params];
    const list = { columns: COLUMNS, from: 'service_contract c', where: filter, params };
    return seqKeysetPage<ContractRow>(this.db, list, args, 'c.seq');
  }

  milestonesByContracts(ids: readonly string[]): Promise<MilestoneRow[]> {
    const s = placedScope(this.principal, 'm', 2);
    return this.db.query(
      `SELECT m.id, m.contract_id AS "contractId", m.title, m.due_on::text AS "dueOn", m.evidence,
         ${isoSql('m.evidence_at')} AS "evidenceAt", ${isoSql('m.accepted_at')} AS "acceptedAt"
       FROM contract_milestone m WHERE m.contract_id = ANY($1::uuid[]) AND ${s.sql} ORDER BY m.due_on, m.seq`,
      [uuidsOf(ids), ...s.params],
    );
  }

  paymentsByContracts(ids: readonly string[]): Promise<PaymentRow[]> {
    const s = placedScope(this.principal, 'p', 2);
    return this.db.query(
      `SELECT p.id, p.contract_id AS "contractId", p.milestone_id AS "milestoneId",
         p.amount_yuan::float8 AS "amountYuan", p.paid_on::text AS "paidOn", p.fund_id AS "fundId"
       FROM contract_payment p WHERE p.contract_id = ANY($1::uuid[]) AND ${s.sql} ORDER BY p.paid_on, p.seq`,
      [uuidsOf(ids), ...s.params],
    );
  }

  /**
   * Officers sign a contract with milestones (each due inside the period), for a purchasing region
   * in their scope that the organization serves; the contract is then reached through that region.
   */
  async sign(input: {
    organizationId: string;
    regionCode?: string | null;
    title: string;
    purchaser: string;
    budgetYuan: number;
    startsOn: string;
    endsOn: string;
    deliverables: string[];
    milestones: { title: string; dueOn: string }[];
  }): Promise<ContractRow> {
    requireRole(this.principal, 'province', 'county');
    const orgId = await organizationToManage(this.db, this.principal, input.organizationId);
    const regionCode = await this.purchasingRegion(orgId, input.regionCode);
    const title = requireText(input.title, 'input.title', 200);
    const purchaser = requireText(input.purchaser, 'input.purchaser', 100);
    const budget = money(input.budgetYuan, 'input.budgetYuan');
    const startsOn = requireDate(input.startsOn, 'input.startsOn');
    const endsOn = requireDate(input.endsOn, 'input.endsOn');
    if (endsOn < startsOn) throw new InputError('input.endsOn', 'The period ends after it starts.', 'ORDER');
    const deliverables = input.deliverables.map((d, i) => requireText(d, `input.deliverables.${i}`, 500));
    if (!deliverables.length) throw new InputError('input.deliverables', 'Name at least one deliverable.', 'REQUIRED');
    const milestones = input.milestones.map((m, i) => {
      const dueOn = requireDate(m.dueOn, `input.milestones.${i}.dueOn`);
      if (dueOn < startsOn || dueOn > endsOn)
        throw new InputError(
          `input.milestones.${i}.dueOn`,
          'A milestone falls inside the contract period.',
          'OUT_OF_PERIOD',
        );
      return { title: requireText(m.title, `input.milestones.${i}.title`, 200), dueOn };
    });
    const id = await this.db.transaction(async (m) => {
      const [{ id }] = await m.query(
        `INSERT INTO service_contract (organization_id, title, purchaser, budget_yuan, starts_on, ends_on, deliverables,
           created_by, region_code)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [orgId, title, purchaser, budget, startsOn, endsOn, deliverables, this.principal.subject, regionCode],
      );
      if (milestones.length) {
        await m.query(
          `INSERT INTO contract_milestone (contract_id, organization_id, region_code, title, due_on)
           SELECT $1, $2, $5, t, d FROM unnest($3::text[], $4::date[]) AS x(t, d)`,
          [id, orgId, milestones.map((x) => x.title), milestones.map((x) => x.dueOn), regionCode],
        );
      }
      await audit(m, this.principal, {
        action: 'contract.sign',
        entityType: 'ServiceContract',
        entityId: id,
        organizationId: orgId,
        regionCode,
        detail: { regionCode },
      });
      return id as string;
    });
    return (await this.byIds([id]))[0];
  }

  /** The organization submits evidence for a milestone (reports, photos' links, sign-in sheets). */
  async submitEvidence(milestoneId: string, evidence: string): Promise<string> {
    const ev = requireText(evidence, 'evidence', 2000);
    if (this.principal.role === 'resident') throw new ForbiddenError();
    return this.db.transaction(async (m) => {
      const ms = await scopedRow<{ contract_id: string; accepted_at: Date | null }>(
        m,
        this.principal,
        'contract_milestone',
        milestoneId,
        'milestoneId',
        { lock: true, what: 'milestone', placed: true },
      );
      if (ms.accepted_at)
        throw new InputError('milestoneId', 'This milestone is already accepted.', 'INVALID_TRANSITION');
      await this.activeContract(m, ms.contract_id, 'milestoneId');
      await m.query(`UPDATE contract_milestone SET evidence = $2, evidence_at = now() WHERE id = $1`, [
        milestoneId,
        ev,
      ]);
      await audit(m, this.principal, {
        action: 'contract.milestone_evidence',
        entityType: 'ServiceContract',
        entityId: ms.contract_id,
        organizationId: ms.organization_id,
        detail: { milestoneId },
      });
      return ms.contract_id;
    });
  }

  /** Officers accept a milestone once it has evidence. */
  async acceptMilestone(milestoneId: string): Promise<string> {
    requireRole(this.principal, 'province', 'county');
    return this.db.transaction(async (m) => {
      const ms = await scopedRow<{ contract_id: string; evidence: string | null; accepted_at: Date | null }>(
        m,
        this.principal,
        'contract_milestone',
        milestoneId,
        'milestoneId',
        { lock: true, what: 'milestone', placed: true },
      );
      if (ms.accepted_at)
        throw new InputError('milestoneId', 'This milestone is already accepted.', 'INVALID_TRANSITION');
      if (!ms.evidence)
        throw new InputError('milestoneId', 'A milestone is accepted only with evidence.', 'NO_EVIDENCE');
      await m.query(`UPDATE contract_milestone SET accepted_at = now(), accepted_by = $2 WHERE id = $1`, [
        milestoneId,
        this.principal.subject,
      ]);
      await audit(m, this.principal, {
        action: 'contract.milestone_accept',
        entityType: 'ServiceContract',
        entityId: ms.contract_id,
        organizationId: ms.organization_id,
        detail: { milestoneId },
      });
      return ms.contract_id;
    });
  }

  /** Officers record a payment out of an aid fund (帮扶资金); payments never exceed the budget nor the fund's balance. */
  async recordPayment(input: {
    contractId: string;
    fundId: string;
    amountYuan: number;
    paidOn: string;
    milestoneId?: string | null;
  }): Promise<string> {
    requireRole(this.principal, 'province', 'county');
    const amount = money(input.amountYuan, 'input.amountYuan');
    const paidOn = requireDate(input.paidOn, 'input.paidOn');
    await this.db.transaction(async (m) => {
      const c = await this.activeContract(m, input.contractId, 'input.contractId');
      if (input.milestoneId != null) {
        const ok =
          isUuid(input.milestoneId) &&
          (
            await m.query(
              `SELECT 1 FROM contract_milestone WHERE id = $1 AND contract_id = $2 AND accepted_at IS NOT NULL`,
              [input.milestoneId, c.id],
            )
          ).length;
        if (!ok)
          throw new InputError(
            'input.milestoneId',
            'Pay against an accepted milestone of this contract.',
            'NOT_ACCEPTED',
          );
      }
      const [{ paid }] = await m.query(
        `SELECT coalesce(sum(amount_yuan), 0)::float8 AS paid FROM contract_payment WHERE contract_id = $1`,
        [c.id],
      );
      if (paid + amount > Number(c.budget_yuan) + 1e-9)
        throw new InputError(
          'input.amountYuan',
          `Payments would exceed the budget (${Number(c.budget_yuan) - paid} yuan left).`,
          'OVER_BUDGET',
        );
      const [{ id }] = await m.query(
        `INSERT INTO contract_payment (contract_id, organization_id, region_code, milestone_id, amount_yuan, paid_on,
          recorded_by, fund_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7, ${uuidParam(8)}) RETURNING id`,
        [
          c.id,
          c.organization_id,
          c.region_code,
          input.milestoneId ?? null,
          amount,
          paidOn,
          this.principal.subject,
          input.fundId,
        ],
      );
      await payFromFund(m, this.principal, this.clock, {
        fundId: input.fundId,
        field: 'input.fundId',
        amountYuan: amount,
        use: 'CONTRACT_PAYMENT',
        organizationId: c.organization_id,
        recordRegion: c.region_code,
        paidOn,
        contractPaymentId: id,
      });
      await audit(m, this.principal, {
        action: 'contract.payment',
        entityType: 'ServiceContract',
        entityId: c.id,
        organizationId: c.organization_id,
        detail: { amountYuan: amount, fundId: input.fundId },
      });
    });
    return input.contractId;
  }

  /** Officers give the final rating (score 0–100, graded A/B/C); the contract is then completed. */
  async rate(contractId: string, score: number): Promise<string> {
    requireRole(this.principal, 'province', 'county');
    checkScore(score, 'score');
    await this.db.transaction(async (m) => {
      const c = await this.activeContract(m, contractId, 'contractId');
      const [{ open }] = await m.query(
        `SELECT count(*)::int AS open FROM contract_milestone WHERE contract_id = $1 AND accepted_at IS NULL`,
        [c.id],
      );
      if (open) throw new ConflictError('contractId', `${open} milestone(s) are not accepted yet.`, 'OPEN_MILESTONES');
      await m.query(
        `UPDATE service_contract SET status = 'COMPLETED', final_score = $2, final_grade = $3, rated_at = now()
         WHERE id = $1`,
        [c.id, score, gradeOf(score)],
      );
      await audit(m, this.principal, {
        action: 'contract.rate',
        entityType: 'ServiceContract',
        entityId: c.id,
        organizationId: c.organization_id,
        detail: { score },
      });
    });
    return contractId;
  }

  /**
   * The purchasing region: given, or the officer's one region; in the officer's scope and overlapping a region the
   * organization serves.
   */
  private async purchasingRegion(orgId: string, requested: string | null | undefined): Promise<string> {
    const code = requested?.trim() || (this.principal.regions.length === 1 ? this.principal.regions[0] : '');
    if (!/^\d{2}(\d{2}){0,2}$/.test(code))
      throw new InputError(
        'input.regionCode',
        'Name the purchasing region: a GB/T 2260 code of 2, 4 or 6 digits.',
        'FORMAT',
      );
    if (!this.principal.regions.some((r) => code.startsWith(r)))
      throw new ForbiddenError(`Region ${code} is outside your scope.`);
    const [serves] = await this.db.query(
      `SELECT 1 FROM organization o, unnest(o.service_region_codes) c WHERE o.id = $1
         AND ($2 LIKE c || '%' OR c LIKE $2 || '%') LIMIT 1`,
      [orgId, code],
    );
    if (!serves) throw new InputError('input.regionCode', 'The organization does not serve this region.', 'NOT_SERVED');
    return code;
  }

  private async activeContract(m: Pick<DataSource, 'query'>, contractId: string, field: string) {
    const c = await scopedRow<{ status: string; budget_yuan: string; region_code: string }>(
      m,
      this.principal,
      'service_contract',
      contractId,
      field,
      { lock: true, what: 'contract', placed: true },
    );
    if (c.status !== 'ACTIVE')
      throw new InputError(field, 'This contract is completed and rated.', 'INVALID_TRANSITION');
    return c;
  }
}
