import type { SocialOrgsContext } from '../context';
import type { CaseRow, ReferralRow } from './casework.service';

type Ctx = SocialOrgsContext;
type Svc = Ctx['casework'];

export const caseworkResolvers = {
  Query: {
    socialCase: (_: unknown, a: { id: string }, ctx: Ctx) => ctx.loaders.socialCase.load(a.id),
    socialCases: (_: unknown, a: Parameters<Svc['listCases']>[0], ctx: Ctx) => ctx.casework.listCases(a),
    referral: (_: unknown, a: { id: string }, ctx: Ctx) => ctx.loaders.referral.load(a.id),
    overdueReferrals: (_: unknown, a: Parameters<Svc['overdueReferrals']>[0], ctx: Ctx) => ctx.casework.overdueReferrals(a),
  },
  Mutation: {
    openCase: (_: unknown, a: { input: Parameters<Svc['open']>[0] }, ctx: Ctx) => ctx.casework.open(a.input),
    referCase: (_: unknown, a: { input: Parameters<Svc['refer']>[0] }, ctx: Ctx) => ctx.casework.refer(a.input),
    recordReferralOutcome: (_: unknown, a: { referralId: string; outcome: string }, ctx: Ctx) => ctx.casework.recordOutcome(a.referralId, a.outcome),
    closeCase: (_: unknown, a: { caseId: string; summary: string }, ctx: Ctx) => ctx.casework.close(a.caseId, a.summary),
  },
  SocialCase: {
    __resolveReference: (ref: { id: string }, ctx: Ctx) => ctx.loaders.socialCase.load(ref.id),
    worker: (c: CaseRow, _: unknown, ctx: Ctx) => (c.workerId ? ctx.loaders.worker.load(c.workerId) : null),
    referrals: (c: CaseRow, _: unknown, ctx: Ctx) => ctx.loaders.referralsByCase.load(c.id),
  },
  Referral: {
    __resolveReference: (ref: { id: string }, ctx: Ctx) => ctx.loaders.referral.load(ref.id),
    case: (f: ReferralRow, _: unknown, ctx: Ctx) => ctx.loaders.socialCase.load(f.caseId),
  },
};
