import type { SocialOrgsContext } from '../context';
import type { AuditLogFilter } from './audit-log.service';

export const auditLogResolvers = {
  Query: {
    auditLog: (_: unknown, a: AuditLogFilter & { first?: number; after?: string }, ctx: SocialOrgsContext) =>
      ctx.auditLog.list(a, a.first, a.after),
  },
};
