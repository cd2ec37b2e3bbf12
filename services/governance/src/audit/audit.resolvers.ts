import type { GovernanceContext } from '../context';

export const auditResolvers = {
  Query: {
    auditTrail: (_: unknown, a: { entityType: string; entityId: string; first?: number }, ctx: GovernanceContext) =>
      ctx.audit.trail(a.entityType, a.entityId, a.first),
  },
  Mutation: {},
};
