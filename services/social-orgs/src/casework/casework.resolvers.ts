import type { SocialOrgsContext } from '../context';
import {
  readsCaseNotes,
  type CaseRow,
  type ClosingReason,
  type MemberRole,
  type ReferralRow,
  type SessionRow,
} from './casework.service';

type Ctx = SocialOrgsContext;
type Svc = Ctx['casework'];

export const caseworkResolvers = {
  Query: {
    socialCase: (_: unknown, a: { id: string }, ctx: Ctx) => ctx.loaders.socialCase.load(a.id),
    socialCases: (_: unknown, a: Parameters<Svc['listCases']>[0], ctx: Ctx) => ctx.casework.listCases(a),
    referral: (_: unknown, a: { id: string }, ctx: Ctx) => ctx.loaders.referral.load(a.id),
    overdueReferrals: (_: unknown, a: Parameters<Svc['overdueReferrals']>[0], ctx: Ctx) =>
      ctx.casework.overdueReferrals(a),
    caseSession: async (_: unknown, a: { id: string }, ctx: Ctx) =>
      (await ctx.casework.sessionsByIds([a.id]))[0] ?? null,
  },
  Mutation: {
    openCase: (_: unknown, a: { input: Parameters<Svc['open']>[0] }, ctx: Ctx) => ctx.casework.open(a.input),
    referCase: (_: unknown, a: { input: Parameters<Svc['refer']>[0] }, ctx: Ctx) => ctx.casework.refer(a.input),
    recordReferralOutcome: (_: unknown, a: { referralId: string; outcome: string }, ctx: Ctx) =>
      ctx.casework.recordOutcome(a.referralId, a.outcome),
    closeCase: (_: unknown, a: { caseId: string; summary: string; reason?: ClosingReason | null }, ctx: Ctx) =>
      ctx.casework.close(a.caseId, a.summary, a.reason ?? null),
    recordCaseSession: (_: unknown, a: { input: Parameters<Svc['recordSession']>[0] }, ctx: Ctx) =>
      ctx.casework.recordSession(a.input),
    addCaseMembers: async (
      _: unknown,
      a: { caseId: string; members: { residentId: string; role?: MemberRole | null }[] },
      ctx: Ctx,
    ) => {
      await ctx.casework.addMembers(a.caseId, a.members);
      return ctx.loaders.socialCase.load(a.caseId);
    },
    removeCaseMember: async (_: unknown, a: { caseId: string; residentId: string }, ctx: Ctx) => {
      await ctx.casework.removeMember(a.caseId, a.residentId);
      return ctx.loaders.socialCase.load(a.caseId);
    },
  },
  SocialCase: {
    __resolveReference: (ref: { id: string }, ctx: Ctx) => ctx.loaders.socialCase.load(ref.id),
    worker: (c: CaseRow, _: unknown, ctx: Ctx) => (c.workerId ? ctx.loaders.worker.load(c.workerId) : null),
    referrals: (c: CaseRow, _: unknown, ctx: Ctx) => ctx.loaders.referralsByCase.load(c.id),
    sessions: (c: CaseRow, _: unknown, ctx: Ctx) =>
      readsCaseNotes(ctx.principal) ? ctx.loaders.sessionsByCase.load(c.id) : null,
    members: (c: CaseRow, _: unknown, ctx: Ctx) =>
      readsCaseNotes(ctx.principal) ? ctx.loaders.membersByCase.load(c.id) : null,
  },
  CaseSession: {
    case: (s: SessionRow, _: unknown, ctx: Ctx) => ctx.loaders.socialCase.load(s.caseId),
    worker: (s: SessionRow, _: unknown, ctx: Ctx) => (s.workerId ? ctx.loaders.worker.load(s.workerId) : null),
  },
  Referral: {
    __resolveReference: (ref: { id: string }, ctx: Ctx) => ctx.loaders.referral.load(ref.id),
    case: (f: ReferralRow, _: unknown, ctx: Ctx) => ctx.loaders.socialCase.load(f.caseId),
  },
};
