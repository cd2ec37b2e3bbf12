import type { EmploymentContext } from '../context';
import { lowerEnum } from '../enums';
import type { LinkInput, LinkRow, ProjectInput, ProjectRow, RecordLandInput, UpdateLandInput } from './land.service';

export const landResolvers = {
  LandKind: lowerEnum('CONTRACTED', 'FOREST', 'HOMESTEAD'),
  LandState: lowerEnum('IDLE', 'LEASED', 'POOLED'),
  OrganizationForm: lowerEnum('COOPERATIVE', 'LEADING_ENTERPRISE', 'WORKSHOP'),
  Query: {
    industryProjects: (_: unknown, a: { siteId: string }, ctx: EmploymentContext) => ctx.land.projects(a.siteId),
  },
  Mutation: {
    recordLandAsset: (_: unknown, a: { input: RecordLandInput }, ctx: EmploymentContext) => ctx.land.record(a.input),
    updateLandAsset: (_: unknown, a: { input: UpdateLandInput }, ctx: EmploymentContext) => ctx.land.update(a.input),
    createIndustryProject: (_: unknown, a: { input: ProjectInput }, ctx: EmploymentContext) =>
      ctx.land.createProject(a.input),
    linkHouseholdToProject: (_: unknown, a: { input: LinkInput }, ctx: EmploymentContext) => ctx.land.link(a.input),
  },
  IndustryProject: {
    links: (p: ProjectRow, _: unknown, ctx: EmploymentContext) => ctx.loaders.linksOfProject.load(p.id),
    householdIncomeTotal: async (p: ProjectRow, _: unknown, ctx: EmploymentContext) =>
      (await ctx.loaders.linksOfProject.load(p.id)).reduce((sum, l) => sum + l.annualDividend + l.annualWageIncome, 0),
  },
  ProjectLink: {
    project: (l: LinkRow, _: unknown, ctx: EmploymentContext) => ctx.loaders.project.load(l.projectId),
    household: (l: LinkRow) => ({ id: l.householdId }),
    annualIncome: (l: LinkRow) => l.annualDividend + l.annualWageIncome,
  },
  Household: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    landAssets: (h: { id: string }, _: unknown, ctx: EmploymentContext) => ctx.loaders.landOfHousehold.load(h.id),
    industryLinks: (h: { id: string }, _: unknown, ctx: EmploymentContext) => ctx.loaders.linksOfHousehold.load(h.id),
  },
};
