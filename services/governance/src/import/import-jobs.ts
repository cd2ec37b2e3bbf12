import { Queue, Worker } from 'bullmq';
import type { DataSource } from 'typeorm';
import {
  InputError, NotFoundError, SpreadsheetError, createRedis, readSpreadsheet, requireRole, runWithRequestId,
  type Clock, type Lifecycle, type Logger, type PersonalDataVault, type PlatformConfig, type Principal, type SpreadsheetLimits,
} from '@anju/kit';
import { HouseholdImport, ImportRaceError, KEPT_ERRORS, LookupQuotaError, type ImportMode, type RowError } from './household-import';
import { HOUSEHOLD_COLUMNS, REPORT_ERRORS, REPORT_OUTCOME } from './household-sheet';

/** What a county can import (more kinds — employment records, trainings, land, volunteers — belong to their services). */
export const IMPORT_KINDS = ['households'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_MODES: readonly ImportMode[] = ['dry_run', 'all_or_nothing', 'valid_rows'];
/** The roles that import: officers, in their own scope. */
export const IMPORT_ROLES = ['province', 'county', 'site_officer'] as const;

/** Governance's queue of import jobs. A published name: never rename. */
export const IMPORT_QUEUE = 'governance.imports';

export interface ImportJobRow {
  id: string;
  kind: ImportKind;
  mode: ImportMode;
  status: 'queued' | 'checking' | 'writing' | 'done' | 'failed';
  fileName: string | null;
  total: number | null;
  rowsChecked: number;
  rowsWritten: number;
  created: number;
  updated: number;
  unchanged: number;
  errorCount: number;
  errors: RowError[];
  failure: { code: string; message: string; cell?: string; columns?: string[] } | null;
  hasReport: boolean;
  createdAt: Date;
  finishedAt: Date | null;
}

const COLUMNS = `id, kind, mode, status, file_name AS "fileName", total, rows_checked AS "rowsChecked", rows_written AS "rowsWritten",
  created_count AS created, updated_count AS updated, unchanged_count AS unchanged, error_count AS "errorCount", errors, failure,
  report_sealed IS NOT NULL AS "hasReport", created_at AS "createdAt", finished_at AS "finishedAt"`;

/**
 * Import jobs (导入任务): an upload is checked as a file at once (size, format, zip bomb, merged
 * cells, encoding, columns: a bad file is refused before any job exists), stored sealed, and
 * run in the background by a BullMQ worker on `governance.imports`, concurrency 1. The worker
 * needs the PII keys (an import seals and hashes ID numbers), which governance's event worker
 * never holds: it runs in the subgraph process (IMPORTS_IN_API, the default: one process less on a
 * developer machine and in the tests) or, where the subgraph's heap is bounded (compose and
 * Kubernetes give it 160 MiB, and a county's 40,000 rows are checked in memory), in its own
 * process, `import-worker.ts`, with the subgraph's keys and the heap an import needs. Progress, errors and the report are read through GraphQL and
 * `/files/imports/<id>/report`.
 */
export class ImportJobs {
  private readonly queue: Queue;
  private readonly worker?: Worker;

  constructor(
    private readonly db: DataSource,
    private readonly vault: PersonalDataVault,
    private readonly clock: Clock,
    private readonly limits: SpreadsheetLimits,
    config: PlatformConfig,
    private readonly logger: Logger,
    lifecycle: Lifecycle,
    /** NATIONAL_ID_LOOKUPS_PER_DAY. */
    private readonly lookupsPerDay: number,
    /** Whether this process runs the jobs (IMPORTS_IN_API for the subgraph; always for `import-worker.ts`). */
    consume: boolean,
  ) {
    const producer = createRedis(config, 'producer', 'governance-imports');
    const consumer = consume ? createRedis(config, 'worker', 'governance-imports-worker') : undefined;
    this.queue = new Queue(IMPORT_QUEUE, { connection: producer, prefix: config.QUEUE_PREFIX });
    this.queue.on('error', (err) => logger.warn({ err }, 'import queue connection problem'));
    if (consumer) {
      this.worker = new Worker(IMPORT_QUEUE, async (job) => runWithRequestId(`import-${job.data.jobId}`, () => this.run(job.data.jobId as string)), {
        connection: consumer, prefix: config.QUEUE_PREFIX, concurrency: 1, lockDuration: config.JOB_LOCK_MS,
      });
      this.worker.on('error', (err) => logger.warn({ err }, 'import worker connection problem'));
    }
    lifecycle.onStop('governance import redis', async () => {
      producer.disconnect();
      consumer?.disconnect();
    });
    lifecycle.onStop('governance import worker', async () => {
      await this.worker?.close();
      await this.queue.close();
    });
  }

  /** Checks the file as a file, stores it sealed and queues the job. */
  async submit(principal: Principal, kind: string, mode: string, fileName: string | undefined, bytes: Buffer | undefined): Promise<{ id: string; status: string }> {
    requireRole(principal, ...IMPORT_ROLES);
    if (!(IMPORT_KINDS as readonly string[]).includes(kind)) throw new InputError('kind', `No import of "${kind}": one of ${IMPORT_KINDS.join(', ')}.`, 'UNKNOWN_KIND');
    if (!(IMPORT_MODES as readonly string[]).includes(mode)) throw new InputError('mode', `The mode is one of ${IMPORT_MODES.join(', ')}.`, 'UNKNOWN_MODE');
    if (!bytes?.length) throw new SpreadsheetError('EMPTY_FILE', 'Send the file as the request body.');
    // The whole-file checks (all but formulas and hidden sheets, met while rows stream) answer at once.
    await readSpreadsheet(bytes, { columns: HOUSEHOLD_COLUMNS, limits: this.limits, fileName, ignoreHeaders: ['序号', REPORT_OUTCOME, REPORT_ERRORS] });
    const [{ id }] = await this.db.query(
      `INSERT INTO import_job (kind, mode, actor_subject, actor, file_name, file_sealed) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [kind, mode, principal.subject, JSON.stringify(principal), fileName?.slice(0, 200) ?? null, this.vault.seal(bytes.toString('base64'))],
    );
    await this.queue.add('import', { jobId: id }, { jobId: id, removeOnComplete: 100, removeOnFail: 500, attempts: 1 });
    return { id, status: 'queued' };
  }

  /** Runs one job (the BullMQ worker calls it; a test or a bench may too). */
  async run(jobId: string): Promise<void> {
    const [job] = await this.db.query(`SELECT kind, mode, actor, file_name AS "fileName", file_sealed AS file, status FROM import_job WHERE id = $1`, [jobId]);
    if (!job || !job.file || job.status === 'done' || job.status === 'failed') return;
    const set = (sql: string, params: unknown[] = []) => this.db.query(`UPDATE import_job SET ${sql} WHERE id = $1`, [jobId, ...params]);
    await set(`status = 'checking', rows_checked = 0, rows_written = 0`);
    const importer = new HouseholdImport(this.db, this.vault, job.actor as Principal, this.clock, this.limits, this.lookupsPerDay);
    try {
      const out = await importer.run(Buffer.from(this.vault.open(job.file), 'base64'), job.fileName ?? undefined, job.mode, jobId, {
        total: (n) => set('total = $2', [n]),
        checked: (n) => set('rows_checked = $2', [n]),
        writing: () => set(`status = 'writing'`),
        written: (n) => set('rows_written = $2', [n]),
      });
      await set(
        `status = 'done', rows_checked = $2, rows_written = $3, created_count = $4, updated_count = $5, unchanged_count = $6, error_count = $7,
         errors = $8, report_sealed = $9, file_sealed = NULL, finished_at = now()`,
        [out.total, out.written, out.created, out.updated, out.unchanged, out.errors.length, JSON.stringify(out.errors.slice(0, KEPT_ERRORS)),
          this.vault.seal(out.report.toString('base64'))],
      );
      this.logger.info({ jobId, total: out.total, written: out.written, errors: out.errors.length }, 'import done');
    } catch (err) {
      const failure = err instanceof SpreadsheetError
        ? { code: err.problem, message: err.message, ...err.where }
        : err instanceof ImportRaceError ? { code: 'CONFLICT', message: err.message }
        : err instanceof LookupQuotaError ? { code: 'DAILY_QUOTA', message: err.message } : { code: 'INTERNAL', message: 'The import failed; nothing was written. Quote the job id when you report it.' };
      if (!(err instanceof SpreadsheetError) && !(err instanceof ImportRaceError) && !(err instanceof LookupQuotaError)) this.logger.error({ err, jobId }, 'import failed');
      await set(`status = 'failed', failure = $2, file_sealed = NULL, finished_at = now()`, [JSON.stringify(failure)]);
    }
  }

  /** A job of the caller's own (another's is NOT_FOUND). */
  async get(principal: Principal, id: string): Promise<ImportJobRow | null> {
    const [row] = await this.db.query(`SELECT ${COLUMNS} FROM import_job WHERE id = as_uuid($1) AND actor_subject = $2`, [id, principal.subject]);
    return row ?? null;
  }

  async list(principal: Principal, first: number): Promise<ImportJobRow[]> {
    return this.db.query(`SELECT ${COLUMNS} FROM import_job WHERE actor_subject = $1 ORDER BY created_at DESC LIMIT $2`, [principal.subject, Math.min(Math.max(first, 1), 100)]);
  }

  /** The error report of a finished job of the caller's. */
  async report(principal: Principal, id: string): Promise<Buffer> {
    const [row] = await this.db.query(`SELECT report_sealed AS report FROM import_job WHERE id = as_uuid($1) AND actor_subject = $2`, [id, principal.subject]);
    if (!row?.report) throw new NotFoundError('id', 'No report for this import (yet).');
    return Buffer.from(this.vault.open(row.report), 'base64');
  }
}
