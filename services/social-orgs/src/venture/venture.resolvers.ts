import type { SocialOrgsContext } from '../context';
import type { ApplicationRow, CallRow } from './venture.service';

type Ctx = SocialOrgsContext;
type Svc = Ctx['venture'];
const reload = async (ctx: Ctx, id: Promise<string>) => ctx.loaders.ventureApplication.load(await id);

export const ventureResolvers = {
  Query: {
    ventureCall: (_: unknown, a: { id: string }, ctx: Ctx) => ctx.loaders.ventureCall.load(a.id),
    ventureCalls: (_: unknown, a: Parameters<Svc['listCalls']>[0], ctx: Ctx) => ctx.venture.listCalls(a),
    ventureApplication: (_: unknown, a: { id: string }, ctx: Ctx) => ctx.loaders.ventureApplication.load(a.id),
  },
  Mutation: {
    openVentureCall: (_: unknown, a: { input: Parameters<Svc['openCall']>[0] }, ctx: Ctx) =>
      ctx.venture.openCall(a.input),
    applyToVentureCall: (_: unknown, a: { input: Parameters<Svc['apply']>[0] }, ctx: Ctx) => ctx.venture.apply(a.input),
    reviewVentureApplication: (_: unknown, a: { input: Parameters<Svc['review']>[0] }, ctx: Ctx) =>
      reload(ctx, ctx.venture.review(a.input)),
    publishVentureNotice: (_: unknown, a: { applicationId: string; noticeEndsOn: string }, ctx: Ctx) =>
      reload(ctx, ctx.venture.publishNotice(a.applicationId, a.noticeEndsOn)),
    fundVentureApplication: (_: unknown, a: { applicationId: string; amountYuan: number; fundId: string }, ctx: Ctx) =>
      reload(ctx, ctx.venture.fund(a.applicationId, a.amountYuan, a.fundId)),
    rejectVentureApplication: (_: unknown, a: { applicationId: string }, ctx: Ctx) =>
      reload(ctx, ctx.venture.reject(a.applicationId)),
    evaluateVentureProject: (_: unknown, a: { input: Parameters<Svc['evaluate']>[0] }, ctx: Ctx) =>
      reload(ctx, ctx.venture.evaluate(a.input)),
  },
  VentureCall: {
    __resolveReference: (ref: { id: string }, ctx: Ctx) => ctx.loaders.ventureCall.load(ref.id),
    applications: (c: CallRow, _: unknown, ctx: Ctx) => ctx.loaders.applicationsByCall.load(c.id),
  },
  VentureApplication: {
    __resolveReference: (ref: { id: string }, ctx: Ctx) => ctx.loaders.ventureApplication.load(ref.id),
    call: (a: ApplicationRow, _: unknown, ctx: Ctx) => ctx.loaders.ventureCall.load(a.callId),
  },
};
