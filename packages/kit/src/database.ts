import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { DataSource, type Logger as TypeOrmLogger } from 'typeorm';
import { countSqlStatement } from './request-context';
import type { Logger } from './logger';
import type { PlatformConfig } from './config';

/* eslint-disable @typescript-eslint/no-explicit-any */
type MigrationClass = new () => any;

export interface DataSourceOptions {
  /** PostgreSQL schema that holds this service's tables; no other service reads it. */
  schema: string;
  /** Ordered: the list is the history. */
  migrations: MigrationClass[];
  /** Shown in pg_stat_activity. */
  applicationName: string;
  /**
   * The role the running service acts as (`SET ROLE` at connect), distinct from the owner that
   * runs migrations: what a migration REVOKEs from it (e.g. UPDATE on an audit log) the service
   * itself cannot do. The login user must be a member of it. Unset: the login user acts.
   */
  runtimeRole?: string;
  /** statement_timeout of the pool's sessions (ms; 0 or unset: none): a runaway query is cancelled, not suffered. */
  statementTimeoutMs?: number;
}

export function createDataSource(
  config: Pick<PlatformConfig, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'> &
    Partial<Pick<PlatformConfig, 'DATABASE_POOL_WAIT_MS'>>,
  opts: DataSourceOptions,
): DataSource {
  assertIdentifier(opts.schema);
  if (opts.runtimeRole) assertIdentifier(opts.runtimeRole);
  return new DataSource({
    type: 'postgres',
    url: config.DATABASE_URL,
    schema: opts.schema,
    // Tables are read and written by SQL, each described by its migration and a row type: no entities.
    entities: [],
    migrations: opts.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    // Not a log: every statement counts against its request, so a test can see an N+1.
    logger: STATEMENT_COUNTER,
    applicationName: opts.applicationName,
    extra: {
      max: config.DATABASE_POOL_SIZE,
      // Raw SQL in a service names its own tables unqualified.
      options:
        `-c search_path=${opts.schema},public${opts.runtimeRole ? ` -c role=${opts.runtimeRole}` : ''}` +
        (opts.statementTimeoutMs ? ` -c statement_timeout=${Math.trunc(opts.statementTimeoutMs)}` : ''),
      // Both the wait for a free connection and the connecting: past it, isDatabaseUnavailable (a 503).
      connectionTimeoutMillis: config.DATABASE_POOL_WAIT_MS ?? 5_000,
    },
  });
}

const STATEMENT_COUNTER: TypeOrmLogger = {
  logQuery: countSqlStatement,
  logQueryError: () => undefined,
  logQuerySlow: () => undefined,
  logSchemaBuild: () => undefined,
  logMigration: () => undefined,
  log: () => undefined,
};

/**
 * Runs pending migrations under a PostgreSQL advisory lock keyed by the schema, so that every
 * replica of a service (api and worker) may boot at once: one migrates, the others wait and then
 * find nothing to do.
 */
export async function migrate(
  ds: DataSource,
  schema: string,
  logger: Logger,
  login?: { role: string; password?: string },
): Promise<void> {
  assertIdentifier(schema);
  const runner = ds.createQueryRunner();
  await runner.connect();
  const key = advisoryKey(`anju:migrate:${schema}`);
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [key]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const done = await ds.runMigrations({ transaction: 'each' });
    if (done.length)
      logger.info({ migrations: done.map((m) => m.name) }, `applied ${done.length} migration(s) to ${schema}`);
    // The owner's bootstrap: the runtime role (created by the schema's migrations) may log in, with
    // the password its URL carries; it owns nothing, so RESET ROLE gives nothing back.
    if (login) {
      const [{ sql }] = await runner.query(
        `SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS' || CASE WHEN
          $2::text IS NULL THEN '' ELSE ' PASSWORD %L' END, $1::text, $2::text) AS sql`,
        [login.role, login.password ?? null],
      );
      await alterRoleRetrying(runner, sql);
    }
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
    await runner.release();
  }
}

/**
 * Roles are cluster-wide while the advisory lock above is per database: several databases of one
 * server (test files, a rolling deploy) may alter the same role at once, and PostgreSQL then
 * refuses all but one with "tuple concurrently updated". The statement is idempotent: try again.
 */
async function alterRoleRetrying(runner: { query(sql: string): Promise<unknown> }, sql: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await runner.query(sql);
      return;
    } catch (err) {
      if (attempt >= 10 || !/tuple concurrently updated/.test(String((err as Error).message))) throw err;
      await new Promise((r) => setTimeout(r, 20 * attempt));
    }
  }
}

/** The URL of a service's own login (its runtime role) on the owner's server and database. */
export function serviceLoginUrl(ownerUrl: string, role: string, password?: string): string {
  assertIdentifier(role);
  const url = new URL(ownerUrl);
  url.username = role;
  url.password = password ?? '';
  return url.toString();
}

/**
 * Whether the session's login could act as the schema's owner: a superuser, the owner itself or
 * a member of it (then `RESET ROLE` or `SET ROLE` gives the owner back).
 */
export async function loginCanOwn(ds: DataSource, schema: string): Promise<boolean> {
  const [row] = await ds.query(
    `SELECT r.rolsuper OR coalesce(pg_has_role(session_user, n.nspowner, 'MEMBER'), false) AS owner
       FROM pg_roles r LEFT JOIN pg_namespace n ON n.nspname = $1 WHERE r.rolname = session_user`,
    [schema],
  );
  return Boolean(row?.owner);
}

/** A stable 63-bit key from a name, for pg_advisory_lock. */
export function advisoryKey(name: string): string {
  return BigInt.asIntN(64, BigInt('0x' + createHash('sha256').update(name).digest('hex').slice(0, 16))).toString();
}

function assertIdentifier(name: string): void {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a safe schema name: ${name}`);
}

/** Node's socket errors: the server is not there (down, restarting, unreachable). */
const SOCKET_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // Node's fetch (undici), as the gateway forwards files: the peer closed the socket before it answered
  // (a subgraph stopping or crashing mid-request: "other side closed"), or did not accept it in time.
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** What pg and pg-pool say when the session ended or never came (they give no code). */
const UNAVAILABLE_MESSAGES = new RegExp(
  [
    'Connection terminated',
    'Client has encountered a connection error',
    'connection timeout',
    'Connection is closed',
    // pg-pool: no connection of the pool free within connectionTimeoutMillis.
    'timeout exceeded when trying to connect',
  ].join('|'),
  'i',
);

/**
 * Whether an error says PostgreSQL is unavailable (down, restarting, refusing connections, the
 * session cut) rather than anything about the statement: the class 08 connection exceptions,
 * administrator shutdown and "cannot connect now" (57P01–57P03), too many connections (53300),
 * a refused or reset socket, a client whose connection ended, and no connection of the pool
 * free in time (pg-pool's "timeout exceeded when trying to connect": every one busy, under load or
 * held by long work). Work failing this way has not failed: it should wait and run again, not be
 * given up on; a request failing this way is answered SERVICE_UNAVAILABLE, not an internal error.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : '';
  if (code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code) || SOCKET_ERRORS.has(code))
    return true;
  const message = typeof e.message === 'string' ? e.message : '';
  if (UNAVAILABLE_MESSAGES.test(message)) return true;
  // What it wraps: TypeORM's driverError, GraphQL's originalError, a fetch's cause.
  const inner = [e.driverError, (e as { originalError?: unknown }).originalError, (e as { cause?: unknown }).cause];
  return inner.some((x) => x !== undefined && x !== err && isDatabaseUnavailable(x));
}

/**
 * Rows of an UPDATE … RETURNING through TypeORM's postgres driver, which answers `[rows, count]` for UPDATE and DELETE.
 */
export function returning<T>(result: unknown): T[] {
  const r = result as unknown[];
  return (Array.isArray(r) && r.length === 2 && Array.isArray(r[0]) && typeof r[1] === 'number' ? r[0] : r) as T[];
}

/** Anything that runs SQL (a DataSource, an EntityManager, a test client): what rules and tasks need. */
export interface SqlRunner {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(text: string, params?: unknown[]): Promise<any>;
}

/**
 * A runner that also opens a transaction (a DataSource, the tests'
 * client): a task whose change and its effects commit together.
 */
export interface TransactionalSql extends SqlRunner {
  transaction<T>(work: (m: SqlRunner) => Promise<T>): Promise<T>;
}
