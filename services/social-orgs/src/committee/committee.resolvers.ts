import type { Resolvers } from '../generated/graphql';
import { required } from '@anju/kit';

export const committeeResolvers: Resolvers = {
  Query: {
    committee: (_, a, ctx) => ctx.loaders.committee.load(a.id),
    committees: (_, a, ctx) => ctx.committees.list(a),
    consultation: (_, a, ctx) => ctx.loaders.consultation.load(a.id),
  },
  Mutation: {
    createCommittee: (_, a, ctx) => ctx.committees.create(a.input),
    addCommitteeMember: async (_, a, ctx) =>
      required(ctx.loaders.committee.load(await ctx.committees.addMember(a.input)), 'committeeId'),
    requestConsultation: (_, a, ctx) => ctx.committees.request(a.input),
    recordConsultationAdvice: (_, a, ctx) => ctx.committees.recordAdvice(a.input),
  },
  ProfessionalCommittee: {
    __resolveReference: (ref, ctx) => ctx.loaders.committee.load(ref.id),
    members: (k, _, ctx) => ctx.loaders.committeeMembers.load(k.id),
    consultations: (k, _, ctx) => ctx.loaders.consultationsByCommittee.load(k.id),
  },
  Consultation: {
    __resolveReference: (ref, ctx) => ctx.loaders.consultation.load(ref.id),
    committee: (c, _, ctx) => ctx.loaders.committee.load(c.committeeId),
    advisers: async (c, _, ctx) => {
      const members = await ctx.loaders.committeeMembers.load(c.committeeId);
      return members.filter((m) => c.advisedBy.includes(m.id));
    },
  },
};
