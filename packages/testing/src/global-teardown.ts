/**
 * Jest global teardown: removes what this run left on the shared servers — its databases (the
 * migrated templates, and those of a file that could not clean up) and its `t-<run>-*` Redis
 * keys — and nothing of other runs. Says what it removed besides the templates.
 */
import IORedis from 'ioredis';
import { dropDatabasesOfRun, TEST_REDIS_URL, TEST_RUN } from './database';
import { deleteKeys } from './system';

export default async function globalTeardown(): Promise<void> {
  const dropped = (await dropDatabasesOfRun(TEST_RUN)).filter((d) => !/^anju_tpl(build)?\d*_/.test(d));
  const redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  let keys = 0;
  try {
    keys = await deleteKeys(redis, `t-${TEST_RUN}-*`);
  } finally {
    redis.disconnect();
  }
  if (dropped.length || keys) {
    process.stdout.write(`\nleft by test files and removed now: ${dropped.length} database(s) ${dropped.join(' ')}, ${keys} Redis key(s)\n`);
  }
}
