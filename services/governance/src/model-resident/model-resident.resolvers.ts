import type { GovernanceContext } from '../context';
import type { ModelResidentRow } from './model-resident.service';

type Status = 'nominated' | 'recognized' | 'rejected';

export const modelResidentResolvers = {
  ModelResidentStatus: { NOMINATED: 'nominated', RECOGNIZED: 'recognized', REJECTED: 'rejected' },
  Query: {
    modelResidents: (_: unknown, a: { siteId: string; status?: Status; year?: number }, ctx: GovernanceContext) =>
      ctx.modelResidents.list(a.siteId, a.status, a.year),
  },
  Mutation: {
    nominateModelResident: (
      _: unknown,
      a: { input: { residentId: string; title: string; reason: string; year: number } },
      ctx: GovernanceContext,
    ) => ctx.modelResidents.nominate(a.input),
    decideModelResident: (_: unknown, a: { id: string; recognize: boolean; note?: string }, ctx: GovernanceContext) =>
      ctx.modelResidents.decide(a.id, a.recognize, a.note),
  },
  ModelResident: {
    resident: (m: ModelResidentRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.resident.load(m.residentId),
    site: (m: ModelResidentRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.site.load(m.siteId),
    nominatedAt: (m: ModelResidentRow) => new Date(m.nominatedAt).toISOString(),
    decidedAt: (m: ModelResidentRow) => (m.decidedAt ? new Date(m.decidedAt).toISOString() : null),
  },
};
