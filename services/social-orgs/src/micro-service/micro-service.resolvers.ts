import type { SocialOrgsContext } from '../context';
import type { MicroServiceRow } from './micro-service.service';

type Ctx = SocialOrgsContext;
type Svc = Ctx['microServices'];

export const microServiceResolvers = {
  Query: {
    microService: (_: unknown, a: { id: string }, ctx: Ctx) => ctx.loaders.microService.load(a.id),
    microServices: (_: unknown, a: Parameters<Svc['list']>[0], ctx: Ctx) => ctx.microServices.list(a),
  },
  Mutation: {
    createMicroService: (_: unknown, a: { input: Parameters<Svc['create']>[0] }, ctx: Ctx) =>
      ctx.microServices.create(a.input),
    updateMicroService: (_: unknown, a: { id: string; input: Parameters<Svc['update']>[1] }, ctx: Ctx) =>
      ctx.microServices.update(a.id, a.input),
  },
  MicroService: {
    __resolveReference: (ref: { id: string }, ctx: Ctx) => ctx.loaders.microService.load(ref.id),
    runner: (m: MicroServiceRow, _: unknown, ctx: Ctx) =>
      m.runnerWorkerId ? ctx.loaders.worker.load(m.runnerWorkerId) : null,
  },
};
