import type { Resolvers } from '../generated/graphql';
import { lowerEnum } from '@anju/kit';

export const landResolvers: Resolvers = {
  LandKind: lowerEnum('CONTRACTED', 'FOREST', 'HOMESTEAD'),
  LandState: lowerEnum('IDLE', 'LEASED', 'POOLED'),
  OrganizationForm: lowerEnum('COOPERATIVE', 'LEADING_ENTERPRISE', 'WORKSHOP'),
  Query: {
    industryProjects: (_, a, ctx) => ctx.land.projects(a.siteId),
  },
  Mutation: {
    recordLandAsset: (_, a, ctx) => ctx.land.record(a.input),
    updateLandAsset: (_, a, ctx) => ctx.land.update(a.input),
    createIndustryProject: (_, a, ctx) => ctx.land.createProject(a.input),
    linkHouseholdToProject: (_, a, ctx) => ctx.land.link(a.input),
  },
  IndustryProject: {
    links: (p, _, ctx) => ctx.loaders.linksOfProject.load(p.id),
    householdIncomeTotal: async (p, _, ctx) =>
      (await ctx.loaders.linksOfProject.load(p.id)).reduce((sum, l) => sum + l.annualDividend + l.annualWageIncome, 0),
  },
  ProjectLink: {
    project: (l, _, ctx) => ctx.loaders.project.load(l.projectId),
    household: (l) => ({ id: l.householdId }),
    annualIncome: (l) => l.annualDividend + l.annualWageIncome,
  },
  Household: {
    __resolveReference: (ref) => ({ id: ref.id }),
    landAssets: (h, _, ctx) => ctx.loaders.landOfHousehold.load(h.id),
    industryLinks: (h, _, ctx) => ctx.loaders.linksOfHousehold.load(h.id),
  },
};
