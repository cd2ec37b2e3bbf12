import IORedis, { type Redis, type RedisOptions } from 'ioredis';
import type { PlatformConfig } from './config';

/**
 * Two kinds of connection, because they fail differently on purpose:
 * - `worker`: BullMQ workers block on Redis and must retry for ever (maxRetriesPerRequest null).
 * - `producer`: anything on a request path or in the relay fails fast when Redis is down, so a
 *   caller gets an answer and the outbox keeps the event for later.
 */
export function createRedis(
  config: Pick<PlatformConfig, 'REDIS_URL'>,
  kind: 'worker' | 'producer',
  name: string,
): Redis {
  const common: RedisOptions = { connectionName: name, lazyConnect: false };
  const options: RedisOptions =
    kind === 'worker'
      ? {
          ...common,
          maxRetriesPerRequest: null,
          enableReadyCheck: true,
          retryStrategy: (n) => Math.min(n * 200, 2_000),
        }
      : {
          ...common,
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          connectTimeout: 2_000,
          commandTimeout: 5_000,
          retryStrategy: (n) => Math.min(n * 200, 2_000),
        };
  const redis = new IORedis(config.REDIS_URL, options);
  // Connection errors are retried by ioredis; readiness reports them. Without a listener they crash the process.
  redis.on('error', () => undefined);
  return redis;
}
