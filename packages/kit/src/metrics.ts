import type { Express, NextFunction, Request, Response } from 'express';
import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DataSource } from 'typeorm';

/**
 * Prometheus metrics of one process (prom-client). Each process owns a registry of its own rather
 * than prom-client's global one: a test system runs nine "processes" in one Node process, and each
 * must answer `/metrics` with its own figures under its own `service` and `process` labels.
 *
 * Families (every name starts with `anju_`; Node's own `process_*`/`nodejs_*` come with them):
 * - `anju_http_requests_total`, `anju_http_request_duration_seconds` {route, method, status}
 * - `anju_graphql_operations_total` {operation, type, outcome}, `anju_graphql_operation_duration_seconds`
 *   {operation, type}, `anju_graphql_errors_total` {operation, code}
 * - gauges read at scrape time (DB pool, queues, outbox, dead letters, schedulers) through `gaugeFromSnapshot`,
 *   each source cached for SCRAPE_CACHE_MS so a burst of scrapes does not hammer PostgreSQL or Redis.
 */
export class ProcessMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  readonly httpDuration: Histogram<'route' | 'method' | 'status'>;
  readonly operations: Counter<'operation' | 'type' | 'outcome'>;
  readonly operationDuration: Histogram<'operation' | 'type'>;
  readonly operationErrors: Counter<'operation' | 'code'>;
  private readonly operationNames = new Set<string>();

  constructor(
    readonly labels: { service: string; process: string },
    readonly cacheMs = SCRAPE_CACHE_MS,
  ) {
    this.registry.setDefaultLabels(labels);
    collectDefaultMetrics({ register: this.registry });
    const r = [this.registry];
    this.httpRequests = new Counter({
      name: 'anju_http_requests_total',
      help: 'HTTP requests answered, by route, method and status.',
      labelNames: ['route', 'method', 'status'],
      registers: r,
    });
    this.httpDuration = new Histogram({
      name: 'anju_http_request_duration_seconds',
      help: 'Time to answer an HTTP request.',
      labelNames: ['route', 'method', 'status'],
      registers: r,
      buckets: LATENCY_BUCKETS,
    });
    this.operations = new Counter({
      name: 'anju_graphql_operations_total',
      help: 'GraphQL operations, by operation name, type and outcome (ok, error).',
      labelNames: ['operation', 'type', 'outcome'],
      registers: r,
    });
    this.operationDuration = new Histogram({
      name: 'anju_graphql_operation_duration_seconds',
      help: 'Time from receiving a GraphQL operation to sending its answer.',
      labelNames: ['operation', 'type'],
      registers: r,
      buckets: LATENCY_BUCKETS,
    });
    this.operationErrors = new Counter({
      name: 'anju_graphql_errors_total',
      help: 'Errors in GraphQL answers, by operation name and error code.',
      labelNames: ['operation', 'code'],
      registers: r,
    });
  }

  /** A counter in this process's registry (every metric of the project is made through here). */
  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  histogram<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    buckets = LATENCY_BUCKETS,
  ): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  /**
   * An operation's name as a label: client-chosen, so held to identifier syntax and to
   * MAX_OPERATION_NAMES distinct values per process (the rest count as `other`).
   */
  operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return 'invalid';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return 'other';
    this.operationNames.add(name);
    return name;
  }

  /**
   * Gauges whose values come from one snapshot read at scrape time (one SQL statement, one Redis
   * round) and kept for `cacheMs`: every gauge of the snapshot reads the same cached answer.
   */
  gaugesFromSnapshot<S, N extends string>(
    read: () => Promise<S>,
    gauges: Record<
      N,
      {
        help: string;
        labelNames?: string[];
        values: (snapshot: S) => Array<{ labels?: Record<string, string>; value: number }>;
      }
    >,
    cacheMs = this.cacheMs,
  ): void {
    const snapshot = cached(read, cacheMs);
    for (const [name, def] of Object.entries(gauges) as [N, (typeof gauges)[N]][]) {
      new Gauge({
        name,
        help: def.help,
        labelNames: def.labelNames ?? [],
        registers: [this.registry],
        async collect() {
          this.reset();
          let s: S;
          try {
            s = await snapshot();
          } catch {
            return; // the source is down: the gauge is absent from this scrape, and alerts on absence say so
          }
          for (const v of def.values(s)) {
            if (v.labels) this.set(v.labels, v.value);
            else this.set(v.value);
          }
        },
      });
    }
  }

  /** The PostgreSQL pool of a data source: connections open, idle, and callers waiting for one. */
  watchPool(db: DataSource, max: number): void {
    const pool = () =>
      (db.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master;
    this.gaugesFromSnapshot(
      async () => pool(),
      {
        anju_db_pool_connections: {
          help: 'PostgreSQL pool connections by state (total, idle, waiting callers) and the pool size (max).',
          labelNames: ['state'],
          values: (p) =>
            p
              ? [
                  { labels: { state: 'total' }, value: p.totalCount },
                  { labels: { state: 'idle' }, value: p.idleCount },
                  { labels: { state: 'waiting' }, value: p.waitingCount },
                  { labels: { state: 'max' }, value: max },
                ]
              : [],
        },
      },
      0,
    );
  }

  /**
   * The service's outbox backlog, the age of its oldest unsent row and its unresolved dead letters
   * (one SQL statement per scrape, cached). Served by the API process as well as the worker: a
   * backlog grows exactly when the worker that relays it is down and cannot say so itself.
   */
  watchEventTables(db: DataSource): void {
    this.gaugesFromSnapshot(
      async () => {
        const [row] = await db.query(`
          SELECT (SELECT count(*) FROM outbox WHERE sent_at IS NULL)::int AS unsent,
                 (SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND settled_at IS NULL)::int AS unsettled,
                 COALESCE((SELECT extract(epoch FROM clock_timestamp() - min(occurred_at)) FROM outbox WHERE sent_at IS
                   NULL), 0)::float8 AS oldest,
                 (SELECT count(*) FROM dead_letter WHERE resolved_at IS NULL)::int AS dead`);
        return row as { unsent: number; unsettled: number; oldest: number; dead: number };
      },
      {
        anju_outbox_backlog: {
          help:
            'Outbox rows not yet sent to a queue (unsent), and sent ' +
            'but not yet confirmed by every consumer (unsettled).',
          labelNames: ['state'],
          values: (r) => [
            { labels: { state: 'unsent' }, value: r.unsent },
            { labels: { state: 'unsettled' }, value: r.unsettled },
          ],
        },
        anju_outbox_oldest_unsent_age_seconds: {
          help: 'Age of the oldest outbox row not yet sent (0 when none).',
          values: (r) => [{ value: r.oldest }],
        },
        anju_dead_letters: {
          help: 'Unresolved dead letters of this service (pnpm dlq list).',
          values: (r) => [{ value: r.dead }],
        },
      },
    );
  }

  /** Counts every HTTP request by a fixed route label (never the raw path: it would grow without bound). */
  httpMiddleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      const started = process.hrtime.bigint();
      res.once('finish', () => {
        // originalUrl: a router mounted at a path (`app.use('/graphql', …)`) rewrites req.url while it runs.
        const path = req.originalUrl.split('?')[0];
        const route = KNOWN_ROUTES.find((p) => path === p || path.startsWith(`${p}/`)) ?? 'other';
        const labels = { route, method: req.method, status: String(res.statusCode) };
        this.httpRequests.inc(labels);
        this.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      });
      next();
    };
  }

  /** Apollo plugin: every operation's name, type, outcome, duration and error codes. */
  apolloPlugin(): ApolloServerPlugin {
    return {
      requestDidStart: async () => {
        const started = process.hrtime.bigint();
        return {
          willSendResponse: async ({ operationName, operation, errors, request, document }) => {
            // An operation refused before it resolved (validation) has no resolved name: take the one it was sent with.
            const named = document?.definitions.find((d) => d.kind === 'OperationDefinition' && d.name);
            const op = this.operationLabel(
              operationName ??
                request.operationName ??
                (named as { name?: { value: string } } | undefined)?.name?.value,
            );
            const type = operation?.operation ?? 'unknown';
            this.operations.inc({ operation: op, type, outcome: errors?.length ? 'error' : 'ok' });
            this.operationDuration.observe({ operation: op, type }, Number(process.hrtime.bigint() - started) / 1e9);
            for (const e of errors ?? [])
              this.operationErrors.inc({ operation: op, code: String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
          },
        };
      },
    };
  }

  /** `GET /metrics` in Prometheus's text format. */
  mount(app: Express): void {
    app.get('/metrics', async (_req, res) => {
      res.setHeader('content-type', this.registry.contentType);
      res.end(await this.registry.metrics());
    });
  }
}

/** How long a scrape-time snapshot (PostgreSQL counts, queue counts) is reused. */
export const SCRAPE_CACHE_MS = 5_000;
const MAX_OPERATION_NAMES = 200;
const KNOWN_ROUTES = ['/graphql', '/health', '/ready', '/metrics', '/queues', '/files', '/portal'];
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** `read` at most once per `ms` (concurrent callers share one call); a failure is not kept. */
export function cached<T>(read: () => Promise<T>, ms: number): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    const now = performance.now();
    if (last && now - last.at < ms) return last.value;
    const value = read();
    last = { at: now, value };
    value.catch(() => {
      if (last?.value === value) last = undefined;
    });
    return value;
  };
}
