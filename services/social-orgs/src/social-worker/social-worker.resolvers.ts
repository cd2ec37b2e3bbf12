import type { Resolvers } from '../generated/graphql';
import { workerGrades, workerTimeline } from './timeline';

export const socialWorkerResolvers: Resolvers = {
  Query: {
    socialWorker: (_, a, ctx) => ctx.loaders.worker.load(a.id),
    socialWorkers: (_, a, ctx) => ctx.workers.list(a),
  },
  Mutation: {
    hireSocialWorker: (_, a, ctx) => ctx.workers.hire(a.input),
    assignSocialWorkerSites: (_, a, ctx) => ctx.workers.assignSites(a.workerId, a.siteIds),
    assessSocialWorker: (_, a, ctx) => ctx.workers.assess(a.input),
    giveSocialWorkerFeedback: (_, a, ctx) => ctx.workers.feedback(a.input),
    exitSocialWorker: (_, a, ctx) => ctx.workers.exit(a.input),
  },
  SocialWorker: {
    __resolveReference: (ref, ctx) => ctx.loaders.worker.load(ref.id),
    organization: (w, _, ctx) => ctx.loaders.organization.load(w.organizationId),
    assessments: (w, _, ctx) => ctx.loaders.assessments.load(w.id),
    feedback: (w, _, ctx) => ctx.loaders.feedback.load(w.id),
    grades: async (w, _, ctx) =>
      workerGrades(await ctx.loaders.assessments.load(w.id), await ctx.loaders.feedback.load(w.id)),
    timeline: async (w, _, ctx) => {
      const [assessments, feedback, assignments] = await Promise.all([
        ctx.loaders.assessments.load(w.id),
        ctx.loaders.feedback.load(w.id),
        ctx.loaders.assignments.load(w.id),
      ]);
      return workerTimeline(w, assessments, feedback, assignments);
    },
  },
};
