import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloGateway } from '@apollo/gateway';
import {
  Lifecycle,
  ProcessMetrics,
  assertProductionSafe,
  startHealthServer,
  createLogger,
  currentRequestId,
  jsonBody,
  rateLimits,
  listen,
  mountHealth,
  operationLogPlugin,
  queryLimits,
  runMain,
  serverSpanMiddleware,
  startTracing,
  tracingPlugins,
  verifyBearerCached,
  type DestinationStream,
  type Logger,
  type Principal,
  type ReadinessCheck,
} from '@anju/kit';
import { loadGatewayConfig, type GatewayConfig } from './config';
import { SUBGRAPHS } from './subgraphs';
import { readSupergraph, subgraphsOf } from './supergraph';
import { SubgraphDataSource, subgraphFetchMetrics, type GatewayContext } from './subgraph-data-source';
import { formatGatewayError } from './errors';
import { ResponseCache, cacheLookup, responseCachePlugin, type CacheNote } from './response-cache';
import { listenForCacheInvalidation } from './cache-invalidation';
import { bodyErrorHandler, corsMiddleware, requestIdMiddleware } from './http';
import { mountPortal, safelistMiddleware } from './portal';
import { mountFileForwarding } from './files';

export interface GatewayOptions {
  /** Where log lines go; tests pass a stream to read them. */
  logDestination?: DestinationStream;
  /** The supergraph to serve; by default the checked-in gateway/supergraph.graphql. */
  supergraphSdl?: string;
}

export interface RunningGateway {
  url: string;
  port: number;
  lifecycle: Lifecycle;
  logger: Logger;
  /** Port of the gateway's /metrics (GATEWAY_METRICS_PORT), apart from the public one. */
  metricsPort: number;
  /** The answers this process keeps (absent when GATEWAY_RESPONSE_CACHE is off). */
  responseCache?: ResponseCache;
  stop(): Promise<void>;
}

/** The subgraph URL the config gives a subgraph of the supergraph, by its name. */
export function subgraphUrl(config: GatewayConfig, name: string): string {
  const def = SUBGRAPHS.find((s) => s.name === name);
  if (!def) throw new Error(`the supergraph names a subgraph "${name}" the gateway has no URL setting for`);
  // The URL settings come from the catalog of services (config.ts), so their keys are not literal types here.
  return (config as unknown as Record<string, string>)[def.urlSetting];
}

/**
 * The one GraphQL endpoint of the portals: `/graphql` (Apollo Gateway over the checked-in
 * supergraph), `/health`, `/ready` (every subgraph answers its /health). The gateway verifies
 * the bearer token before any planning and forwards it; subgraphs verify it again.
 */
export async function startGateway(config: GatewayConfig, opts: GatewayOptions = {}): Promise<RunningGateway> {
  assertProductionSafe(config);
  const development = config.NODE_ENV === 'development';
  const logger = createLogger({ service: 'gateway', level: config.LOG_LEVEL, destination: opts.logDestination });
  const lifecycle = new Lifecycle(logger, config.SHUTDOWN_GRACE_MS);
  // First registered, so its flush is the last step of a stop.
  startTracing(config, 'gateway', lifecycle);
  const supergraphSdl = opts.supergraphSdl ?? readSupergraph();
  const subgraphs = subgraphsOf(supergraphSdl).map(({ name }) => ({ name, url: subgraphUrl(config, name) }));

  const metrics = new ProcessMetrics({ service: 'gateway', process: 'gateway' });
  const fetchMetrics = subgraphFetchMetrics(metrics);
  // @apollo/gateway otherwise sends usage metrics of this host to Apollo's servers abroad every hour:
  // a government platform's data stays home (and the exporter's timers and flush cost CPU and shutdown time;
  // the export still in flight after stop() kept jest workers from exiting).
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger: logger.child({ component: 'apollo-gateway' }),
    buildService: ({ name }) =>
      new SubgraphDataSource({
        name,
        url: subgraphUrl(config, name),
        timeoutMs: config.GATEWAY_SUBGRAPH_TIMEOUT_MS,
        metrics: fetchMetrics,
      }),
  });

  // Depth, alias, cost, batch and response limits (typed errors, HTTP 400), the same code as in
  // every subgraph; batching refused.
  const limits = queryLimits(config, development);

  const verify = (authorization: string) => verifyBearerCached(authorization, config);
  const cache = config.GATEWAY_RESPONSE_CACHE
    ? new ResponseCache({
        maxAgeSeconds: config.GATEWAY_CACHE_MAX_AGE_S,
        maxBytes: config.GATEWAY_CACHE_MAX_MIB * 1_048_576,
      })
    : undefined;
  const invalidate =
    cache &&
    (await listenForCacheInvalidation(
      cache,
      subgraphs.map((s) => s.name),
      config,
      lifecycle,
      logger,
    ));

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // The Lifecycle owns SIGTERM/SIGINT: Apollo's own handler would re-raise the signal and end
    // the process before the shutdown steps after it have run.
    stopOnTerminationSignals: false,
    introspection: development,
    includeStacktraceInErrorResponses: development,
    allowBatchedHttpRequests: limits.allowBatchedHttpRequests,
    validationRules: limits.validationRules,
    stringifyResult: limits.stringifyResult,
    formatError: (formatted, error) => formatGatewayError(formatted, error, development),
    plugins: [
      // The gateway's own answer carries no cache-control header:
      // it is cached here, per scope, not by browsers or proxies.
      ApolloServerPluginCacheControl({ calculateHttpHeaders: false }),
      ...(cache && invalidate ? [responseCachePlugin<GatewayContext>(cache, invalidate)] : []),
      operationLogPlugin(logger),
      ...tracingPlugins(),
      metrics.apolloPlugin(),
      ...limits.plugins,
      ...(development ? [] : [ApolloServerPluginLandingPageDisabled()]),
    ],
  });
  await apollo.start();
  // Registered before the listener, so shutdown closes (drains) HTTP first, then stops Apollo.
  lifecycle.onStop('gateway apollo', () => apollo.stop());

  const readiness: ReadinessCheck[] = subgraphs.map(({ name, url }) => ({
    name,
    check: async () => {
      const res = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(2_000) });
      await res.body?.cancel();
      if (!res.ok) throw new Error(`${name} /health answered ${res.status}`);
    },
  }));

  const rates = rateLimits(config);
  const app = express();
  app.disable('x-powered-by');
  // No ETag: no client sends a conditional POST, and hashing every answer cost ~1% of the CPU in profiles.
  app.disable('etag');
  app.use(metrics.httpMiddleware());
  mountHealth(app, 'gateway', readiness, lifecycle);
  mountFileForwarding(app, {
    subgraphs,
    corsOrigins: config.GATEWAY_CORS_ORIGINS,
    maxUploadBytes: config.SPREADSHEET_MAX_BYTES,
    verify,
    rateLimit: (subject) => rates.request(subject),
    logger,
  });
  mountPortal(app, config, logger);
  app.use(
    '/graphql',
    requestIdMiddleware,
    serverSpanMiddleware('gateway'),
    corsMiddleware(config.GATEWAY_CORS_ORIGINS),
    jsonBody(config.GATEWAY_MAX_BODY_BYTES),
    safelistMiddleware(config, logger),
    // After the safelist, which turns a portal's persisted-operation id into its text.
    ...(cache ? [cacheLookup(cache, verify, (p) => rates.request(p.subject))] : []),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const authorization = req.header('authorization') ?? '';
        const principal = (res.locals.principal as Principal | undefined) ?? (await verify(authorization));
        rates.request(principal.subject);
        const cacheNote = (res.locals.cache as CacheNote | undefined) ?? { subgraphs: new Set<string>() };
        return { authorization, principal, requestId: currentRequestId()!, cache: cacheNote };
      },
    }),
    bodyErrorHandler(config.GATEWAY_MAX_BODY_BYTES, logger),
  );
  const { port } = await listen(app, config.GATEWAY_PORT, lifecycle, 'gateway');
  // /metrics on a port of its own: GATEWAY_PORT is the public one, and what the gateway measures is for operators.
  const { port: metricsPort } = await startHealthServer(
    'gateway',
    config.GATEWAY_METRICS_PORT,
    readiness,
    lifecycle,
    metrics,
  );
  logger.info({ port, metricsPort, subgraphs: subgraphs.map((s) => s.name) }, 'gateway listening');
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    metricsPort,
    lifecycle,
    logger,
    responseCache: cache,
    stop: () => lifecycle.stop(),
  };
}

if (require.main === module) runMain(() => startGateway(loadGatewayConfig()));
