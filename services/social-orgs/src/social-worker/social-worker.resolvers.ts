import type { SocialOrgsContext } from '../context';
import type { SocialWorkerRow } from './social-worker.service';
import { workerGrades, workerTimeline } from './timeline';

type Ctx = SocialOrgsContext;
type Svc = Ctx['workers'];

export const socialWorkerResolvers = {
  Query: {
    socialWorker: (_: unknown, a: { id: string }, ctx: Ctx) => ctx.loaders.worker.load(a.id),
    socialWorkers: (_: unknown, a: Parameters<Svc['list']>[0], ctx: Ctx) => ctx.workers.list(a),
  },
  Mutation: {
    hireSocialWorker: (_: unknown, a: { input: Parameters<Svc['hire']>[0] }, ctx: Ctx) => ctx.workers.hire(a.input),
    assignSocialWorkerSites: (_: unknown, a: { workerId: string; siteIds: string[] }, ctx: Ctx) =>
      ctx.workers.assignSites(a.workerId, a.siteIds),
    assessSocialWorker: (_: unknown, a: { input: Parameters<Svc['assess']>[0] }, ctx: Ctx) =>
      ctx.workers.assess(a.input),
    giveSocialWorkerFeedback: (_: unknown, a: { input: Parameters<Svc['feedback']>[0] }, ctx: Ctx) =>
      ctx.workers.feedback(a.input),
    exitSocialWorker: (_: unknown, a: { input: Parameters<Svc['exit']>[0] }, ctx: Ctx) => ctx.workers.exit(a.input),
  },
  SocialWorker: {
    __resolveReference: (ref: { id: string }, ctx: Ctx) => ctx.loaders.worker.load(ref.id),
    organization: (w: SocialWorkerRow, _: unknown, ctx: Ctx) => ctx.loaders.organization.load(w.organizationId),
    assessments: (w: SocialWorkerRow, _: unknown, ctx: Ctx) => ctx.loaders.assessments.load(w.id),
    feedback: (w: SocialWorkerRow, _: unknown, ctx: Ctx) => ctx.loaders.feedback.load(w.id),
    grades: async (w: SocialWorkerRow, _: unknown, ctx: Ctx) =>
      workerGrades(await ctx.loaders.assessments.load(w.id), await ctx.loaders.feedback.load(w.id)),
    timeline: async (w: SocialWorkerRow, _: unknown, ctx: Ctx) => {
      const [assessments, feedback, assignments] = await Promise.all([
        ctx.loaders.assessments.load(w.id),
        ctx.loaders.feedback.load(w.id),
        ctx.loaders.assignments.load(w.id),
      ]);
      return workerTimeline(w, assessments, feedback, assignments);
    },
  },
};
