import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createImportJobTable } from '@anju/kit';

/** Imports (导入) of counties' spreadsheets run as background jobs (the kit's `import_job` table). */
export class ImportJobs1764500000000 implements MigrationInterface {
  name = 'ImportJobs1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await createImportJobTable(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE import_job`);
  }
}
