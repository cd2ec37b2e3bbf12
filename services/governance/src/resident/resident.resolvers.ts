import { ageByYear } from '@anju/kit';
import type { GovernanceContext } from '../context';
import type { RegisterResidentInput, ResidentFilter, ResidentRow, UpdateResidentInput } from './resident.service';

export const residentResolvers = {
  Query: {
    resident: (_: unknown, args: { id: string }, ctx: GovernanceContext) => ctx.loaders.resident.load(args.id),
    residents: (
      _: unknown,
      args: { siteId?: string | null; filter?: ResidentFilter | null; search?: string; first?: number; after?: string },
      ctx: GovernanceContext,
    ) => ctx.residents.list(args.siteId, args.search, args.first, args.after, args.filter ?? {}),
  },
  Mutation: {
    registerResident: (_: unknown, args: { input: RegisterResidentInput }, ctx: GovernanceContext) =>
      ctx.residents.register(args.input),
    updateResident: (_: unknown, args: { id: string; input: UpdateResidentInput }, ctx: GovernanceContext) =>
      ctx.residents.update(args.id, args.input),
    moveOutResident: (
      _: unknown,
      args: { id: string; input: { movedOutOn: string; reason: string } },
      ctx: GovernanceContext,
    ) => ctx.residents.moveOut(args.id, args.input),
    findResidentByNationalId: (_: unknown, args: { nationalId: string; reason: string }, ctx: GovernanceContext) =>
      ctx.residents.findByNationalId(args.nationalId, args.reason),
    revealResidentContact: (_: unknown, args: { id: string; reason: string }, ctx: GovernanceContext) =>
      ctx.residents.revealContact(args.id, args.reason),
  },
  Resident: {
    __resolveReference: (ref: { id: string }, ctx: GovernanceContext) => ctx.loaders.resident.load(ref.id),
    age: (r: ResidentRow, _: unknown, ctx: GovernanceContext) => ageByYear(r.birthDate, ctx.clock.now()),
    household: (r: ResidentRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.household.load(r.householdId),
    site: (r: ResidentRow, _: unknown, ctx: GovernanceContext) => ctx.loaders.site.load(r.siteId),
    registeredAt: (r: ResidentRow) => new Date(r.registeredAt).toISOString(),
    building: async (r: ResidentRow, _: unknown, ctx: GovernanceContext) => {
      const h = await ctx.loaders.household.load(r.householdId);
      return h?.buildingId ? ctx.loaders.building.load(h.buildingId) : null;
    },
  },
};
