import path from 'node:path';

/**
 * The subgraphs of the federation, in one place: the compose script reads their schema files,
 * the gateway's config gives each one a URL setting, and `/ready` asks each one for `/health`.
 * A subgraph's `name` is published (it is the `join__Graph` name in the supergraph): never rename.
 */
export interface SubgraphDefinition {
  name: string;
  /** Setting (environment variable) holding the subgraph's GraphQL URL. */
  urlSetting: 'GOVERNANCE_URL' | 'EMPLOYMENT_URL' | 'SOCIAL_ORGS_URL' | 'MATCHING_URL';
  /** Where the subgraph listens on a developer machine; written into the checked-in supergraph. */
  defaultUrl: string;
  /** The schema-first SDL, relative to the repository root. */
  schemaFile: string;
}

export const SUBGRAPHS: readonly SubgraphDefinition[] = [
  { name: 'governance', urlSetting: 'GOVERNANCE_URL', defaultUrl: 'http://localhost:4001/graphql', schemaFile: 'services/governance/schema.graphql' },
  { name: 'employment', urlSetting: 'EMPLOYMENT_URL', defaultUrl: 'http://localhost:4002/graphql', schemaFile: 'services/employment/schema.graphql' },
  { name: 'social-orgs', urlSetting: 'SOCIAL_ORGS_URL', defaultUrl: 'http://localhost:4003/graphql', schemaFile: 'services/social-orgs/schema.graphql' },
  { name: 'matching', urlSetting: 'MATCHING_URL', defaultUrl: 'http://localhost:4004/graphql', schemaFile: 'services/matching/schema.graphql' },
];

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The checked-in supergraph the gateway serves (and Apollo Router could serve unchanged). */
export const SUPERGRAPH_FILE = path.join(REPO_ROOT, 'gateway', 'supergraph.graphql');
