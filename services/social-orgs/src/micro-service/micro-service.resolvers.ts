import type { Resolvers } from '../generated/graphql';

export const microServiceResolvers: Resolvers = {
  Query: {
    microService: (_, a, ctx) => ctx.loaders.microService.load(a.id),
    microServices: (_, a, ctx) => ctx.microServices.list(a),
  },
  Mutation: {
    createMicroService: (_, a, ctx) => ctx.microServices.create(a.input),
    updateMicroService: (_, a, ctx) => ctx.microServices.update(a.id, a.input),
  },
  MicroService: {
    __resolveReference: (ref, ctx) => ctx.loaders.microService.load(ref.id),
    runner: (m, _, ctx) => (m.runnerWorkerId ? ctx.loaders.worker.load(m.runnerWorkerId) : null),
  },
};
