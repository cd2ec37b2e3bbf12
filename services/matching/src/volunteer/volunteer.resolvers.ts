import type { MatchingContext } from '../context';
import type { AssignmentRow, ServiceRecordRow, VolunteerRow, WindowInput } from './volunteer.service';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export const volunteerResolvers = {
  AssignmentStatus: {
    PROPOSED: 'proposed',
    ACCEPTED: 'accepted',
    DECLINED: 'declined',
    COMPLETED: 'completed',
    WITHDRAWN: 'withdrawn',
  },
  Query: {
    volunteer: (_: unknown, args: { id: string }, ctx: MatchingContext) => ctx.loaders.volunteer.load(args.id),
    volunteers: (_: unknown, args: { siteId: string }, ctx: MatchingContext) => ctx.volunteers.list(args.siteId),
    myAssignments: (_: unknown, args: { status?: string }, ctx: MatchingContext) =>
      ctx.volunteers.myAssignments(args.status),
  },
  Mutation: {
    registerVolunteer: (
      _: unknown,
      args: { input: Parameters<MatchingContext['volunteers']['register']>[0] },
      ctx: MatchingContext,
    ) => ctx.volunteers.register(args.input),
    addAvailability: (_: unknown, args: { volunteerId: string; windows: WindowInput[] }, ctx: MatchingContext) =>
      ctx.volunteers.addAvailability(args.volunteerId, args.windows),
    acceptAssignment: (_: unknown, args: { assignmentId: string }, ctx: MatchingContext) =>
      ctx.volunteers.respond(args.assignmentId, true),
    declineAssignment: (_: unknown, args: { assignmentId: string }, ctx: MatchingContext) =>
      ctx.volunteers.respond(args.assignmentId, false),
    recordService: (
      _: unknown,
      args: { input: { assignmentId: string; hours: number; servedOn: string } },
      ctx: MatchingContext,
    ) => ctx.volunteers.recordService(args.input),
    verifyService: (_: unknown, args: { recordId: string }, ctx: MatchingContext) =>
      ctx.volunteers.verifyService(args.recordId),
  },
  Volunteer: {
    __resolveReference: (ref: { id: string }, ctx: MatchingContext) => ctx.loaders.volunteer.load(ref.id),
    homeSite: (v: VolunteerRow) => ({ id: v.homeSiteId }),
    completedCount: (v: VolunteerRow) => v.completed,
    declinedCount: (v: VolunteerRow) => v.failed,
    availability: async (v: VolunteerRow, _: unknown, ctx: MatchingContext) =>
      (await ctx.volunteers.availability(v.id)).map((w) => ({ startsAt: iso(w.startsAt), endsAt: iso(w.endsAt) })),
    serviceRecords: (v: VolunteerRow, _: unknown, ctx: MatchingContext) =>
      ctx.loaders.serviceRecordsOfVolunteer.load(v.id),
  },
  Assignment: {
    demand: (a: AssignmentRow, _: unknown, ctx: MatchingContext) => ctx.loaders.demand.load(a.demandId),
    source: (a: AssignmentRow) => a.source.toUpperCase(),
    proposedAt: (a: AssignmentRow) => iso(a.proposedAt),
    respondedAt: (a: AssignmentRow) => iso(a.respondedAt),
    explanation: (a: AssignmentRow) => (a.explanation as { components: unknown[] }).components,
  },
  ServiceRecord: {
    verified: (r: ServiceRecordRow) => r.verifiedAt !== null,
    verifiedAt: (r: ServiceRecordRow) => iso(r.verifiedAt),
  },
};
