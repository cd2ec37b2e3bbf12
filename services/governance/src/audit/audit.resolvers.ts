import type { Resolvers } from '../generated/graphql';

export const auditResolvers: Resolvers = {
  Query: {
    auditTrail: (_, a, ctx) => ctx.audit.trail(a.entityType, a.entityId, a.first),
  },
  Mutation: {},
};
