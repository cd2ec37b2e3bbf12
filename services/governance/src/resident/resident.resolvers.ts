import { ageOn } from '@anju/kit';
import type { GovernanceContext } from '../context';
import type { RegisterResidentInput, ResidentRow } from './resident.service';

export const residentResolvers = {
  Query: {
    resident: (_: unknown, args: { id: string }, ctx: GovernanceContext) => ctx.loaders.resident.load(args.id),
    residents: (_: unknown, args: { siteId: string; search?: string; first?: number; after?: string }, ctx: GovernanceContext) =>
      ctx.residents.list(args.siteId, args.search, args.first, args.after),
  },
  Mutation: {
    registerResident: (_: unknown, args: { input: RegisterResidentInput }, ctx: GovernanceContext) => ctx.residents.register(args.input),
  },
  Resident: {
    __resolveReference: (ref: { id: string }, ctx: GovernanceContext) => ctx.loaders.resident.load(ref.id),
    age: (r: ResidentRow) => ageOn(r.birthDate),
    household: (r: ResidentRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.household.load(r.householdId),
    site: (r: ResidentRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.site.load(r.siteId),
    registeredAt: (r: ResidentRow) => new Date(r.registeredAt).toISOString(),
  },
};
