import type { EmploymentContext } from '../context';
import { lowerEnum } from '../enums';
import type {
  CreatePostingInput,
  EmploymentRow,
  EndEmploymentInput,
  PostingRow,
  RegisterEmployerInput,
  StartEmploymentInput,
} from './jobs.service';

export const jobsResolvers = {
  EmployerKind: lowerEnum('POVERTY_WORKSHOP', 'ENTERPRISE', 'COOPERATIVE', 'PUBLIC_INSTITUTION', 'OTHER'),
  JobPostingKind: lowerEnum('REGULAR', 'PUBLIC_WELFARE_POST'),
  EmploymentKind: lowerEnum('WORKSHOP', 'PUBLIC_WELFARE_POST', 'MIGRANT_WORK', 'SELF_EMPLOYED', 'FLEXIBLE'),
  Query: {
    employers: (_: unknown, a: { siteId: string; first?: number; after?: string }, ctx: EmploymentContext) =>
      ctx.jobs.employers(a.siteId, a.first, a.after),
    jobPostings: (
      _: unknown,
      a: { siteId: string; kind?: PostingRow['kind']; first?: number; after?: string },
      ctx: EmploymentContext,
    ) => ctx.jobs.postings(a.siteId, a.kind, a.first, a.after),
  },
  Mutation: {
    registerEmployer: (_: unknown, a: { input: RegisterEmployerInput }, ctx: EmploymentContext) =>
      ctx.jobs.registerEmployer(a.input),
    createJobPosting: (_: unknown, a: { input: CreatePostingInput }, ctx: EmploymentContext) =>
      ctx.jobs.createPosting(a.input),
    startEmployment: (_: unknown, a: { input: StartEmploymentInput }, ctx: EmploymentContext) =>
      ctx.jobs.start(a.input),
    endEmployment: (_: unknown, a: { input: EndEmploymentInput }, ctx: EmploymentContext) => ctx.jobs.end(a.input),
  },
  JobPosting: {
    employer: (j: PostingRow, _: unknown, ctx: EmploymentContext) =>
      j.employerId ? ctx.loaders.employer.load(j.employerId) : null,
  },
  EmploymentRecord: {
    resident: (r: EmploymentRow) => ({ id: r.residentId }),
    employer: (r: EmploymentRow, _: unknown, ctx: EmploymentContext) =>
      r.employerId ? ctx.loaders.employer.load(r.employerId) : null,
    posting: (r: EmploymentRow, _: unknown, ctx: EmploymentContext) =>
      r.postingId ? ctx.loaders.posting.load(r.postingId) : null,
  },
  Resident: {
    employments: (r: { id: string }, _: unknown, ctx: EmploymentContext) =>
      ctx.loaders.employmentsOfResident.load(r.id),
  },
};
