import type { SocialOrgsContext } from '../context';
import type { CommitteeRow, ConsultationRow } from './committee.service';

type Ctx = SocialOrgsContext;
type Svc = Ctx['committees'];

export const committeeResolvers = {
  Query: {
    committee: (_: unknown, a: { id: string }, ctx: Ctx) => ctx.loaders.committee.load(a.id),
    committees: (_: unknown, a: Parameters<Svc['list']>[0], ctx: Ctx) => ctx.committees.list(a),
    consultation: (_: unknown, a: { id: string }, ctx: Ctx) => ctx.loaders.consultation.load(a.id),
  },
  Mutation: {
    createCommittee: (_: unknown, a: { input: Parameters<Svc['create']>[0] }, ctx: Ctx) =>
      ctx.committees.create(a.input),
    addCommitteeMember: async (_: unknown, a: { input: Parameters<Svc['addMember']>[0] }, ctx: Ctx) =>
      ctx.loaders.committee.load(await ctx.committees.addMember(a.input)),
    requestConsultation: (_: unknown, a: { input: Parameters<Svc['request']>[0] }, ctx: Ctx) =>
      ctx.committees.request(a.input),
    recordConsultationAdvice: (_: unknown, a: { input: Parameters<Svc['recordAdvice']>[0] }, ctx: Ctx) =>
      ctx.committees.recordAdvice(a.input),
  },
  ProfessionalCommittee: {
    __resolveReference: (ref: { id: string }, ctx: Ctx) => ctx.loaders.committee.load(ref.id),
    members: (k: CommitteeRow, _: unknown, ctx: Ctx) => ctx.loaders.committeeMembers.load(k.id),
    consultations: (k: CommitteeRow, _: unknown, ctx: Ctx) => ctx.loaders.consultationsByCommittee.load(k.id),
  },
  Consultation: {
    __resolveReference: (ref: { id: string }, ctx: Ctx) => ctx.loaders.consultation.load(ref.id),
    committee: (c: ConsultationRow, _: unknown, ctx: Ctx) => ctx.loaders.committee.load(c.committeeId),
    advisers: async (c: ConsultationRow, _: unknown, ctx: Ctx) => {
      const members = await ctx.loaders.committeeMembers.load(c.committeeId);
      return members.filter((m) => c.advisedBy.includes(m.id));
    },
  },
};
