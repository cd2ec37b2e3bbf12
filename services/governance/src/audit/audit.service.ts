import type { DataSource } from 'typeorm';
import { placeFilter, requireRole, type Principal, pageSize } from '@anju/kit';

export class AuditService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
  ) {}

  /** The trail of one record, newest first, in the caller's scope. */
  async trail(entityType: string, entityId: string, first: number | null | undefined) {
    requireRole(this.principal, 'province', 'county', 'site_officer');
    const scope = placeFilter(this.principal, { site: 'a.site_id', region: 'a.region_code' }, 4);
    const rows = await this.db.query(
      `SELECT a.id::text, a.at, a.actor_subject AS "actorSubject", a.actor_role AS "actorRole", a.action,
                a.entity_type AS "entityType",
              a.entity_id AS "entityId", a.request_id AS "requestId", a.detail::text AS detail
         FROM audit_log a WHERE a.entity_type = $1 AND a.entity_id = $2 AND ${scope.sql} ORDER BY a.id DESC LIMIT $3`,
      [entityType, entityId, pageSize(first), ...scope.params],
    );
    return rows.map((r: { at: Date }) => ({ ...r, at: new Date(r.at).toISOString() }));
  }
}
