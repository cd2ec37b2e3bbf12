import type { Resolvers } from '../generated/graphql';
import { lowerEnum } from '@anju/kit';

export const jobsResolvers: Resolvers = {
  EmployerKind: lowerEnum('POVERTY_WORKSHOP', 'ENTERPRISE', 'COOPERATIVE', 'PUBLIC_INSTITUTION', 'OTHER'),
  JobPostingKind: lowerEnum('REGULAR', 'PUBLIC_WELFARE_POST'),
  EmploymentKind: lowerEnum('WORKSHOP', 'PUBLIC_WELFARE_POST', 'MIGRANT_WORK', 'SELF_EMPLOYED', 'FLEXIBLE'),
  Query: {
    employers: (_, a, ctx) => ctx.jobs.employers(a.siteId, a.first, a.after),
    jobPostings: (_, a, ctx) => ctx.jobs.postings(a.siteId, a.kind, a.first, a.after),
  },
  Mutation: {
    registerEmployer: (_, a, ctx) => ctx.jobs.registerEmployer(a.input),
    createJobPosting: (_, a, ctx) => ctx.jobs.createPosting(a.input),
    startEmployment: (_, a, ctx) => ctx.jobs.start(a.input),
    endEmployment: (_, a, ctx) => ctx.jobs.end(a.input),
  },
  JobPosting: {
    employer: (j, _, ctx) => (j.employerId ? ctx.loaders.employer.load(j.employerId) : null),
  },
  EmploymentRecord: {
    resident: (r) => ({ id: r.residentId }),
    employer: (r, _, ctx) => (r.employerId ? ctx.loaders.employer.load(r.employerId) : null),
    posting: (r, _, ctx) => (r.postingId ? ctx.loaders.posting.load(r.postingId) : null),
  },
  Resident: {
    employments: (r, _, ctx) => ctx.loaders.employmentsOfResident.load(r.id),
  },
};
