import type { EmploymentContext } from '../context';
import { lowerEnum } from '../enums';
import type { LinkInput, LinkRow, ProjectRow, RecordLandInput, UpdateLandInput } from './land.service';

export const landResolvers = {
  LandKind: lowerEnum('CONTRACTED', 'FOREST', 'HOMESTEAD'),
  LandState: lowerEnum('IDLE', 'LEASED', 'POOLED'),
  Query: {
    industryProjects: (_: unknown, a: { siteId: string }, ctx: EmploymentContext) => ctx.land.projects(a.siteId),
  },
  Mutation: {
    recordLandAsset: (_: unknown, a: { input: RecordLandInput }, ctx: EmploymentContext) => ctx.land.record(a.input),
    updateLandAsset: (_: unknown, a: { input: UpdateLandInput }, ctx: EmploymentContext) => ctx.land.update(a.input),
    createIndustryProject: (_: unknown, a: { input: { name: string; siteId: string; description?: string } }, ctx: EmploymentContext) => ctx.land.createProject(a.input),
    linkHouseholdToProject: (_: unknown, a: { input: LinkInput }, ctx: EmploymentContext) => ctx.land.link(a.input),
  },
  IndustryProject: {
    links: (p: ProjectRow, _: unknown, ctx: EmploymentContext) => ctx.loaders.linksOfProject.load(p.id),
  },
  ProjectLink: {
    project: (l: LinkRow, _: unknown, ctx: EmploymentContext) => ctx.loaders.project.load(l.projectId),
    household: (l: LinkRow) => ({ id: l.householdId }),
  },
  Household: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    landAssets: (h: { id: string }, _: unknown, ctx: EmploymentContext) => ctx.loaders.landOfHousehold.load(h.id),
    industryLinks: (h: { id: string }, _: unknown, ctx: EmploymentContext) => ctx.loaders.linksOfHousehold.load(h.id),
  },
};
