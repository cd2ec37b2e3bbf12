import type { SocialOrgsContext } from '../context';
import type { ContractRow } from './contract.service';

type Ctx = SocialOrgsContext;
type Svc = Ctx['contracts'];
/** Mutations return the contract as the caller sees it, after the change. */
const reload = async (ctx: Ctx, id: Promise<string>) => ctx.loaders.contract.load(await id);

export const contractResolvers = {
  Query: {
    serviceContract: (_: unknown, a: { id: string }, ctx: Ctx) => ctx.loaders.contract.load(a.id),
    serviceContracts: (_: unknown, a: Parameters<Svc['list']>[0], ctx: Ctx) => ctx.contracts.list(a),
  },
  Mutation: {
    signServiceContract: (_: unknown, a: { input: Parameters<Svc['sign']>[0] }, ctx: Ctx) =>
      ctx.contracts.sign(a.input),
    submitMilestoneEvidence: (_: unknown, a: { milestoneId: string; evidence: string }, ctx: Ctx) =>
      reload(ctx, ctx.contracts.submitEvidence(a.milestoneId, a.evidence)),
    acceptMilestone: (_: unknown, a: { milestoneId: string }, ctx: Ctx) =>
      reload(ctx, ctx.contracts.acceptMilestone(a.milestoneId)),
    recordContractPayment: (_: unknown, a: { input: Parameters<Svc['recordPayment']>[0] }, ctx: Ctx) =>
      reload(ctx, ctx.contracts.recordPayment(a.input)),
    rateServiceContract: (_: unknown, a: { contractId: string; score: number }, ctx: Ctx) =>
      reload(ctx, ctx.contracts.rate(a.contractId, a.score)),
  },
  ServiceContract: {
    __resolveReference: (ref: { id: string }, ctx: Ctx) => ctx.loaders.contract.load(ref.id),
    organization: (c: ContractRow, _: unknown, ctx: Ctx) => ctx.loaders.organization.load(c.organizationId),
    milestones: (c: ContractRow, _: unknown, ctx: Ctx) => ctx.loaders.milestones.load(c.id),
    payments: (c: ContractRow, _: unknown, ctx: Ctx) => ctx.loaders.payments.load(c.id),
  },
};
