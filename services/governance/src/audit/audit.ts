import type { EntityManager } from 'typeorm';
import { currentRequestId, type Principal } from '@anju/kit';

export interface AuditRecord {
  /** What was done, e.g. `resident.update`, `resident.reveal_contact`. */
  action: string;
  entityType: string;
  entityId: string;
  siteId?: string | null;
  regionCode?: string | null;
  /** Field names and ids only — never personal data in clear. */
  detail?: Record<string, unknown>;
}

/**
 * Writes one audit row (who, what, when, request id) through the transaction of the change, so a
 * change without its audit row cannot commit.
 */
export async function audit(m: Pick<EntityManager, 'query'>, p: Principal, rec: AuditRecord): Promise<void> {
  await m.query(
    `INSERT INTO audit_log (actor_subject, actor_role, action, entity_type, entity_id, site_id, region_code, request_id, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [p.subject, p.role, rec.action, rec.entityType, rec.entityId, rec.siteId ?? null, rec.regionCode ?? null, currentRequestId() ?? null, JSON.stringify(rec.detail ?? {})],
  );
}

/** Rows of an UPDATE … RETURNING through TypeORM's postgres driver, which answers `[rows, count]`. */
export function returning<T>(result: unknown): T[] {
  const r = result as unknown[];
  return (Array.isArray(r) && r.length === 2 && Array.isArray(r[0]) && typeof r[1] === 'number' ? r[0] : r) as T[];
}
