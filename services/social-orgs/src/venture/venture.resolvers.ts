import type { Resolvers } from '../generated/graphql';
import { required } from '@anju/kit';
import type { SocialOrgsContext } from '../context';

type Ctx = SocialOrgsContext;
const reload = async (ctx: Ctx, id: Promise<string>) =>
  required(ctx.loaders.ventureApplication.load(await id), 'applicationId');

export const ventureResolvers: Resolvers = {
  Query: {
    ventureCall: (_, a, ctx) => ctx.loaders.ventureCall.load(a.id),
    ventureCalls: (_, a, ctx) => ctx.venture.listCalls(a),
    ventureApplication: (_, a, ctx) => ctx.loaders.ventureApplication.load(a.id),
  },
  Mutation: {
    openVentureCall: (_, a, ctx) => ctx.venture.openCall(a.input),
    applyToVentureCall: (_, a, ctx) => ctx.venture.apply(a.input),
    reviewVentureApplication: (_, a, ctx) => reload(ctx, ctx.venture.review(a.input)),
    publishVentureNotice: (_, a, ctx) => reload(ctx, ctx.venture.publishNotice(a.applicationId, a.noticeEndsOn)),
    fundVentureApplication: (_, a, ctx) => reload(ctx, ctx.venture.fund(a.applicationId, a.amountYuan, a.fundId)),
    rejectVentureApplication: (_, a, ctx) => reload(ctx, ctx.venture.reject(a.applicationId)),
    evaluateVentureProject: (_, a, ctx) => reload(ctx, ctx.venture.evaluate(a.input)),
  },
  VentureCall: {
    __resolveReference: (ref, ctx) => ctx.loaders.ventureCall.load(ref.id),
    applications: (c, _, ctx) => ctx.loaders.applicationsByCall.load(c.id),
  },
  VentureApplication: {
    __resolveReference: (ref, ctx) => ctx.loaders.ventureApplication.load(ref.id),
    call: (a, _, ctx) => ctx.loaders.ventureCall.load(a.callId),
  },
};
