import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL server tests run against (a database of its own per test file). */
export const TEST_PG_SERVER = 'postgres://postgres@127.0.0.1:5432';
/** The Redis tests run against (a queue prefix of their own per test file). */
export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * The id of this test run, embedded in every database name and queue prefix it makes, so that
 * its clean-up removes what this run left and nothing of the runs beside it on the same servers.
 * The jest global setup sets it for every worker; a process started otherwise gets its own.
 */
export const TEST_RUN: string = (process.env.ANJU_TEST_RUN ??= randomBytes(4).toString('hex'));

/** `anju_<label>_<run>_<random>`: what the clean-up of run `<run>` recognises as its own. */
export function testDatabaseName(label: string): string {
  return `anju_${label.replace(/\W/g, '_').toLowerCase().slice(0, 30)}_${TEST_RUN}_${randomBytes(4).toString('hex')}`;
}

/** `t-<run>-<random>`: a queue prefix of this run. */
export function testQueuePrefix(): string {
  return `t-${TEST_RUN}-${randomBytes(4).toString('hex')}`;
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function admin<T>(fn: (c: Client) => Promise<T>, server = TEST_PG_SERVER): Promise<T> {
  const client = new Client({ connectionString: `${server}/postgres` });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function dropNow(name: string, server = TEST_PG_SERVER): Promise<void> {
  return admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`), server).then(() => undefined);
}

/** `application_name` of the sessions that drop a test file's database after it (see dropLater). */
const DROPPER = 'anju-test-drop';

/**
 * Drops `name` from the shared server in a process of its own, which the test file does not wait
 * for: PostgreSQL 15 makes each DROP DATABASE wait for a forced checkpoint (0.6–3.5 s measured,
 * longer the busier the server), time every file spent idle at its end. Drops of files ending
 * together share a checkpoint. The run's global teardown waits for them and drops, and reports,
 * what is still there.
 */
function dropLater(name: string): void {
  const script = `const [pg, url, name, app] = process.argv.slice(1);
const c = new (require(pg).Client)({ connectionString: url, application_name: app });
c.connect().then(() => c.query('DROP DATABASE IF EXISTS "' + name + '" WITH (FORCE)')).finally(() => c.end());`;
  spawn(process.execPath, ['-e', script, require.resolve('pg'), `${TEST_PG_SERVER}/postgres`, name, DROPPER], {
    detached: true,
    stdio: 'ignore',
  }).unref();
}

function handle(name: string, server = TEST_PG_SERVER): TestDatabase {
  return {
    name,
    url: `${server}/${name}`,
    drop: async () => (server === TEST_PG_SERVER ? dropLater(name) : dropNow(name, server)),
  };
}

/**
 * A fresh database; `drop()` removes it even if connections linger. Empty, or a copy of
 * `template` (a database nobody is connected to, e.g. one from `migratedTemplate`). On `server`
 * when given (a throwaway cluster: `postgres://postgres@127.0.0.1:<port>`), else the shared one.
 */
export async function createTestDatabase(
  label = 't',
  template?: string,
  server = TEST_PG_SERVER,
): Promise<TestDatabase> {
  const name = testDatabaseName(label);
  await admin((c) => c.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`), server);
  return handle(name, server);
}

/** The databases of run `run` (default: this one) still on the server. */
export async function databasesOfRun(run = TEST_RUN): Promise<string[]> {
  if (!/^[0-9a-f]{8}$/.test(run)) throw new Error(`not a test run id: ${run}`);
  const rows = await admin((c) =>
    c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname ~ $1 ORDER BY datname`, [
      `^anju_[a-z0-9_]*_${run}_[0-9a-f]{8}$`,
    ]),
  );
  return rows.rows.map((r) => r.datname);
}

/**
 * Drops what `databasesOfRun(run)` lists, waiting for each; returns their names. A few at once:
 * concurrent drops share their checkpoints.
 */
export async function dropDatabasesOfRun(run = TEST_RUN): Promise<string[]> {
  const names = await databasesOfRun(run);
  for (let i = 0; i < names.length; i += 8) await Promise.all(names.slice(i, i + 8).map((name) => dropNow(name)));
  return names;
}

/**
 * Waits until the databases of run `run` that `keep` does not match are gone (dropped after their
 * files, see dropLater), up to `timeoutMs`; returns those still there.
 */
export async function droppedLater(run: string, keep: RegExp, timeoutMs = 30_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = (await databasesOfRun(run)).filter((d) => !keep.test(d));
    if (!left.length || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A short-lived client on a test database, for arranging and asserting in SQL. */
export async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
