import type { GovernanceContext } from '../context';
import type { ImportJobRow } from '@anju/kit';

const upper = (s: string) => s.toUpperCase();

export const importResolvers = {
  Query: {
    importJob: (_: unknown, a: { id: string }, ctx: GovernanceContext) => ctx.imports.get(ctx.principal, a.id),
    importJobs: (_: unknown, a: { first?: number | null }, ctx: GovernanceContext) =>
      ctx.imports.list(ctx.principal, a.first ?? 20),
  },
  Mutation: {},
  ImportJob: {
    mode: (j: ImportJobRow) => upper(j.mode),
    status: (j: ImportJobRow) => upper(j.status),
    errors: (j: ImportJobRow, a: { first?: number | null }) => j.errors.slice(0, Math.max(0, a.first ?? 100)),
    reportPath: (j: ImportJobRow) => (j.hasReport ? `/files/governance/imports/${j.id}/report` : null),
    createdAt: (j: ImportJobRow) => new Date(j.createdAt).toISOString(),
    finishedAt: (j: ImportJobRow) => (j.finishedAt ? new Date(j.finishedAt).toISOString() : null),
  },
};
