import type { Resolvers } from '../generated/graphql';
import { ForbiddenError, NotFoundError, audit, requireRole, pageSize, isUuid } from '@anju/kit';
import { candidatesFor, runBatch } from './match.service';

export const matchResolvers: Resolvers = {
  Query: {
    candidates: async (_, args, ctx) => {
      const p = ctx.principal;
      if (!['province', 'county', 'site_officer', 'grid_worker', 'unit_member'].includes(p.role))
        throw new ForbiddenError('Officers and regional units rank candidates.');
      if (!isUuid(args.demandId) || !(await ctx.loaders.demand.load(args.demandId)))
        throw new NotFoundError('demandId', 'No such demand.');
      return candidatesFor(ctx.db, args.demandId, ctx.clock.now(), pageSize(args.limit, 10, 50));
    },
  },
  Mutation: {
    runBatchMatch: async (_, __, ctx) => {
      requireRole(ctx.principal, 'province');
      return ctx.db.transaction(async (m) => {
        const run = await runBatch(m, ctx.clock.now());
        await audit(m, ctx.principal, {
          action: 'batch_match.run',
          entityType: 'batch_match',
          entityId: ctx.requestId,
          detail: { demands: run.demands, volunteers: run.volunteers, assigned: run.assigned },
        });
        return run;
      });
    },
  },
  Candidate: {
    volunteer: (c, _, ctx) => ctx.loaders.volunteer.load(c.volunteerId),
  },
};
