/**
 * `pnpm dlq list <service>` / `pnpm dlq replay <service> [eventId...]`: the dead letters of a
 * service's inbox — events that failed on every attempt or could never succeed — and sending them
 * to the service's queue again. A replay keeps the event id, so the inbox still applies each event
 * once; a replayed event leaves the list when its worker has processed it.
 */
import { ConfigError, createDataSource, createRedis, loadConfig, platformSettings, isUuid } from '@anju/kit';
import {
  SERVICES,
  listDeadLetters,
  pgSchemaOf,
  replayDeadLetters,
  type DeadLetter,
  type ServiceName,
} from '@anju/contracts';
import { renderTable } from './table';

export const DLQ_USAGE = `Usage:
  pnpm dlq list <service>                 unresolved dead letters of a service, oldest first
  pnpm dlq replay <service> [eventId...]  send them (all, or these) to the service's queue again
Services: ${SERVICES.join(', ')}. DATABASE_URL, REDIS_URL and QUEUE_PREFIX come from the environment.`;

class UsageError extends Error {}

export type DlqCommand =
  | { action: 'list'; service: ServiceName }
  | { action: 'replay'; service: ServiceName; eventIds?: string[] }
  | { action: 'help' };

type DataSource = ReturnType<typeof createDataSource>;

export function parseDlqArgs(argv: readonly string[]): DlqCommand {
  const args = argv.filter((a) => a !== '--');
  if (!args.length || args.includes('--help') || args.includes('-h')) return { action: 'help' };
  const [action, service, ...rest] = args;
  if (action !== 'list' && action !== 'replay') throw new UsageError(`unknown command "${action}" (list or replay)`);
  if (!service) throw new UsageError(`${action} needs a service (${SERVICES.join(', ')})`);
  if (!(SERVICES as readonly string[]).includes(service))
    throw new UsageError(`unknown service "${service}" (one of ${SERVICES.join(', ')})`);
  if (action === 'list') {
    if (rest.length) throw new UsageError(`list takes no more arguments (got ${rest.join(' ')})`);
    return { action, service: service as ServiceName };
  }
  const bad = rest.filter((id) => !isUuid(id));
  if (bad.length) throw new UsageError(`not an event id (a UUID): ${bad.join(', ')}`);
  return { action, service: service as ServiceName, eventIds: rest.length ? rest : undefined };
}

/** The PostgreSQL schema that holds a service's tables (`social-orgs` → `social_orgs`). */
export const schemaOf = (service: ServiceName) => pgSchemaOf(service);

export function deadLetterTable(rows: readonly DeadLetter[]): string {
  return renderTable(
    ['event id', 'event', 'attempts', 'failed at', 'replays', 'error'],
    rows.map((r) => [
      r.eventId,
      r.event,
      String(r.attempts),
      new Date(r.failedAt).toISOString().replace('T', ' ').slice(0, 19),
      r.replayCount ? `${r.replayCount} (last ${new Date(r.replayedAt!).toISOString().slice(11, 19)})` : '0',
      r.error.replace(/\s+/g, ' ').slice(0, 80),
    ]),
  );
}

async function hasDeadLetterTable(db: DataSource, schema: string): Promise<boolean> {
  const rows: unknown[] = await db.query(
    `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'dead_letter'`,
    [schema],
  );
  return rows.length > 0;
}

async function main(): Promise<void> {
  let cmd: DlqCommand;
  try {
    cmd = parseDlqArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`dlq: ${err.message}\n\n${DLQ_USAGE}\n`);
    process.exit(2);
  }
  if (cmd.action === 'help') {
    process.stdout.write(`${DLQ_USAGE}\n`);
    return;
  }
  const config = loadConfig(platformSettings);
  const schema = schemaOf(cmd.service);
  const db = createDataSource(config, { schema, migrations: [], applicationName: 'anju-dlq' });
  try {
    await db.initialize();
  } catch (err) {
    throw new Error(`cannot reach PostgreSQL at DATABASE_URL: ${(err as Error).message}`);
  }
  try {
    if (!(await hasDeadLetterTable(db, schema))) {
      throw new Error(
        `${cmd.service} has no dead_letter table in schema "${schema}" ` +
          `yet: its api or worker migrates it on first start (pnpm start)`,
      );
    }
    if (cmd.action === 'list') {
      const rows = await listDeadLetters(db);
      process.stdout.write(
        rows.length
          ? `${deadLetterTable(rows)}\n${rows.length} dead letter(s) in ${cmd.service}\n`
          : `no dead letters in ${cmd.service}\n`,
      );
      return;
    }
    const connection = createRedis(config, 'producer', 'anju-dlq');
    try {
      const replayed = await replayDeadLetters({
        db,
        service: cmd.service,
        connection,
        config,
        eventIds: cmd.eventIds,
      });
      const missing = (cmd.eventIds ?? []).filter(
        (id) => !replayed.includes(id.toLowerCase()) && !replayed.includes(id),
      );
      if (replayed.length)
        process.stdout.write(
          `replayed ${replayed.length} event(s) to ${cmd.service}:\n${replayed.map((id) => `  ${id}`).join('\n')}\n`,
        );
      else process.stdout.write(`nothing to replay in ${cmd.service}\n`);
      if (missing.length) {
        process.stderr.write(
          `not unresolved dead letters of ${cmd.service} (already resolved, or unknown): ${missing.join(', ')}\n`,
        );
        process.exitCode = 1;
      }
    } finally {
      connection.disconnect();
    }
  } finally {
    await db.destroy();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(
      `dlq: ${err instanceof ConfigError ? err.message : ((err as Error)?.message ?? String(err))}\n`,
    );
    process.exit(1);
  });
}
