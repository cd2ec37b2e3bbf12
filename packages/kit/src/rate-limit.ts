import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { AppError } from './errors';
import { requireRole, type Role } from './auth';
import type { PlatformConfig } from './config';
import type { RequestBase } from './subgraph-server';

/**
 * Rate per token (per subject: one caller's many tokens share it), a token bucket per process.
 *
 * Per process, not in Redis, on purpose: a request path must not wait on Redis (the API keeps
 * answering while Redis is down, and events leave through the outbox), and a bucket in memory costs
 * nothing per request. The limit a caller meets is therefore the setting times the replicas that
 * serve it; set it per replica. Flood protection before authentication (per address) belongs to
 * the ingress in front.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;
  private lastSweep = 0;

  /** `perMinute` 0 turns the limit off. */
  constructor(
    readonly perMinute: number,
    readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = perMinute / 60_000;
  }

  /** Takes one request's worth for `key`; the seconds to wait when there is none left, else 0. */
  take(key: string): number {
    if (this.perMinute === 0) return 0;
    const now = this.now();
    this.sweep(now);
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + (now - b.at) * this.perMs);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1_000));
  }

  /** Forgets buckets that have refilled: memory follows the callers of the last minutes only. */
  private sweep(now: number): void {
    if (now - this.lastSweep < 10_000) return;
    this.lastSweep = now;
    const fullAfterMs = this.burst / this.perMs;
    for (const [key, b] of this.buckets) if (now - b.at >= fullAfterMs) this.buckets.delete(key);
  }
}

/** Too many requests: code RATE_LIMITED, `retryAfter` in seconds, HTTP 429 with a Retry-After header. */
export class RateLimitedError extends AppError {
  constructor(retryAfter: number, what: string, field?: string) {
    super('RATE_LIMITED', `Too many ${what} for this token: retry after ${retryAfter} s.`, field, {
      retryAfter,
      http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) },
    });
  }
}

/** Expensive operations by coordinate (`Type.field`), each with the roles allowed to run it. */
export type ExpensiveOperations = Record<string, readonly Role[]>;

export type RateLimitConfig = Pick<
  PlatformConfig,
  'RATE_LIMIT_PER_MINUTE' | 'RATE_LIMIT_BURST' | 'EXPENSIVE_RATE_LIMIT_PER_HOUR' | 'EXPENSIVE_RATE_LIMIT_BURST'
>;

/** The per-token limits of one process: every request, and the expensive operations apart. */
export function rateLimits(config: RateLimitConfig, now?: () => number) {
  const requests = new RateLimiter(config.RATE_LIMIT_PER_MINUTE, config.RATE_LIMIT_BURST, now);
  const expensive = new RateLimiter(config.EXPENSIVE_RATE_LIMIT_PER_HOUR / 60, config.EXPENSIVE_RATE_LIMIT_BURST, now);
  return {
    /** Called once a request's token is verified. */
    request(subject: string): void {
      const wait = requests.take(subject);
      if (wait) throw new RateLimitedError(wait, 'requests');
    },
    /** Takes one expensive call (an export or import over HTTP) from the caller's bucket. */
    expensive(subject: string, what: string): void {
      const wait = expensive.take(subject);
      if (wait) throw new RateLimitedError(wait, `calls of ${what}`);
    },
    /**
     * Guards the expensive operations of a subgraph, each named by its coordinate with the roles
     * that need it (`{ 'Mutation.runBatchMatch': ['province'] }`): another role is FORBIDDEN, and each
     * call of a permitted one takes from the caller's expensive-operations bucket.
     */
    guardExpensive(schema: GraphQLSchema, operations: ExpensiveOperations): GraphQLSchema {
      for (const [coordinate, roles] of Object.entries(operations)) {
        const [typeName, fieldName] = coordinate.split('.');
        const type = schema.getType(typeName);
        const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
        if (!field) throw new Error(`expensive operation ${coordinate} is not a field of the schema`);
        const resolve: GraphQLFieldResolver<unknown, RequestBase> = field.resolve ?? defaultFieldResolver;
        field.resolve = (source, args, context, info) => {
          requireRole(context.principal, ...roles);
          const wait = expensive.take(context.principal.subject);
          if (wait) throw new RateLimitedError(wait, `calls of ${fieldName}`, fieldName);
          return resolve(source, args, context, info);
        };
      }
      return schema;
    },
  };
}
