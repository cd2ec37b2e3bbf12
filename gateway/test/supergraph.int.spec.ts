import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CompositionError, composeFrom, composeSupergraph, readSubgraphSources } from '../src/compose';
import { SUBGRAPHS, SUPERGRAPH_FILE } from '../src/subgraphs';
import { subgraphsOf } from '../src/supergraph';

const checkedIn = () => readFileSync(SUPERGRAPH_FILE, 'utf8');

describe('the checked-in supergraph', () => {
  it('is what the subgraph schema files compose to today', () => {
    const fresh = composeSupergraph();
    const stale = fresh !== checkedIn();
    if (stale) {
      throw new Error(
        `${path.relative(process.cwd(), SUPERGRAPH_FILE)} is stale: ` +
          'a subgraph schema changed since it was composed.\n' +
          'Run `pnpm compose` and commit gateway/supergraph.graphql with the schema change.',
      );
    }
    expect(stale).toBe(false);
  });

  it('would be caught stale if a subgraph schema changed (the check above can fail)', () => {
    const { sources } = readSubgraphSources();
    const governance = sources.find((s) => s.name === 'governance')!;
    const changed = sources.map((s) =>
      s === governance
        ? {
            ...s,
            sdl: s.sdl.replace(
              /type Region @key\(fields: "code"\)[^{]*\{/,
              '$&\n  "A field that is not in the checked-in supergraph."\n  stalenessProbe: String',
            ),
          }
        : s,
    );
    expect(changed.find((s) => s.name === 'governance')!.sdl).toContain('stalenessProbe');

    const composed = composeFrom(changed);
    expect(composed).toContain('stalenessProbe');
    expect(composed).not.toEqual(checkedIn());
  });

  it('routes to every subgraph whose schema exists, at its development URL', () => {
    const { sources } = readSubgraphSources();
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(subgraphsOf(checkedIn()).sort(byName)).toEqual(
      SUBGRAPHS.filter((s) => sources.some((src) => src.name === s.name))
        .map((s) => ({ name: s.name, url: s.defaultUrl }))
        .sort(byName),
    );
  });
});

describe('composeFrom', () => {
  const governance = () => readSubgraphSources().sources.find((s) => s.name === 'governance')!;

  it('lists every composition error, with its code', () => {
    // Two subgraphs both defining the same non-shareable field is a composition error.
    const clash = {
      name: 'clash',
      url: 'http://localhost:4999/graphql',
      sdl:
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", ' +
        'import: ["@key"])\ntype Query { region(code: ID!): String }',
    };
    let caught: unknown;
    try {
      composeFrom([governance(), clash]);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CompositionError);
    const problems = (caught as CompositionError).problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(/\[[A-Z_]+\] .*region/);
    expect((caught as Error).message).toContain('Supergraph composition failed');
  });

  it('names the subgraph whose SDL does not parse', () => {
    expect(() =>
      composeFrom([governance(), { name: 'broken', url: 'http://localhost:4999/graphql', sdl: 'type Query {' }]),
    ).toThrow(/broken: Syntax Error/);
  });

  it('refuses to compose nothing (every schema file missing)', () => {
    const { sources, missing } = readSubgraphSources('/nonexistent-root');
    expect(sources).toEqual([]);
    expect(missing).toHaveLength(SUBGRAPHS.length);
    expect(() => composeFrom(sources)).toThrow(CompositionError);
  });
});
