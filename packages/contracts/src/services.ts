/**
 * THE catalog of services: what every tool needs to know about a service without loading its
 * code — its published name, where its package and schema live, its entry points and ports.
 * Data only, so the gateway (which must not load service code) reads it as readily as `pnpm start`,
 * the test harness, seed and benchmarks. A service's package adds the code side (config, migrations,
 * handlers, tasks, api) in its `service` export, built on its entry here (see service-definition.ts).
 *
 * A service's `name` is published (queue names, the supergraph's `join__Graph`): never rename.
 * Adding a service: one entry here and a folder under services/ whose index exports `service`.
 */
export interface ServiceDeclaration {
  /** Published name: inbox queue `<name>.events`, subgraph name, log prefix (`<name>-api`). */
  name: string;
  /** A few letters in front of each line `pnpm start` prints (`gov-api`). */
  tag: string;
  /** The service's package folder, relative to the repository root; its index exports `service`. */
  dir: string;
  /** The PostgreSQL schema holding its tables (its runtime login is `<pgSchema>_app`). */
  pgSchema: string;
  /** The subgraph, schema first. */
  api: {
    entry: string;
    /**
     * The folder of its SDL files, relative to the repository root: `schema.graphql` (what belongs to no
     * feature) and each feature's `<feature>/<feature>.graphql`, read by the kit's `readServiceSchema`.
     */
    schemaDir: string;
    /** Setting with its HTTP port, and the port on a developer machine. */
    portSetting: string;
    defaultPort: number;
    /** The gateway's setting with this subgraph's URL. */
    urlSetting: string;
  };
  /** The worker: outbox relay, inbox, schedules; its own /health, /ready and /metrics port. */
  worker: { entry: string; portSetting: string; defaultPort: number };
  /** Entry points run only in some deployments (governance's import worker), by process name. */
  otherEntries?: Record<string, string>;
}

/**
 * A service laid out as every one is: `services/<name>/` with `src/api.ts`, `src/worker.ts` and its schema's
 * `.graphql` files under `src/`; its settings `<PREFIX>_PORT`, `<PREFIX>_WORKER_HEALTH_PORT` and, at
 * the gateway, `<PREFIX>_URL`. `dir` moves the folder (a test's toy service lives in a temporary one).
 */
export function declareService<N extends string>(
  name: N,
  tag: string,
  pgSchema: string,
  settingPrefix: string,
  ports: { api: number; worker: number },
  otherEntries?: Record<string, string>,
  dir = `services/${name}`,
): ServiceDeclaration & { name: N } {
  return {
    name,
    tag,
    dir,
    pgSchema,
    otherEntries,
    api: {
      entry: `${dir}/src/api.ts`,
      schemaDir: `${dir}/src`,
      portSetting: `${settingPrefix}_PORT`,
      defaultPort: ports.api,
      urlSetting: `${settingPrefix}_URL`,
    },
    worker: {
      entry: `${dir}/src/worker.ts`,
      portSetting: `${settingPrefix}_WORKER_HEALTH_PORT`,
      defaultPort: ports.worker,
    },
  };
}

export const SERVICE_DECLARATIONS = [
  declareService(
    'governance',
    'gov',
    'governance',
    'GOVERNANCE',
    { api: 4001, worker: 4101 },
    { 'import-worker': 'services/governance/src/import-worker.ts' },
  ),
  declareService('employment', 'emp', 'employment', 'EMPLOYMENT', { api: 4002, worker: 4102 }),
  declareService('social-orgs', 'orgs', 'social_orgs', 'SOCIAL_ORGS', { api: 4003, worker: 4103 }),
  declareService('matching', 'match', 'matching', 'MATCHING', { api: 4004, worker: 4104 }),
] as const;

export type ServiceName = (typeof SERVICE_DECLARATIONS)[number]['name'];

/** The services' names, in start order. */
export const SERVICES: readonly ServiceName[] = SERVICE_DECLARATIONS.map((d) => d.name);

/** The catalog entry of `name`; throws on a name that is not in the catalog. */
export function declarationOf(name: string): ServiceDeclaration {
  const found = SERVICE_DECLARATIONS.find((d) => d.name === name);
  if (!found) throw new Error(`unknown service "${name}" (one of ${SERVICES.join(', ')})`);
  return found;
}

/** The PostgreSQL schema of a service's tables (`social-orgs` → `social_orgs`). */
export const pgSchemaOf = (name: string): string => declarationOf(name).pgSchema;

/**
 * The V8 heap of each kind of process (NODE_OPTIONS), declared once: `pnpm start` and the benchmarks
 * give it to every process of the kind; compose and the Kubernetes manifests carry the same string
 * (tests/safe-defaults.spec.ts holds them equal). Without a bound, V8 on a large machine lets garbage
 * pile up to 300+ MiB of RSS before a full GC. The young generation is set too: bounding the old one
 * alone shrinks it to ~1 MiB, which cost ~15–50% more CPU per request in A/B runs.
 */
export const NODE_OPTIONS_BY_PROCESS = {
  /** APIs and the gateway: a live heap of ~50–90 MiB (heap snapshots after the dashboard's load). */
  api: '--max-old-space-size=160 --max-semi-space-size=8',
  gateway: '--max-old-space-size=160 --max-semi-space-size=8',
  /**
   * The workers (relay, inbox batches, schedules). Their heaviest jobs at province scale completed under
   * it (2026-12-01): the event pipeline with the first night's 85,872 gap events (RSS ≤ 204 MiB), the
   * nightly monitoring run (set-based SQL: the process holds counts only). Matching's is bounded below.
   */
  worker: '--max-old-space-size=160 --max-semi-space-size=8',
  /**
   * Matching's worker runs the nightly batch in memory: at province scale (10,000 demands × 50,000
   * volunteers, `pnpm bench matching`) the engine alone keeps 167 MiB live after a full GC and ran out
   * of a 160 MiB heap; under 320 MiB it completes (RSS 349 MiB).
   */
  'matching-worker': '--max-old-space-size=320 --max-semi-space-size=8',
  /**
   * Governance's import worker: a county's 40,000 rows checked in memory are ~80 MiB live (rows read
   * and checked +81 MiB, the report +0); unbounded, garbage piled up to 597 MiB of RSS.
   */
  'import-worker': '--max-old-space-size=320 --max-semi-space-size=8',
} as const;

/** The V8 flags of a service's worker: its own bound where its jobs need more, else the workers'. */
export function workerNodeOptions(service: string): string {
  const own = (NODE_OPTIONS_BY_PROCESS as Record<string, string>)[`${service}-worker`];
  return own ?? NODE_OPTIONS_BY_PROCESS.worker;
}
