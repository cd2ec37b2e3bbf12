import { Kind, parse, type ConstValueNode } from 'graphql';
import { readFileSync } from 'node:fs';
import { SUPERGRAPH_FILE } from './subgraphs';

export function readSupergraph(file = SUPERGRAPH_FILE): string {
  return readFileSync(file, 'utf8');
}

/** The subgraphs a supergraph routes to, as its `join__Graph` enum declares them. */
export function subgraphsOf(supergraphSdl: string): { name: string; url: string }[] {
  const doc = parse(supergraphSdl);
  const graphs = doc.definitions.find((d) => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'join__Graph');
  if (!graphs || graphs.kind !== Kind.ENUM_TYPE_DEFINITION)
    throw new Error('not a supergraph: it has no join__Graph enum');
  const str = (v: ConstValueNode | undefined) => (v?.kind === Kind.STRING ? v.value : undefined);
  return (graphs.values ?? []).map((value) => {
    const directive = value.directives?.find((d) => d.name.value === 'join__graph');
    const arg = (n: string) => str(directive?.arguments?.find((a) => a.name.value === n)?.value);
    const name = arg('name');
    const url = arg('url');
    if (!name || url === undefined)
      throw new Error(`supergraph graph ${value.name.value} lacks @join__graph(name:, url:)`);
    return { name, url };
  });
}
