import type { EntityManager } from 'typeorm';
import { currentRequestId, type Principal } from '@anju/kit';

export interface AuditRecord {
  /** What was done, e.g. `activity.check_in`, `social_worker.exit`. */
  action: string;
  entityType: string;
  entityId: string;
  /** The organization whose record it is, if any. */
  organizationId?: string | null;
  /** Ids and field names only — never personal data in clear. */
  detail?: Record<string, unknown>;
}

/** One audit row (who, what, when, request id) through the transaction of the change: no change commits without it. */
export async function audit(m: Pick<EntityManager, 'query'>, p: Principal, rec: AuditRecord): Promise<void> {
  await m.query(
    `INSERT INTO audit_log (actor_subject, actor_role, action, entity_type, entity_id, organization_id, request_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [p.subject, p.role, rec.action, rec.entityType, rec.entityId, rec.organizationId ?? null, currentRequestId() ?? null, JSON.stringify(rec.detail ?? {})],
  );
}
