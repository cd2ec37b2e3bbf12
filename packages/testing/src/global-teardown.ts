/**
 * Jest global teardown: removes what this run left on the shared servers — its databases (the
 * migrated templates, and those of a file that could not clean up) and its `t-<run>-*` Redis
 * keys — and nothing of other runs. Says what it removed besides the templates.
 */
import IORedis from 'ioredis';
import { droppedLater, dropDatabasesOfRun, TEST_REDIS_URL, TEST_RUN } from './database';
import { deleteKeys } from './system';

const TEMPLATE = /^anju_tpl(build)?\d*_/;

export default async function globalTeardown(): Promise<void> {
  // The last files' databases may still be on their way out (dropped after each file, not waited for).
  const dropped = await droppedLater(TEST_RUN, TEMPLATE);
  await dropDatabasesOfRun(TEST_RUN);
  const redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  let keys = 0;
  try {
    keys = await deleteKeys(redis, `t-${TEST_RUN}-*`);
  } finally {
    redis.disconnect();
  }
  if (dropped.length || keys) {
    process.stdout.write(
      `\nleft by test files and removed now: ${dropped.length} ` +
        `database(s) ${dropped.join(' ')}, ${keys} Redis key(s)\n`,
    );
  }
}
