import type { Resolvers } from '../generated/graphql';
import { required } from '@anju/kit';
import type { SocialOrgsContext } from '../context';

type Ctx = SocialOrgsContext;
/** Mutations return the contract as the caller sees it, after the change. */
const reload = async (ctx: Ctx, id: Promise<string>) => required(ctx.loaders.contract.load(await id), 'contractId');

export const contractResolvers: Resolvers = {
  Query: {
    serviceContract: (_, a, ctx) => ctx.loaders.contract.load(a.id),
    serviceContracts: (_, a, ctx) => ctx.contracts.list(a),
  },
  Mutation: {
    signServiceContract: (_, a, ctx) => ctx.contracts.sign(a.input),
    submitMilestoneEvidence: (_, a, ctx) => reload(ctx, ctx.contracts.submitEvidence(a.milestoneId, a.evidence)),
    acceptMilestone: (_, a, ctx) => reload(ctx, ctx.contracts.acceptMilestone(a.milestoneId)),
    recordContractPayment: (_, a, ctx) => reload(ctx, ctx.contracts.recordPayment(a.input)),
    rateServiceContract: (_, a, ctx) => reload(ctx, ctx.contracts.rate(a.contractId, a.score)),
  },
  ServiceContract: {
    __resolveReference: (ref, ctx) => ctx.loaders.contract.load(ref.id),
    organization: (c, _, ctx) => ctx.loaders.organization.load(c.organizationId),
    milestones: (c, _, ctx) => ctx.loaders.milestones.load(c.id),
    payments: (c, _, ctx) => ctx.loaders.payments.load(c.id),
  },
};
