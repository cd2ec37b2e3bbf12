import type { Resolvers } from '../generated/graphql';
import type { Explanation } from '../engine';
import { isoInstant } from '@anju/kit';

export const volunteerResolvers: Resolvers = {
  AssignmentStatus: {
    PROPOSED: 'proposed',
    ACCEPTED: 'accepted',
    DECLINED: 'declined',
    COMPLETED: 'completed',
    WITHDRAWN: 'withdrawn',
  },
  Query: {
    volunteer: (_, args, ctx) => ctx.loaders.volunteer.load(args.id),
    volunteers: (_, args, ctx) => ctx.volunteers.list(args.siteId),
    myAssignments: (_, args, ctx) => ctx.volunteers.myAssignments(args.status),
  },
  Mutation: {
    registerVolunteer: (_, args, ctx) => ctx.volunteers.register(args.input),
    addAvailability: (_, args, ctx) => ctx.volunteers.addAvailability(args.volunteerId, args.windows),
    acceptAssignment: (_, args, ctx) => ctx.volunteers.respond(args.assignmentId, true),
    declineAssignment: (_, args, ctx) => ctx.volunteers.respond(args.assignmentId, false),
    recordService: (_, args, ctx) => ctx.volunteers.recordService(args.input),
    verifyService: (_, args, ctx) => ctx.volunteers.verifyService(args.recordId),
  },
  Volunteer: {
    __resolveReference: (ref, ctx) => ctx.loaders.volunteer.load(ref.id),
    homeSite: (v) => ({ id: v.homeSiteId }),
    completedCount: (v) => v.completed,
    declinedCount: (v) => v.failed,
    availability: async (v, _, ctx) =>
      (await ctx.volunteers.availability(v.id)).map((w) => ({
        startsAt: isoInstant(w.startsAt),
        endsAt: isoInstant(w.endsAt),
      })),
    serviceRecords: (v, _, ctx) => ctx.loaders.serviceRecordsOfVolunteer.load(v.id),
  },
  Assignment: {
    demand: (a, _, ctx) => ctx.loaders.demand.load(a.demandId),
    source: (a) => a.source.toUpperCase(),
    proposedAt: (a) => isoInstant(a.proposedAt),
    respondedAt: (a) => isoInstant(a.respondedAt),
    explanation: (a) => (a.explanation as Explanation).components,
  },
  ServiceRecord: {
    verified: (r) => r.verifiedAt !== null,
    verifiedAt: (r) => isoInstant(r.verifiedAt),
  },
};
