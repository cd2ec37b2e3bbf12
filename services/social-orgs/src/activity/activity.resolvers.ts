import type { Resolvers } from '../generated/graphql';

export const activityResolvers: Resolvers = {
  Query: {
    activity: (_, a, ctx) => ctx.loaders.activity.load(a.id),
    activities: (_, a, ctx) => ctx.activities.list(a),
    activityRegistration: (_, a, ctx) => ctx.loaders.registration.load(a.id),
    culturalOfferings: (_, a, ctx) => ctx.activities.culturalOfferings(a),
    myActivityRegistrations: (_, __, ctx) =>
      ctx.principal.role === 'resident' ? ctx.loaders.registrationsByResident.load(ctx.principal.residentId!) : [],
  },
  Mutation: {
    createActivity: (_, a, ctx) => ctx.activities.create(a.input),
    setActivityCapacity: (_, a, ctx) => ctx.activities.setCapacity(a.activityId, a.capacity),
    registerForActivity: (_, a, ctx) => ctx.activities.register(a.input),
    cancelActivityRegistration: (_, a, ctx) => ctx.activities.cancel(a.registrationId),
    checkInToActivity: (_, a, ctx) => ctx.activities.checkIn(a.registrationId),
  },
  Activity: {
    __resolveReference: (ref, ctx) => ctx.loaders.activity.load(ref.id),
    registrations: async (a, args, ctx) => {
      const rows = await ctx.loaders.registrationsByActivity.load(a.id);
      return args.status ? rows.filter((r) => r.status === args.status) : rows;
    },
  },
  ActivityRegistration: {
    __resolveReference: (ref, ctx) => ctx.loaders.registration.load(ref.id),
    activity: (r, _, ctx) => ctx.loaders.activity.load(r.activityId),
  },
  Resident: {
    __resolveReference: (ref) => ({ id: ref.id }),
    activityRegistrations: (r, _, ctx) => ctx.loaders.registrationsByResident.load(r.id),
  },
};
