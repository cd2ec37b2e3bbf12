import type { Resolvers } from '../generated/graphql';

export const auditLogResolvers: Resolvers = {
  Query: {
    auditLog: (_, a, ctx) => ctx.auditLog.list(a, a.first, a.after),
  },
};
