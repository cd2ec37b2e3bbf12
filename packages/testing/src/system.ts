import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { inboxQueueName, SERVICES, type ServiceName } from '@anju/contracts';
import type { Lifecycle } from '@anju/kit';
import { createTestDatabase, withClient, type TestDatabase } from './database';
import { LogCapture } from './log-capture';
import { gql } from './graphql-client';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** How each service is started, by the names its own modules export. */
const SERVICE_MODULES: Record<ServiceName, { dir: string; prefix: string; env: string }> = {
  governance: { dir: 'governance', prefix: 'Governance', env: 'GOVERNANCE' },
  employment: { dir: 'employment', prefix: 'Employment', env: 'EMPLOYMENT' },
  'social-orgs': { dir: 'social-orgs', prefix: 'SocialOrgs', env: 'SOCIAL_ORGS' },
  matching: { dir: 'matching', prefix: 'Matching', env: 'MATCHING' },
};

export const schemaOf = (s: ServiceName) => s.replace('-', '_');

interface Started {
  lifecycle: Lifecycle;
  url?: string;
}

/** Settings that make the pipeline quick to observe in tests without changing its logic. */
export function testEnv(db: TestDatabase, queuePrefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: '3',
    QUEUE_PREFIX: queuePrefix,
    OUTBOX_POLL_MS: '50',
    OUTBOX_RECONCILE_MS: '300',
    JOB_BACKOFF_MS: '50',
    JOB_ATTEMPTS: '3',
    SHUTDOWN_GRACE_MS: '5000',
    GOVERNANCE_PORT: '0', EMPLOYMENT_PORT: '0', SOCIAL_ORGS_PORT: '0', MATCHING_PORT: '0', GATEWAY_PORT: '0',
    GOVERNANCE_WORKER_HEALTH_PORT: '0', EMPLOYMENT_WORKER_HEALTH_PORT: '0', SOCIAL_ORGS_WORKER_HEALTH_PORT: '0', MATCHING_WORKER_HEALTH_PORT: '0',
    ...extra,
  };
}

export interface SystemOptions {
  /** Subgraphs to serve (default: all four). */
  apis?: ServiceName[];
  /** Services whose worker runs in-process (default: all four). */
  workers?: ServiceName[];
  gateway?: boolean;
  env?: Record<string, string>;
  /** Echo service logs to stderr (debugging). */
  echoLogs?: boolean;
  label?: string;
}

/**
 * A whole Anju system inside the test process, isolated: its own database, its own queue
 * prefix, random ports. The real kit, subgraphs, workers and gateway; nothing mocked.
 */
export class TestSystem {
  readonly logs: LogCapture;
  readonly urls: Partial<Record<ServiceName | 'gateway', string>> = {};
  private readonly running: { name: string; lifecycle: Lifecycle }[] = [];
  /** Services with a process started (their schemas exist). */
  readonly services = new Set<ServiceName>();
  /** Services whose worker runs here: only their queues are expected to drain. */
  readonly consuming = new Set<ServiceName>();
  private redis?: IORedis;

  private constructor(readonly db: TestDatabase, readonly queuePrefix: string, readonly env: Record<string, string>, echo: boolean) {
    this.logs = new LogCapture(echo);
  }

  static async start(opts: SystemOptions = {}): Promise<TestSystem> {
    const db = await createTestDatabase(opts.label ?? 'sys');
    const prefix = `t-${randomBytes(4).toString('hex')}`;
    const sys = new TestSystem(db, prefix, testEnv(db, prefix, opts.env), opts.echoLogs ?? false);
    try {
      for (const s of opts.apis ?? SERVICES) await sys.startApi(s);
      for (const s of opts.workers ?? SERVICES) await sys.startWorker(s);
      if (opts.gateway ?? true) await sys.startGateway();
    } catch (err) {
      await sys.stop();
      throw err;
    }
    return sys;
  }

  private module(service: ServiceName) {
    // Loaded by path: the testing package must not depend on the services it starts.
    return require(path.join(REPO_ROOT, 'services', SERVICE_MODULES[service].dir, 'src')) as Record<string, (...args: unknown[]) => Promise<Started>>;
  }

  private config(service: ServiceName) {
    const m = this.module(service);
    return m[`load${SERVICE_MODULES[service].prefix}Config`](this.env);
  }

  async startApi(service: ServiceName): Promise<string> {
    const m = this.module(service);
    const started = await m[`start${SERVICE_MODULES[service].prefix}Api`](await this.config(service), { logDestination: this.logs });
    this.running.push({ name: `${service}-api`, lifecycle: started.lifecycle });
    this.services.add(service);
    this.urls[service] = started.url!;
    this.env[`${SERVICE_MODULES[service].env}_URL`] = started.url!;
    return started.url!;
  }

  async startWorker(service: ServiceName): Promise<void> {
    const m = this.module(service);
    const started = await m[`start${SERVICE_MODULES[service].prefix}Worker`](await this.config(service), { logDestination: this.logs });
    this.running.push({ name: `${service}-worker`, lifecycle: started.lifecycle });
    this.services.add(service);
    this.consuming.add(service);
  }

  /** Stops one in-process component (e.g. `employment-worker`) as a deploy would. */
  async stopComponent(name: string): Promise<void> {
    const i = this.running.findIndex((r) => r.name === name);
    if (i < 0) throw new Error(`${name} is not running`);
    const [r] = this.running.splice(i, 1);
    if (name.endsWith('-worker')) this.consuming.delete(name.slice(0, -'-worker'.length) as ServiceName);
    await r.lifecycle.stop('test');
  }

  async startGateway(): Promise<string> {
    const gw = require(path.join(REPO_ROOT, 'gateway', 'src', 'server')) as Record<string, (...a: unknown[]) => Promise<Started>>;
    const cfg = require(path.join(REPO_ROOT, 'gateway', 'src', 'config')) as Record<string, (env: unknown) => unknown>;
    const started = await gw.startGateway(cfg.loadGatewayConfig(this.env), { logDestination: this.logs });
    this.running.push({ name: 'gateway', lifecycle: started.lifecycle });
    this.urls.gateway = started.url!;
    return started.url!;
  }

  /** An operation through the gateway, as a portal sends it. */
  query<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, token?: string, requestId?: string) {
    return gql<T>(this.urls.gateway!, query, variables, { token, requestId });
  }

  /** An operation straight to one subgraph (as a partner NGO, or an attacker skipping the gateway). */
  direct<T = Record<string, any>>(service: ServiceName, query: string, variables: Record<string, unknown> = {}, token?: string) {
    return gql<T>(this.urls[service]!, query, variables, { token });
  }

  sql<T = any>(text: string, params: unknown[] = []): Promise<T[]> {
    return withClient(this.db.url, async (c) => (await c.query(text, params)).rows as T[]);
  }

  queue(service: ServiceName): Queue {
    this.redis ??= new IORedis(this.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    return new Queue(inboxQueueName(service), { connection: this.redis, prefix: this.queuePrefix });
  }

  /**
   * Waits until every event has left every outbox and the queue of every running worker is
   * empty, twice in a row (a handler may publish the next event). Polls; never sleeps a fixed time.
   */
  async waitForIdle(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let quietChecks = 0;
    const queues = [...this.consuming].map((s) => this.queue(s));
    try {
      while (Date.now() < deadline) {
        const [{ n: unsent }] = await this.sql<{ n: number }>(
          `SELECT ${[...this.services].map((sv) => `(SELECT count(*) FROM ${schemaOf(sv)}.outbox WHERE sent_at IS NULL)`).join(' + ') || '0'} AS n`,
        );
        const counts = await Promise.all(queues.map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children')));
        const busy = Number(unsent) + counts.reduce((sum, c) => sum + Object.values(c).reduce((a, b) => a + b, 0), 0);
        quietChecks = busy === 0 ? quietChecks + 1 : 0;
        if (quietChecks >= 2) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('queues did not drain in time');
    } finally {
      await Promise.all(queues.map((q) => q.close()));
    }
  }

  async stop(): Promise<void> {
    for (const r of this.running.reverse()) await r.lifecycle.stop('test finished').catch(() => undefined);
    this.running.length = 0;
    if (this.redis) {
      const keys = await this.redis.keys(`${this.queuePrefix}:*`);
      if (keys.length) await this.redis.del(...keys);
      this.redis.disconnect();
    }
    await this.db.drop();
  }
}
