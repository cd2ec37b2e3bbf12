import type { SocialOrgsContext } from '../context';
import type { ActivityRow, RegistrationRow, RegistrationStatus } from './activity.service';

type Ctx = SocialOrgsContext;
type Svc = Ctx['activities'];

export const activityResolvers = {
  Query: {
    activity: (_: unknown, a: { id: string }, ctx: Ctx) => ctx.loaders.activity.load(a.id),
    activities: (_: unknown, a: Parameters<Svc['list']>[0], ctx: Ctx) => ctx.activities.list(a),
    activityRegistration: (_: unknown, a: { id: string }, ctx: Ctx) => ctx.loaders.registration.load(a.id),
    culturalOfferings: (_: unknown, a: Parameters<Svc['culturalOfferings']>[0], ctx: Ctx) =>
      ctx.activities.culturalOfferings(a),
    myActivityRegistrations: (_: unknown, __: unknown, ctx: Ctx) =>
      ctx.principal.role === 'resident' ? ctx.loaders.registrationsByResident.load(ctx.principal.residentId!) : [],
  },
  Mutation: {
    createActivity: (_: unknown, a: { input: Parameters<Svc['create']>[0] }, ctx: Ctx) =>
      ctx.activities.create(a.input),
    setActivityCapacity: (_: unknown, a: { activityId: string; capacity: number }, ctx: Ctx) =>
      ctx.activities.setCapacity(a.activityId, a.capacity),
    registerForActivity: (_: unknown, a: { input: Parameters<Svc['register']>[0] }, ctx: Ctx) =>
      ctx.activities.register(a.input),
    cancelActivityRegistration: (_: unknown, a: { registrationId: string }, ctx: Ctx) =>
      ctx.activities.cancel(a.registrationId),
    checkInToActivity: (_: unknown, a: { registrationId: string }, ctx: Ctx) =>
      ctx.activities.checkIn(a.registrationId),
  },
  Activity: {
    __resolveReference: (ref: { id: string }, ctx: Ctx) => ctx.loaders.activity.load(ref.id),
    registrations: async (a: ActivityRow, args: { status?: RegistrationStatus | null }, ctx: Ctx) => {
      const rows = await ctx.loaders.registrationsByActivity.load(a.id);
      return args.status ? rows.filter((r) => r.status === args.status) : rows;
    },
  },
  ActivityRegistration: {
    __resolveReference: (ref: { id: string }, ctx: Ctx) => ctx.loaders.registration.load(ref.id),
    activity: (r: RegistrationRow, _: unknown, ctx: Ctx) => ctx.loaders.activity.load(r.activityId),
  },
  Resident: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    activityRegistrations: (r: { id: string }, _: unknown, ctx: Ctx) => ctx.loaders.registrationsByResident.load(r.id),
  },
};
