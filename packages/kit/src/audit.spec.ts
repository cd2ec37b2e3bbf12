import { ApolloServer } from '@apollo/server';
import { auditGuardPlugin } from './audit';
import { runWithRequestId } from './request-context';
import type { Logger } from './logger';

/** The guard every subgraph runs: an answered mutation with no audit row of its request fails (outside production). */
describe('auditGuardPlugin', () => {
  const audited = new Set<string>();
  const logged: string[] = [];
  const logger = { error: (_o: unknown, msg: string) => logged.push(msg) } as unknown as Logger;
  const server = (strict: boolean) =>
    new ApolloServer({
      typeDefs: `type Query { ok: Boolean } type Mutation { write(audit: Boolean!): Boolean fail: Boolean }`,
      resolvers: {
        Mutation: {
          write: (_: unknown, a: { audit: boolean }, ctx: { requestId: string }) => {
            if (a.audit) audited.add(ctx.requestId);
            return true;
          },
          fail: () => {
            throw new Error('refused');
          },
        },
      },
      plugins: [auditGuardPlugin(async (id) => audited.has(id), logger, strict)],
    });
  const run = async (s: ApolloServer<{ requestId: string }>, query: string, requestId: string) => {
    await s.start();
    try {
      const res = await runWithRequestId(requestId, () =>
        s.executeOperation({ query }, { contextValue: { requestId } }),
      );
      return res.body.kind === 'single' ? res.body.singleResult : null;
    } finally {
      await s.stop();
    }
  };

  it('fails a mutation with no audit row (AUDIT_MISSING), keeps one with, ignores queries and failures', async () => {
    const missing = await run(server(true), 'mutation { write(audit: false) }', 'req-1');
    expect(missing?.errors).toEqual([expect.objectContaining({ extensions: { code: 'AUDIT_MISSING' } })]);
    expect(await run(server(true), 'mutation { write(audit: true) }', 'req-2')).toEqual({ data: { write: true } });
    expect((await run(server(true), '{ ok }', 'req-3'))?.errors).toBeUndefined();
    expect((await run(server(true), 'mutation { fail }', 'req-4'))?.errors).toEqual([
      expect.objectContaining({ message: 'refused' }),
    ]);
  });

  it('in production logs the missing row and leaves the answer (the change has committed)', async () => {
    logged.length = 0;
    expect(await run(server(false), 'mutation { write(audit: false) }', 'req-5')).toEqual({ data: { write: true } });
    expect(logged).toEqual(['a mutation wrote no audit row']);
  });
});
