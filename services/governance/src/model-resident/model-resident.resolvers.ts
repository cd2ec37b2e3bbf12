import type { Resolvers } from '../generated/graphql';
import { required } from '@anju/kit';

export const modelResidentResolvers: Resolvers = {
  ModelResidentStatus: { NOMINATED: 'nominated', RECOGNIZED: 'recognized', REJECTED: 'rejected' },
  Query: {
    modelResidents: (_, a, ctx) => ctx.modelResidents.list(a.siteId, a.status, a.year),
  },
  Mutation: {
    nominateModelResident: (_, a, ctx) => ctx.modelResidents.nominate(a.input),
    decideModelResident: (_, a, ctx) => ctx.modelResidents.decide(a.id, a.recognize, a.note),
  },
  ModelResident: {
    resident: (m, _, ctx) => ctx.loaders.resident.load(m.residentId),
    site: (m, _, ctx) => required(ctx.loaders.site.load(m.siteId), 'siteId'),
    nominatedAt: (m) => new Date(m.nominatedAt).toISOString(),
    decidedAt: (m) => (m.decidedAt ? new Date(m.decidedAt).toISOString() : null),
  },
};
