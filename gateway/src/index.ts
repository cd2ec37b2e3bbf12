export * from './config';
export * from './subgraphs';
export { startGateway, subgraphUrl, type GatewayOptions, type RunningGateway } from './server';
export { composeFrom, composeSupergraph, readSubgraphSources, CompositionError, type SubgraphSource } from './compose';
export { forwardHeaders, type GatewayContext } from './subgraph-data-source';
