import express from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { PlatformConfig } from './config';
import type { Principal } from './auth';
import { verifyBearerCached } from './verified-tokens';
import { REQUEST_ID_HEADER, currentRequestId, runWithRequestId } from './request-context';
import type { Logger } from './logger';
import type { Lifecycle } from './lifecycle';
import { listen, mountHealth, type ReadinessCheck } from './health';
import { maskError, operationLogPlugin } from './graphql-errors';
import { capUnpagedLists, queryLimits } from './limits';
import { guardArguments } from './input-guard';
import { rateLimits, type ExpensiveOperations } from './rate-limit';
import type { Clock } from './clock';
import { mountFileRoutes, type FileRoute } from './spreadsheet/file-routes';
import type { ProcessMetrics } from './metrics';
import { auditGuardPlugin } from './audit';
import { serverSpanMiddleware, tracingPlugins } from './tracing';
import { jsonBody } from './json-body';
import { parseServiceSchema } from './service-schema';

/** What every resolver gets: the verified caller, the request id, a logger bound to it and the process's clock. */
export interface RequestBase {
  principal: Principal;
  requestId: string;
  logger: Logger;
  /** "Now" for the domain: the process's clock (see clock.ts). */
  clock: Clock;
}

export interface SubgraphOptions<Ctx extends RequestBase> {
  name: string;
  /** The folder of the schema-first SDL files (`src`: `schema.graphql` and each feature's; see service-schema.ts). */
  schemaDir: string;
  /**
   * Resolver map, typed by the service with its generated `Resolvers` (pnpm codegen); federation's own type is looser.
   */
  resolvers: object;
  /** Adds per-request state (DataLoaders, services) to the verified base context. */
  buildContext: (base: RequestBase) => Ctx;
  config: PlatformConfig;
  clock: Clock;
  port: number;
  logger: Logger;
  lifecycle: Lifecycle;
  readiness: ReadinessCheck[];
  /** Operations limited to some roles and rate limited apart (`{ 'Mutation.runBatchMatch': ['province'] }`). */
  expensive?: ExpensiveOperations;
  /** Files over HTTP beside /graphql (exports, imports, templates): see spreadsheet/file-routes.ts. */
  fileRoutes?: readonly FileRoute[];
  /** The process's metrics: served at /metrics on this port, fed by every request and operation. */
  metrics?: ProcessMetrics;
  /** Whether a request wrote an audit row (its service's `audit_log`): every answered mutation must have. */
  hasAuditRow?: (requestId: string) => Promise<boolean>;
}

/** What a subgraph reads of one request body: express.json's '2mb', as before. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

export interface RunningHttp {
  url: string;
  port: number;
}

/**
 * One subgraph over HTTP: `/graphql` (Apollo Server, federation 2 schema), `/health`, `/ready`.
 * Every GraphQL request, `_entities` included, must carry a valid bearer token: the gateway is
 * not the only line of defence, and partner NGOs call some subgraphs directly. For the same
 * reason every subgraph applies the gateway's query limits (kit `limits.ts`) itself.
 */
export async function startSubgraph<Ctx extends RequestBase>(opts: SubgraphOptions<Ctx>): Promise<RunningHttp> {
  const { config, logger } = opts;
  const development = config.NODE_ENV === 'development';
  const typeDefs = parseServiceSchema(opts.schemaDir);
  const limits = queryLimits(config, development);
  const rates = rateLimits(config);
  const apollo = new ApolloServer<Ctx>({
    schema: rates.guardExpensive(
      guardArguments(
        capUnpagedLists(
          buildSubgraphSchema({ typeDefs, resolvers: opts.resolvers as GraphQLResolverMap<unknown> }),
          config.QUERY_MAX_LIST_ITEMS,
        ),
      ),
      opts.expensive ?? {},
    ),
    introspection: development,
    // The kit's Lifecycle owns signals: Apollo's own handler would re-raise SIGTERM mid-drain.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: development,
    formatError: (formatted, error) => maskError(formatted, error, development),
    allowBatchedHttpRequests: limits.allowBatchedHttpRequests,
    validationRules: limits.validationRules,
    stringifyResult: limits.stringifyResult,
    plugins: [
      operationLogPlugin(logger),
      ...tracingPlugins(),
      ...(opts.metrics ? [opts.metrics.apolloPlugin()] : []),
      ...limits.plugins,
      ...(opts.hasAuditRow ? [auditGuardPlugin(opts.hasAuditRow, logger, config.NODE_ENV !== 'production')] : []),
      ApolloServerPluginInlineTraceDisabled(),
      ...(development ? [] : [ApolloServerPluginLandingPageDisabled()]),
    ],
  });
  await apollo.start();
  // Registered before the listener, so shutdown drains HTTP first and only then stops Apollo
  // (steps run in reverse): a request already received is answered, not refused mid-restart.
  opts.lifecycle.onStop(`${opts.name} apollo`, () => apollo.stop());

  const app = express();
  app.disable('x-powered-by');
  // No ETag: no client sends a conditional POST, and hashing every answer cost ~1% of the CPU in profiles.
  app.disable('etag');
  if (opts.metrics) {
    app.use(opts.metrics.httpMiddleware());
    opts.metrics.mount(app);
  }
  mountHealth(app, opts.name, opts.readiness, opts.lifecycle);
  app.use(serverSpanMiddleware(`${opts.name}-api`));
  app.use((req, _res, next) => runWithRequestId(req.header(REQUEST_ID_HEADER), next));
  if (opts.fileRoutes?.length) mountFileRoutes(app, opts.fileRoutes, { config, logger, clock: opts.clock, rates });
  app.use(
    '/graphql',
    // The gateway's operations, read without body-parser's machinery (json-body.ts); anything else as express.json.
    jsonBody(MAX_BODY_BYTES),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const principal = await verifyBearerCached(req.header('authorization'), config);
        rates.request(principal.subject);
        const requestId = currentRequestId()!;
        return opts.buildContext({
          principal,
          requestId,
          logger: logger.child({ role: principal.role, sub: principal.subject }),
          clock: opts.clock,
        });
      },
    }),
  );
  const { port } = await listen(app, opts.port, opts.lifecycle, `${opts.name} api`);
  logger.info({ port }, `${opts.name} subgraph listening`);
  return { url: `http://127.0.0.1:${port}/graphql`, port };
}
