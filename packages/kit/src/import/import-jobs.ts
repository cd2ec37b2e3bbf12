import { Queue, Worker } from 'bullmq';
import type { DataSource, QueryRunner } from 'typeorm';
import { requireRole, type Principal, type Role } from '../auth';
import type { PlatformConfig } from '../config';
import { InputError, NotFoundError } from '../errors';
import { isUuid } from '../ids';
import type { Lifecycle } from '../lifecycle';
import type { Logger } from '../logger';
import type { Clock } from '../clock';
import type { LookupHasher, UploadSealer } from '../personal-data';
import { createRedis } from '../redis';
import { runWithRequestId } from '../request-context';
import { attachment, type FileRoute } from '../spreadsheet/file-routes';
import { SpreadsheetError } from '../spreadsheet/spreadsheet-error';
import { readSpreadsheet, type ColumnSpec, type SpreadsheetLimits } from '../spreadsheet/spreadsheet-reader';
import { xlsxBuffer, type XlsxColumn } from '../spreadsheet/xlsx-writer';
import {
  IGNORED_HEADERS,
  IMPORT_MODES,
  ImportRefusal,
  type ImportMode,
  type ImportOutcome,
  type ImportProgress,
  type RowError,
} from './sheet-import';

/** One kind of import a service offers (户籍花名册, 就业, 培训, 三块地, 志愿者…). */
export interface ImportKind {
  /** The sheet's columns: checked at upload, before a job exists. */
  columns: readonly ColumnSpec[];
  /** The importer of one job, acting as its uploader. */
  importer(principal: Principal): {
    run(
      bytes: Buffer,
      fileName: string | undefined,
      mode: ImportMode,
      jobId: string,
      progress: ImportProgress,
    ): Promise<ImportOutcome>;
  };
  /** The downloadable template: Chinese headers (required ones marked *), drop-down lists, an example row. */
  template: { fileName: string; sheet: string; columns: readonly XlsxColumn[]; example: readonly unknown[] };
}

export interface ImportJobRow {
  id: string;
  kind: string;
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

/** Row errors kept on the job for GraphQL and JSON (the report has all of them). */
export const KEPT_ERRORS = 1_000;
/** The roles that import: officers, in their own scope. */
export const IMPORT_ROLES: readonly Role[] = ['province', 'county', 'site_officer'];

const COLUMNS = `id, kind, mode, status, file_name AS "fileName", total, rows_checked AS "rowsChecked",
  rows_written AS "rowsWritten",
  created_count AS created, updated_count AS updated, unchanged_count AS unchanged, error_count AS "errorCount",
    errors, failure,
  report_sealed IS NOT NULL AS "hasReport", created_at AS "createdAt", finished_at AS "finishedAt"`;

/**
 * What a service's imports are built from: its data source, the keys of its imports (the hash key
 * finds residents by ID number; the upload key seals sheets), its clock, the file limits and its runtime.
 */
export interface ImportDeps {
  db: DataSource;
  hasher: LookupHasher;
  sealer: UploadSealer;
  clock: Clock;
  limits: SpreadsheetLimits;
  config: PlatformConfig;
  logger: Logger;
  lifecycle: Lifecycle;
}

export interface ImportJobsOptions {
  /** The service that owns the jobs (its schema holds `import_job`; the gateway forwards /files/<service>/…). */
  service: string;
  /** The BullMQ queue of the jobs. A published name: never rename. */
  queue: string;
  kinds: Readonly<Record<string, ImportKind>>;
  db: DataSource;
  /** Seals the file and the report: both hold ID numbers in clear (UPLOAD_SEALING_KEY, not the ID numbers' key). */
  sealer: UploadSealer;
  limits: SpreadsheetLimits;
  config: PlatformConfig;
  logger: Logger;
  lifecycle: Lifecycle;
  /** Whether this process runs the jobs (else only queues them). */
  consume: boolean;
}

/**
 * Import jobs (导入任务) of one service: an upload is checked as a file at once (size, format,
 * zip bomb, merged cells, encoding, columns: a bad file is refused before any job exists), stored
 * sealed, and run in the background by a BullMQ worker, concurrency 1, as its uploader (their
 * role and scope are kept on the job). Progress, errors and the report are read by their
 * uploader only, as JSON at `/files/<service>/imports/<id>` and the report as .xlsx.
 */
export class ImportJobs {
  private readonly queue: Queue;
  private readonly worker?: Worker;

  constructor(private readonly opts: ImportJobsOptions) {
    const { config, logger, lifecycle, service } = opts;
    const producer = createRedis(config, 'producer', `${service}-imports`);
    const consumer = opts.consume ? createRedis(config, 'worker', `${service}-imports-worker`) : undefined;
    this.queue = new Queue(opts.queue, { connection: producer, prefix: config.QUEUE_PREFIX });
    this.queue.on('error', (err) => logger.warn({ err }, 'import queue connection problem'));
    if (consumer) {
      this.worker = new Worker(
        opts.queue,
        async (job) => runWithRequestId(`import-${job.data.jobId}`, () => this.run(job.data.jobId as string)),
        {
          connection: consumer,
          prefix: config.QUEUE_PREFIX,
          concurrency: 1,
          lockDuration: config.JOB_LOCK_MS,
        },
      );
      this.worker.on('error', (err) => logger.warn({ err }, 'import worker connection problem'));
    }
    lifecycle.onStop(`${service} import redis`, async () => {
      producer.disconnect();
      consumer?.disconnect();
    });
    lifecycle.onStop(`${service} import worker`, async () => {
      await this.worker?.close();
      await this.queue.close();
    });
  }

  private kind(kind: string): ImportKind {
    const k = Object.hasOwn(this.opts.kinds, kind) ? this.opts.kinds[kind] : undefined;
    if (!k)
      throw new InputError(
        'kind',
        `No import of "${kind}" here: one of ${Object.keys(this.opts.kinds).join(', ')}.`,
        'UNKNOWN_KIND',
      );
    return k;
  }

  /** Checks the file as a file, stores it sealed and queues the job. */
  async submit(
    principal: Principal,
    kind: string,
    mode: string,
    fileName: string | undefined,
    bytes: Buffer | undefined,
  ): Promise<{ id: string; status: string }> {
    requireRole(principal, ...IMPORT_ROLES);
    const spec = this.kind(kind);
    if (!(IMPORT_MODES as readonly string[]).includes(mode))
      throw new InputError('mode', `The mode is one of ${IMPORT_MODES.join(', ')}.`, 'UNKNOWN_MODE');
    if (!bytes?.length) throw new SpreadsheetError('EMPTY_FILE', 'Send the file as the request body.');
    // The whole-file checks (all but formulas and hidden sheets, met while rows stream) answer at once.
    const sheet = await readSpreadsheet(bytes, {
      columns: spec.columns,
      limits: this.opts.limits,
      fileName,
      ignoreHeaders: IGNORED_HEADERS,
    });
    await sheet.close();
    const [{ id }] = await this.opts.db.query(
      `INSERT INTO import_job (kind, mode, actor_subject, actor, file_name, file_sealed)
        VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [
        kind,
        mode,
        principal.subject,
        JSON.stringify(principal),
        fileName?.slice(0, 200) ?? null,
        this.opts.sealer.seal(bytes),
      ],
    );
    await this.queue.add('import', { jobId: id }, { jobId: id, removeOnComplete: 100, removeOnFail: 500, attempts: 1 });
    return { id, status: 'queued' };
  }

  /** Runs one job (the BullMQ worker calls it; a test or a bench may too). */
  async run(jobId: string): Promise<void> {
    const { db, sealer, logger } = this.opts;
    const [job] = await db.query(
      `SELECT kind, mode, actor, file_name AS "fileName", file_sealed AS file, status FROM import_job WHERE id = $1`,
      [jobId],
    );
    if (!job || !job.file || job.status === 'done' || job.status === 'failed') return;
    const set = (sql: string, params: unknown[] = []) =>
      db.query(`UPDATE import_job SET ${sql} WHERE id = $1`, [jobId, ...params]);
    await set(`status = 'checking', rows_checked = 0, rows_written = 0`);
    try {
      const importer = this.kind(job.kind).importer(job.actor as Principal);
      const out = await importer.run(sealer.open(job.file), job.fileName ?? undefined, job.mode, jobId, {
        total: (n) => set('total = $2', [n]),
        checked: (n) => set('rows_checked = $2', [n]),
        writing: () => set(`status = 'writing'`),
        written: (n) => set('rows_written = $2', [n]),
      });
      await set(
        `status = 'done', rows_checked = $2, rows_written = $3, created_count = $4, updated_count = $5,
         unchanged_count = $6, error_count = $7,
         errors = $8, report_sealed = $9, file_sealed = NULL, finished_at = now()`,
        [
          out.total,
          out.written,
          out.created,
          out.updated,
          out.unchanged,
          out.errors.length,
          JSON.stringify(out.errors.slice(0, KEPT_ERRORS)),
          sealer.seal(out.report),
        ],
      );
      logger.info(
        { jobId, kind: job.kind, total: out.total, written: out.written, errors: out.errors.length },
        'import done',
      );
    } catch (err) {
      const failure =
        err instanceof SpreadsheetError
          ? { code: err.problem, message: err.message, ...err.where }
          : err instanceof ImportRefusal
            ? { code: err.code, message: err.message }
            : {
                code: 'INTERNAL',
                message: 'The import failed; nothing was written. Quote the job id when you report it.',
              };
      if (!(err instanceof SpreadsheetError) && !(err instanceof ImportRefusal))
        logger.error({ err, jobId }, 'import failed');
      await set(`status = 'failed', failure = $2, file_sealed = NULL, finished_at = now()`, [JSON.stringify(failure)]);
    }
  }

  /** A job of the caller's own (another's is NOT_FOUND). */
  async get(principal: Principal, id: string): Promise<ImportJobRow | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.opts.db.query(
      `SELECT ${COLUMNS} FROM import_job WHERE id = $1::uuid AND actor_subject = $2`,
      [id, principal.subject],
    );
    return row ?? null;
  }

  async list(principal: Principal, first: number): Promise<ImportJobRow[]> {
    return this.opts.db.query(
      `SELECT ${COLUMNS} FROM import_job WHERE actor_subject = $1 ORDER BY created_at DESC LIMIT $2`,
      [principal.subject, Math.min(Math.max(first, 1), 100)],
    );
  }

  /** The error report of a finished job of the caller's. */
  async report(principal: Principal, id: string): Promise<Buffer> {
    if (!isUuid(id)) throw new NotFoundError('id', 'No such import.');
    const [row] = await this.opts.db.query(
      `SELECT report_sealed AS report FROM import_job WHERE id = $1::uuid AND actor_subject = $2`,
      [id, principal.subject],
    );
    if (!row?.report) throw new NotFoundError('id', 'No report for this import (yet).');
    return this.opts.sealer.open(row.report);
  }

  /** The template of a kind, as .xlsx bytes. */
  async template(kind: string): Promise<{ fileName: string; bytes: Buffer }> {
    const t = this.kind(kind).template;
    return { fileName: t.fileName, bytes: await xlsxBuffer(t.sheet, t.columns, [t.example]) };
  }

  /**
   * The job as JSON, as the portal and `pnpm run import` read it for every service: the GraphQL
   * type's fields (enumerations upper case), the report's path under the gateway's /files.
   */
  view(j: ImportJobRow) {
    const { hasReport, ...rest } = j;
    return {
      ...rest,
      mode: j.mode.toUpperCase(),
      status: j.status.toUpperCase(),
      reportPath: hasReport ? `/files/${this.opts.service}/imports/${j.id}/report` : null,
      createdAt: new Date(j.createdAt).toISOString(),
      finishedAt: j.finishedAt ? new Date(j.finishedAt).toISOString() : null,
    };
  }
}

/**
 * A service's import files over HTTP (the gateway forwards /files/<service>/… here): the upload
 * (`POST /imports/<kind>?mode=…&fileName=…`, the file as the body), the job as JSON, its error
 * report, and each kind's template (`GET /templates/<kind>`).
 */
export function importRoutes(imports: ImportJobs): FileRoute[] {
  return [
    {
      method: 'post',
      path: '/imports/:kind',
      roles: IMPORT_ROLES,
      expensive: true,
      handle: (req) =>
        imports.submit(
          req.principal,
          req.params.kind,
          (req.query.mode ?? 'all_or_nothing').toLowerCase(),
          req.query.fileName,
          req.body,
        ),
    },
    {
      method: 'get',
      path: '/imports/:id',
      roles: IMPORT_ROLES,
      expensive: false,
      handle: async (req) => {
        const job = await imports.get(req.principal, req.params.id);
        if (!job) throw new NotFoundError('id', 'No such import.');
        return imports.view(job);
      },
    },
    {
      method: 'get',
      path: '/imports/:id/report',
      roles: IMPORT_ROLES,
      expensive: false,
      handle: async (req, res) => {
        const bytes = await imports.report(req.principal, req.params.id);
        attachment(res, `导入报告-${req.params.id.slice(0, 8)}.xlsx`);
        res.end(bytes);
      },
    },
    {
      method: 'get',
      path: '/templates/:kind',
      roles: IMPORT_ROLES,
      expensive: false,
      handle: async (req, res) => {
        const t = await imports.template(req.params.kind);
        attachment(res, t.fileName);
        res.end(t.bytes);
      },
    },
  ];
}

/**
 * The `import_job` table of a service that imports, for its migration: one row per upload, with
 * its progress (rows checked, rows written, of the total), the row errors and the report. The
 * uploaded file and the report hold ID numbers in clear, so both are sealed (AES-256-GCM, with
 * UPLOAD_SEALING_KEY), and the file is erased when the job ends.
 */
export async function createImportJobTable(q: QueryRunner): Promise<void> {
  await q.query(`
    CREATE TABLE import_job (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL,
      mode text NOT NULL CHECK (mode IN ('dry_run', 'all_or_nothing', 'valid_rows')),
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'checking', 'writing', 'done', 'failed')),
      actor_subject text NOT NULL,
      actor jsonb NOT NULL,
      file_name text,
      file_sealed bytea,
      total int,
      rows_checked int NOT NULL DEFAULT 0,
      rows_written int NOT NULL DEFAULT 0,
      created_count int NOT NULL DEFAULT 0,
      updated_count int NOT NULL DEFAULT 0,
      unchanged_count int NOT NULL DEFAULT 0,
      error_count int NOT NULL DEFAULT 0,
      errors jsonb NOT NULL DEFAULT '[]',
      failure jsonb,
      report_sealed bytea,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`);
  await q.query(
    `COMMENT ON COLUMN import_job.actor IS 'The uploader''s role and scope: the job writes only where they may'`,
  );
  await q.query(
    `COMMENT ON COLUMN import_job.errors IS 'The first row errors (row, column, code, message): no personal data'`,
  );
  await q.query(`CREATE INDEX import_job_actor ON import_job (actor_subject, created_at DESC)`);
}
