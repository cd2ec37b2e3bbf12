import type { Resolvers } from '../generated/graphql';
import { required } from '@anju/kit';
import { readsCaseNotes } from './casework.service';

export const caseworkResolvers: Resolvers = {
  Query: {
    socialCase: (_, a, ctx) => ctx.loaders.socialCase.load(a.id),
    socialCases: (_, a, ctx) => ctx.casework.listCases(a),
    referral: (_, a, ctx) => ctx.loaders.referral.load(a.id),
    overdueReferrals: (_, a, ctx) => ctx.casework.overdueReferrals(a),
    caseSession: async (_, a, ctx) => (await ctx.casework.sessionsByIds([a.id]))[0] ?? null,
  },
  Mutation: {
    openCase: (_, a, ctx) => ctx.casework.open(a.input),
    referCase: (_, a, ctx) => ctx.casework.refer(a.input),
    recordReferralOutcome: (_, a, ctx) => ctx.casework.recordOutcome(a.referralId, a.outcome),
    closeCase: (_, a, ctx) => ctx.casework.close(a.caseId, a.summary, a.reason ?? null),
    recordCaseSession: (_, a, ctx) => ctx.casework.recordSession(a.input),
    addCaseMembers: async (_, a, ctx) => {
      await ctx.casework.addMembers(a.caseId, a.members);
      return required(ctx.loaders.socialCase.load(a.caseId), 'caseId');
    },
    removeCaseMember: async (_, a, ctx) => {
      await ctx.casework.removeMember(a.caseId, a.residentId);
      return required(ctx.loaders.socialCase.load(a.caseId), 'caseId');
    },
  },
  SocialCase: {
    __resolveReference: (ref, ctx) => ctx.loaders.socialCase.load(ref.id),
    worker: (c, _, ctx) => (c.workerId ? ctx.loaders.worker.load(c.workerId) : null),
    referrals: (c, _, ctx) => ctx.loaders.referralsByCase.load(c.id),
    sessions: (c, _, ctx) => (readsCaseNotes(ctx.principal) ? ctx.loaders.sessionsByCase.load(c.id) : null),
    members: (c, _, ctx) => (readsCaseNotes(ctx.principal) ? ctx.loaders.membersByCase.load(c.id) : null),
  },
  CaseSession: {
    case: (s, _, ctx) => ctx.loaders.socialCase.load(s.caseId),
    worker: (s, _, ctx) => (s.workerId ? ctx.loaders.worker.load(s.workerId) : null),
  },
  Referral: {
    __resolveReference: (ref, ctx) => ctx.loaders.referral.load(ref.id),
    case: (f, _, ctx) => ctx.loaders.socialCase.load(f.caseId),
  },
};
