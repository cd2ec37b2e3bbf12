import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { loadConfig, limitSettings } from './config';
import { QueryLimitError, queryLimitsPlugin, serializedResult } from './limits';

const schema = buildSchema(`
  type Query { items(first: Int): [Item!]! }
  type Item { id: ID! }
`);
const limits = loadConfig(limitSettings, { QUERY_MAX_COST: '20', QUERY_MAX_LIST_ITEMS: '100' });

/** The plugin's `didResolveOperation`, as Apollo Server calls it for one request. */
async function resolve(
  plugin: ApolloServerPlugin,
  query: ReturnType<typeof parse>,
  variables: Record<string, unknown>,
) {
  const listener = await plugin.requestDidStart!({} as never);
  const operation = query.definitions[0] as OperationDefinitionNode;
  await listener!.didResolveOperation!({ schema, document: query, operation, request: { variables } } as never);
}

describe('query limits', () => {
  // Apollo Server hands every request of one query text the same parsed document, so what the
  // plugin keeps per document must not carry one request's variables into the next.
  it("measures a `first` given as a variable with each request's variables, the same document again", async () => {
    const plugin = queryLimitsPlugin(limits);
    const doc = parse('query($n: Int){ items(first: $n){ id } }');
    await expect(resolve(plugin, doc, { n: 5 })).resolves.toBeUndefined(); // 1 + 5 × 1
    await expect(resolve(plugin, doc, { n: 50 })).rejects.toMatchObject({
      extensions: { limit: 'cost', max: 20, actual: 51 },
    });
    await expect(resolve(plugin, doc, { n: 5 })).resolves.toBeUndefined();
  });

  it('refuses a literal over the limit on every request, not only the first', async () => {
    const plugin = queryLimitsPlugin(limits);
    const doc = parse('{ items(first: 50){ id } }');
    for (let i = 0; i < 2; i++) await expect(resolve(plugin, doc, {})).rejects.toBeInstanceOf(QueryLimitError);
  });
});

describe('serializedResult', () => {
  it('is the text Apollo Server sends: errors, data, extensions in that order, and a newline', () => {
    const result = { extensions: { hint: 1 }, data: { a: '居民' }, errors: [{ message: 'x' }] };
    expect(serializedResult(result)).toBe('{"errors":[{"message":"x"}],"data":{"a":"居民"},"extensions":{"hint":1}}\n');
    expect(serializedResult({ data: { a: 1 } })).toBe(`${JSON.stringify({ data: { a: 1 } })}\n`);
  });

  it('serializes again when a later plugin replaced a part of the result (the audit guard adds errors)', () => {
    const result: { data: { a: number }; errors?: { message: string }[] } = { data: { a: 1 } };
    expect(serializedResult(result)).toBe('{"data":{"a":1}}\n');
    result.errors = [{ message: 'no audit row' }];
    expect(serializedResult({ errors: result.errors, data: result.data })).toBe(
      '{"errors":[{"message":"no audit row"}],"data":{"a":1}}\n',
    );
  });
});
