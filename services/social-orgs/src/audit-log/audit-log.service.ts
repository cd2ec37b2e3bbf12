import type { DataSource } from 'typeorm';
import { ForbiddenError, InputError, type Principal, isUuid, seqPageArgs } from '@anju/kit';
import { organizationScope } from '../scope';

export interface AuditEntryRow {
  id: string;
  at: string;
  actorSubject: string;
  actorRole: string;
  action: string;
  entityType: string;
  entityId: string;
  organizationId: string | null;
  regionCode: string | null;
  requestId: string | null;
  detail: string;
}

export interface AuditLogFilter {
  organizationId?: string | null;
  entityType?: string | null;
  entityId?: string | null;
}

/**
 * Who reads social-orgs' audit log (审计日志), as SQL over it (alias `a`): an NGO member, the rows
 * of its own organization; province and county officers, rows placed in their regions
 * (`region_code`: a contract's purchasing region, a committee's region) and rows of organizations
 * serving a region inside theirs that carry no region; nobody else.
 */
function auditScope(p: Principal, firstParam: number): { sql: string; params: unknown[] } {
  if (p.role === 'ngo_member') return { sql: `a.organization_id = $${firstParam}::uuid`, params: [p.organizationId] };
  if (p.role === 'province' || p.role === 'county') {
    const orgs = organizationScope(p, firstParam);
    return {
      sql: `(a.region_code LIKE ANY($${firstParam}::text[])
             OR (a.region_code IS NULL AND a.organization_id IN (SELECT o.id FROM organization o WHERE ${orgs.sql})))`,
      params: orgs.params,
    };
  }
  throw new ForbiddenError(
    'The audit log is read by province and county officers, and by an organization for its own rows.',
  );
}

/** Social-orgs' audit log, newest first, in the caller's scope. */
export class AuditLogService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
  ) {}

  async list(filter: AuditLogFilter, first: number | null | undefined, after: string | null | undefined) {
    const scope = auditScope(this.principal, 1);
    const { limit } = seqPageArgs(first, after);
    const params: unknown[] = [...scope.params];
    let where = scope.sql;
    if (filter.organizationId != null) {
      if (!isUuid(filter.organizationId)) throw new InputError('organizationId', 'Not an organization id.', 'FORMAT');
      params.push(filter.organizationId);
      where += ` AND a.organization_id = $${params.length}::uuid`;
    }
    if (filter.entityType != null) {
      params.push(filter.entityType);
      where += ` AND a.entity_type = $${params.length}`;
    }
    if (filter.entityId != null) {
      params.push(filter.entityId);
      where += ` AND a.entity_id = $${params.length}`;
    }
    const [{ count }] = await this.db.query(`SELECT count(*)::int AS count FROM audit_log a WHERE ${where}`, params);
    // Newest first: the cursor is the last id seen, the next page holds smaller ids.
    const rows: AuditEntryRow[] = await this.db.query(
      `SELECT a.id::text, a.at, a.actor_subject AS "actorSubject", a.actor_role AS "actorRole", a.action,
                a.entity_type AS "entityType",
              a.entity_id AS "entityId", a.organization_id AS "organizationId", a.region_code AS "regionCode",
                a.request_id AS "requestId",
              a.detail::text AS detail
         FROM audit_log a WHERE ${where} AND ($${params.length + 1}::bigint IS NULL
           OR a.id < $${params.length + 1}::bigint)
        ORDER BY a.id DESC LIMIT $${params.length + 2}`,
      [...params, after || null, limit + 1],
    );
    const nodes = rows.slice(0, limit).map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
    return { nodes, totalCount: count, endCursor: rows.length > limit ? nodes.at(-1)!.id : null };
  }
}
