import express, { type Express } from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Lifecycle } from './lifecycle';
import type { ProcessMetrics } from './metrics';

/** A named dependency check for /ready: PostgreSQL answers, Redis answers. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<unknown>;
}

const CHECK_TIMEOUT_MS = 2_000;

/**
 * `/health` says the process lives (for restarts); `/ready` says it can serve (for load
 * balancers): every dependency answered within two seconds and the process is not stopping.
 */
export function mountHealth(app: Express, service: string, checks: ReadinessCheck[], lifecycle: Lifecycle): void {
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service });
  });
  app.get('/ready', async (_req, res) => {
    if (lifecycle.isStopping) {
      res.status(503).json({ status: 'stopping', service });
      return;
    }
    const results = await Promise.all(
      checks.map(async ({ name, check }) => {
        try {
          await Promise.race([
            check(),
            new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS).unref()),
          ]);
          return [name, 'ok'] as const;
        } catch {
          return [name, 'down'] as const;
        }
      }),
    );
    const ready = results.every(([, s]) => s === 'ok');
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not ready', service, checks: Object.fromEntries(results) });
  });
}

/**
 * Listens, and registers a graceful close with the lifecycle: stop accepting connections, answer
 * every request already received (each with `Connection: close`, so no client sends another on a
 * connection that is going away), then resolve; connections still busy after the grace are cut.
 */
export async function listen(
  app: Express,
  port: number,
  lifecycle: Lifecycle,
  name: string,
): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer();
  server.keepAliveTimeout = 65_000; // longer than the gateway's pooled connections idle
  const open = new Set<http.ServerResponse>();
  let draining = false;
  server.on('request', (_req, res: http.ServerResponse) => {
    if (draining) res.setHeader('connection', 'close');
    open.add(res);
    res.once('close', () => open.delete(res));
  });
  server.on('request', app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve());
  });
  lifecycle.onStop(
    `${name} http`,
    () =>
      new Promise<void>((resolve) => {
        draining = true;
        for (const res of open) if (!res.headersSent) res.setHeader('connection', 'close');
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), lifecycle.graceMs).unref();
      }),
  );
  return { server, port: (server.address() as AddressInfo).port };
}

/**
 * A process with no API (a worker) still answers /health and /ready on its own port, and /metrics
 * there when given its metrics; `mount` adds routes of its own (the operator's queue board).
 */
export async function startHealthServer(
  service: string,
  port: number,
  checks: ReadinessCheck[],
  lifecycle: Lifecycle,
  metrics?: ProcessMetrics,
  mount?: (app: Express) => void,
) {
  const app = express();
  app.disable('x-powered-by');
  if (metrics) {
    app.use(metrics.httpMiddleware());
    metrics.mount(app);
  }
  mount?.(app);
  mountHealth(app, service, checks, lifecycle);
  return listen(app, port, lifecycle, `${service} health`);
}
