import { QueueEvents } from 'bullmq';
import { inboxQueueName, SERVICES, type ServiceName } from '@anju/contracts';
import { createRedis, type Lifecycle, type Logger, type PlatformConfig } from '@anju/kit';
import type { ResponseCache } from './response-cache';

/**
 * What makes the gateway's cached answers stale, heard from Redis:
 * - a subgraph's worker applied an event (a job completed on `<service>.events`): that service's
 *   data moved, so answers that came from it go;
 * - a mutation passed through some gateway process (a message on one channel every process of the
 *   deployment listens to): answers from the subgraphs it called go, in every process.
 * While Redis is unreachable nothing could tell the cache about changes: it is emptied and not
 * used until the connections are back.
 */
export async function listenForCacheInvalidation(
  cache: ResponseCache,
  subgraphNames: readonly string[],
  config: Pick<PlatformConfig, 'REDIS_URL' | 'QUEUE_PREFIX'>,
  lifecycle: Lifecycle,
  logger: Logger,
): Promise<(subgraph: string) => void> {
  const channel = `${config.QUEUE_PREFIX}:gateway:cache-invalidate`;
  const subscriber = createRedis(config, 'worker', 'gateway-cache-subscriber');
  const publisher = createRedis(config, 'producer', 'gateway-cache-publisher');
  const services = SERVICES.filter((s): s is ServiceName => subgraphNames.includes(s));
  const connections = services.map((service) => createRedis(config, 'worker', `gateway-cache-${service}`));
  const listeners = services.map((service, i) => {
    const events = new QueueEvents(inboxQueueName(service), {
      connection: connections[i],
      prefix: config.QUEUE_PREFIX,
    });
    events.on('completed', () => cache.invalidate(service));
    events.on('error', () => undefined);
    return events;
  });

  const follow = () => {
    if (subscriber.status === 'ready') cache.resume();
    else cache.suspend();
  };
  subscriber.on('ready', follow).on('close', follow).on('end', follow).on('reconnecting', follow);
  subscriber.on('message', (_channel: string, subgraph: string) => cache.invalidate(subgraph));
  await subscriber.subscribe(channel);
  await Promise.all(listeners.map((l) => l.waitUntilReady()));
  follow();

  lifecycle.onStop('gateway cache invalidation', async () => {
    // Connections first (BullMQ leaves those it was given open): a listener blocked on a Redis that
    // is gone would otherwise wait for it. Then the listeners, for at most a second.
    for (const c of [...connections, subscriber, publisher]) c.disconnect();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(listeners.map((l) => l.close().catch(() => undefined))),
      new Promise((resolve) => (timer = setTimeout(resolve, 1_000))),
    ]);
    clearTimeout(timer);
  });

  return (subgraph: string) => {
    cache.invalidate(subgraph);
    publisher.publish(channel, subgraph).catch((err: Error) => {
      logger.warn(
        { err, subgraph },
        'could not tell other gateway processes to drop cached answers; they expire by max-age',
      );
    });
  };
}
