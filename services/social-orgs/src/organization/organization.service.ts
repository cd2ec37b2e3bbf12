import type { DataSource } from 'typeorm';
import {
  ConflictError,
  ForbiddenError,
  InputError,
  requireRole,
  type Principal,
  uuidsOf,
  audit,
  pageSize,
} from '@anju/kit';
import type { IncubationStage, OrganizationKind } from './organization.types';
import { organizationScope } from '../scope';

export interface OrganizationRow {
  id: string;
  name: string;
  kind: OrganizationKind;
  stage: IncubationStage;
  serviceRegionCodes: string[];
  creditCode: string | null;
  registeredAt: Date;
}

const COLUMNS = `o.id, o.name, o.kind, o.stage, o.service_region_codes AS "serviceRegionCodes",
                   o.credit_code AS "creditCode", o.registered_at AS "registeredAt"`;

export class OrganizationService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
  ) {}

  byIds(ids: readonly string[]): Promise<OrganizationRow[]> {
    const s = organizationScope(this.principal, 2);
    return this.db.query(`SELECT ${COLUMNS} FROM organization o WHERE o.id = ANY($1::uuid[]) AND ${s.sql}`, [
      uuidsOf(ids),
      ...s.params,
    ]);
  }

  async list(first: number | null | undefined, after: string | null | undefined) {
    const limit = pageSize(first);
    const s = organizationScope(this.principal, 1);
    const n = s.params.length;
    // One round trip: the count runs over every organization in scope (a province has a few
    // hundred, 8 pages), before the cursor cuts the page; a page past the end still has its row.
    // The scope is tested once (materialized): paging by the name index tested it again on every
    // row it passed, a heap visit each — a county with 5 of the province's 354 read 344 buffers, now 8.
    const rows: (OrganizationRow & { totalCount: number })[] = await this.db.query(
      `WITH in_scope AS MATERIALIZED (SELECT ${COLUMNS} FROM organization o WHERE ${s.sql})
       SELECT p.*, t.total AS "totalCount"
         FROM (SELECT count(*)::int AS total FROM in_scope) t
         LEFT JOIN LATERAL (SELECT * FROM in_scope o
           WHERE $${n + 1}::text IS NULL OR o.name > $${n + 1} ORDER BY o.name LIMIT $${n + 2}) p ON true`,
      [...s.params, after ?? null, limit + 1],
    );
    const count = rows[0]?.totalCount ?? 0;
    const nodes: OrganizationRow[] = rows
      .filter((r) => r.id !== null)
      .slice(0, limit)
      .map(({ totalCount: _t, ...row }) => row);
    return {
      nodes,
      totalCount: count,
      endCursor: rows.length > limit && nodes.length === limit ? nodes.at(-1)!.name : null,
    };
  }

  async register(input: {
    name: string;
    kind: OrganizationKind;
    serviceRegionCodes: string[];
    creditCode?: string | null;
  }): Promise<OrganizationRow> {
    requireRole(this.principal, 'province', 'county');
    const name = input.name.trim();
    if (!name || name.length > 100) throw new InputError('input.name', 'An organization name has 1 to 100 characters.');
    const codes = [...new Set(input.serviceRegionCodes.map((c) => c.trim()))];
    if (!codes.length)
      throw new InputError('input.serviceRegionCodes', 'Name at least one region the organization serves.');
    const bad = codes.find((c) => !/^\d{4}(\d{2})?$/.test(c));
    if (bad)
      throw new InputError(
        'input.serviceRegionCodes',
        `${bad} is not a prefecture (4-digit) or county (6-digit) code.`,
        'FORMAT',
      );
    const outside = codes.find((c) => !this.principal.regions.some((r) => c.startsWith(r)));
    if (outside) throw new ForbiddenError(`Region ${outside} is outside your scope.`);
    const credit = input.creditCode?.trim().toUpperCase() || null;
    if (credit && !/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(credit)) {
      throw new InputError('input.creditCode', 'A unified social credit code has 18 characters (GB 32100).', 'FORMAT');
    }
    return this.db.transaction(async (m) => {
      const rows: OrganizationRow[] = await m.query(
        `INSERT INTO organization AS o (name, kind, service_region_codes, credit_code, stage)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
        [name, input.kind, codes, credit, credit ? 'registered' : 'applied'],
      );
      if (!rows.length)
        throw new ConflictError(
          'input.name',
          'An organization with this name or credit code is already registered.',
          'DUPLICATE',
        );
      await audit(m, this.principal, {
        action: 'organization.register',
        entityType: 'SocialOrganization',
        entityId: rows[0].id,
        organizationId: rows[0].id,
      });
      return rows[0];
    });
  }
}
