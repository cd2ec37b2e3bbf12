import type { DataSource } from 'typeorm';
import {
  ConflictError,
  InputError,
  NotFoundError,
  requireRole,
  type Principal,
  uuidsOf,
  audit,
  isoSql,
  isUuid,
  requireText,
} from '@anju/kit';
import { organizationScope, ownedScope } from '../scope';
import type { IncubationStage } from '../organization/organization.types';
import { canAdvance, INCUBATION_NEXT } from './incubation.rules';

export interface IncubationStepRow {
  id: string;
  organizationId: string;
  fromStage: IncubationStage;
  toStage: IncubationStage;
  support: string;
  fundingYuan: number | null;
  recordedAt: string;
}

const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

export class IncubationService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
  ) {}

  /** Steps of many organizations at once, oldest first. */
  stepsByOrganizations(orgIds: readonly string[]): Promise<IncubationStepRow[]> {
    const s = ownedScope(this.principal, 'i.organization_id', 2);
    return this.db.query(
      `SELECT i.id, i.organization_id AS "organizationId", i.from_stage AS "fromStage", i.to_stage AS "toStage",
           i.support,
         i.funding_yuan::float8 AS "fundingYuan", ${isoSql('i.recorded_at')} AS "recordedAt"
       FROM incubation_step i WHERE i.organization_id = ANY($1::uuid[]) AND ${s.sql} ORDER BY i.seq`,
      [uuidsOf(orgIds), ...s.params],
    );
  }

  /**
   * Moves an organization to the next incubation stage and records the government's support
   * (venue, training, funding). Province and county officers only; registering needs the
   * unified social credit code.
   */
  async advance(input: {
    organizationId: string;
    to: IncubationStage;
    support: string;
    fundingYuan?: number | null;
    creditCode?: string | null;
  }): Promise<string> {
    requireRole(this.principal, 'province', 'county');
    const support = requireText(input.support, 'input.support', 1000);
    if (
      input.fundingYuan != null &&
      !(Number.isFinite(input.fundingYuan) && input.fundingYuan >= 0 && input.fundingYuan < 1e12)
    ) {
      throw new InputError('input.fundingYuan', 'Funding is an amount in yuan, zero or more.', 'RANGE');
    }
    const credit = input.creditCode?.trim().toUpperCase() || null;
    if (credit && !CREDIT_CODE.test(credit))
      throw new InputError('input.creditCode', 'A unified social credit code has 18 characters (GB 32100).', 'FORMAT');
    await this.db.transaction(async (m) => {
      const sc = organizationScope(this.principal, 2);
      const [org]: { stage: IncubationStage; credit_code: string | null }[] = isUuid(input.organizationId)
        ? await m.query(`SELECT o.stage, o.credit_code FROM organization o WHERE o.id = $1 AND ${sc.sql} FOR UPDATE`, [
            input.organizationId,
            ...sc.params,
          ])
        : [];
      if (!org) throw new NotFoundError('input.organizationId', 'No such organization in your scope.');
      if (credit) {
        const taken = await m.query(`SELECT 1 FROM organization WHERE credit_code = $1 AND id <> $2`, [
          credit,
          input.organizationId,
        ]);
        if (taken.length)
          throw new ConflictError('input.creditCode', 'Another organization holds this credit code.', 'DUPLICATE');
      }
      if (!canAdvance(org.stage, input.to)) {
        const next = INCUBATION_NEXT[org.stage];
        throw new InputError(
          'input.to',
          `An organization that is ${org.stage} can move only to ${next ?? 'no further stage'}.`,
          'INVALID_TRANSITION',
        );
      }
      const creditCode = credit ?? org.credit_code;
      if (input.to === 'registered' && !creditCode)
        throw new InputError(
          'input.creditCode',
          'Registering with civil affairs needs the unified social credit code.',
          'REQUIRED',
        );
      await m.query(`UPDATE organization SET stage = $2, credit_code = $3 WHERE id = $1`, [
        input.organizationId,
        input.to,
        creditCode,
      ]);
      await m.query(
        `INSERT INTO incubation_step (organization_id, from_stage, to_stage, support, funding_yuan, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [input.organizationId, org.stage, input.to, support, input.fundingYuan ?? null, this.principal.subject],
      );
      await audit(m, this.principal, {
        action: 'organization.advance_incubation',
        entityType: 'SocialOrganization',
        entityId: input.organizationId,
        organizationId: input.organizationId,
        detail: { from: org.stage, to: input.to },
      });
    });
    return input.organizationId;
  }
}
