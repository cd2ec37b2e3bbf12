import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Imports (导入) of counties' spreadsheets run as background jobs: one row per upload, with its
 * progress (rows checked, rows written, of the total) for the portal's progress bar and
 * `pnpm import`, the row errors, and the error report. The uploaded file and the report hold ID
 * numbers in clear, so both are sealed like an ID number (AES-256-GCM, by governance's subgraph),
 * and the file is erased when the job ends.
 */
export class ImportJobs1764500000000 implements MigrationInterface {
  name = 'ImportJobs1764500000000';

  async up(q: QueryRunner): Promise<void> {
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
    await q.query(`COMMENT ON COLUMN import_job.actor IS 'The uploader''s role and scope: the job writes only where they may'`);
    await q.query(`COMMENT ON COLUMN import_job.errors IS 'The first row errors (row, column, code, message): no personal data'`);
    await q.query(`CREATE INDEX import_job_actor ON import_job (actor_subject, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE import_job`);
  }
}
