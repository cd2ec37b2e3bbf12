import type { DataSource } from 'typeorm';
import { readServiceSchema, type Principal, type RequestBase } from '@anju/kit';
import { buildContext } from './context';
import { resolvers } from './resolvers';

/** Every `@key` type of this subgraph, as the gateway names it in `_entities`. */
const KEY_TYPES = [
  'SocialOrganization',
  'Activity',
  'ActivityRegistration',
  'SocialWorker',
  'SocialCase',
  'Referral',
  'MicroService',
  'ServiceContract',
  'VentureCall',
  'VentureApplication',
  'ProfessionalCommittee',
  'Consultation',
] as const;

const ngo: Principal = {
  subject: 'ngo-a',
  role: 'ngo_member',
  regions: [],
  sites: [],
  grids: [],
  organizationId: '00000000-0000-4000-8000-00000000000a',
};

/** A data source that records each SQL statement and answers with a row per id asked for. */
function recordingDb() {
  const statements: { sql: string; params: unknown[] }[] = [];
  const db = {
    query: async (sql: string, params: unknown[] = []) => {
      statements.push({ sql, params });
      return (params[0] as string[]).map((id) => ({ id }));
    },
  };
  return { db: db as unknown as DataSource, statements };
}

describe('__resolveReference', () => {
  const ids = Array.from({ length: 100 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);

  it.each(KEY_TYPES)('%s: 100 representations cost one SQL statement, filtered by the caller’s scope', async (type) => {
    const { db, statements } = recordingDb();
    const ctx = buildContext(db)({ principal: ngo, requestId: 'r', logger: undefined } as unknown as RequestBase);
    const resolve = resolvers[type]?.__resolveReference;
    if (typeof resolve !== 'function') throw new Error(`${type} has no __resolveReference`);
    const rows = await Promise.all(ids.map((id) => resolve({ __typename: type, id } as never, ctx, {} as never)));
    expect(rows).toEqual(ids.map((id) => ({ id })));
    expect(statements).toHaveLength(1);
    expect(statements[0].params[0]).toEqual(ids);
    // The NGO's organization is a parameter of the statement: the scope is applied in SQL.
    expect(statements[0].params).toContain(ngo.organizationId);
  });

  it('lists every @key type of the schema', async () => {
    const sdl = readServiceSchema(__dirname);
    // Resident and Site are governance's entities this subgraph only adds fields to: no row of its own to scope
    // here (gateway/test/entities.int.spec.ts sends both through _entities in and out of scope).
    const declared = [...sdl.matchAll(/^type (\w+) @key/gm)]
      .map((m) => m[1])
      .filter((t) => t !== 'Resident' && t !== 'Site');
    expect(declared.sort()).toEqual([...KEY_TYPES].sort());
  });
});
