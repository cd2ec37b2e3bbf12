import type { Resolvers } from '../generated/graphql';

const upper = <S extends string>(s: S) => s.toUpperCase() as Uppercase<S>;

export const importResolvers: Resolvers = {
  Query: {
    importJob: (_, a, ctx) => ctx.imports.get(ctx.principal, a.id),
    importJobs: (_, a, ctx) => ctx.imports.list(ctx.principal, a.first ?? 20),
  },
  Mutation: {},
  ImportJob: {
    mode: (j) => upper(j.mode),
    status: (j) => upper(j.status),
    errors: (j, a) => j.errors.slice(0, Math.max(0, a.first ?? 100)),
    reportPath: (j) => (j.hasReport ? `/files/governance/imports/${j.id}/report` : null),
    createdAt: (j) => new Date(j.createdAt).toISOString(),
    finishedAt: (j) => (j.finishedAt ? new Date(j.finishedAt).toISOString() : null),
  },
};
