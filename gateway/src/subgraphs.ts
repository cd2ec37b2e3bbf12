import path from 'node:path';
import { SERVICE_DECLARATIONS } from '@anju/contracts';

/**
 * The subgraphs of the federation, read from the contract's catalog of services (data only: the
 * gateway loads no service code). The compose script reads their schemas, the gateway's config
 * gives each one a URL setting, and `/ready` asks each one for `/health`. A subgraph's `name` is
 * published (it is the `join__Graph` name in the supergraph): never rename.
 */
export interface SubgraphDefinition {
  name: string;
  /** Setting (environment variable) holding the subgraph's GraphQL URL. */
  urlSetting: string;
  /** Where the subgraph listens on a developer machine; written into the checked-in supergraph. */
  defaultUrl: string;
  /** The folder of its schema-first SDL files, relative to the repository root (kit `readServiceSchema`). */
  schemaDir: string;
}

export const SUBGRAPHS: readonly SubgraphDefinition[] = SERVICE_DECLARATIONS.map(({ name, api }) => ({
  name,
  urlSetting: api.urlSetting,
  defaultUrl: `http://localhost:${api.defaultPort}/graphql`,
  schemaDir: api.schemaDir,
}));

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The checked-in supergraph the gateway serves (and Apollo Router could serve unchanged). */
export const SUPERGRAPH_FILE = path.join(REPO_ROOT, 'gateway', 'supergraph.graphql');
