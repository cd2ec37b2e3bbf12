import type { EntityManager } from 'typeorm';
import { audit, type Principal } from '@anju/kit';

/**
 * The audit row of an employment write, in the transaction of the change: the record (its type is
 * the action's first word), its place, and for a resident's or household's record whose it is —
 * an officer or grid worker acting on the resident's behalf.
 */
export function auditWrite(
  m: EntityManager,
  p: Principal,
  action: string,
  row: { id: string; siteId: string; regionCode: string; residentId?: string | null; householdId?: string | null },
  detail: Record<string, unknown> = {},
): Promise<void> {
  return audit(m, p, {
    action,
    entityType: action.split('.')[0],
    entityId: row.id,
    siteId: row.siteId,
    regionCode: row.regionCode,
    detail: {
      ...(row.residentId ? { residentId: row.residentId } : {}),
      ...(row.householdId ? { householdId: row.householdId } : {}),
      ...detail,
    },
  });
}
