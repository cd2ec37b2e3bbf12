import type { EntityManager } from 'typeorm';
import type { Principal } from '../auth';
import { isIsoDate } from '../ids';
import { currentRequestId } from '../request-context';
import {
  readSpreadsheet,
  type ColumnSpec,
  type SheetRow,
  type SpreadsheetLimits,
} from '../spreadsheet/spreadsheet-reader';
import { xlsxBuffer } from '../spreadsheet/xlsx-writer';

export type ImportMode = 'dry_run' | 'all_or_nothing' | 'valid_rows';
export const IMPORT_MODES: readonly ImportMode[] = ['dry_run', 'all_or_nothing', 'valid_rows'];

/**
 * One problem of one row: the row as the spreadsheet numbers
 * it, the column's header, a code and a message for the clerk.
 */
export interface RowError {
  row: number;
  column: string | null;
  code: string;
  message: string;
}

export interface ImportProgress {
  total(n: number): Promise<void>;
  checked(n: number): Promise<void>;
  writing(): Promise<void>;
  written(n: number): Promise<void>;
}

export interface ImportOutcome {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  written: number;
  errors: RowError[];
  /** The file's rows with what became of each and why not (.xlsx). */
  report: Buffer;
}

/**
 * What an import does with a good row: its natural key is new,
 * names a record whose facts it changes, or one it leaves as it is.
 */
export type RowOutcome = 'create' | 'update' | 'unchanged';

/** A row of a sheet as an import checks it; each kind adds what it found (ids, parsed values). */
export interface ImportRow<K extends string = string> {
  sheet: SheetRow<K>;
  errors: RowError[];
  outcome?: RowOutcome;
  /** The fields an update changes (their headers), for the report. */
  changed?: string[];
}

/** The report's two columns after the file's own: what became of the row, and why not. */
export const REPORT_OUTCOME = '导入结果';
export const REPORT_ERRORS = '错误说明';
/**
 * Headers a sheet may carry that no import reads: a row number, and a
 * report's own columns (a corrected report is re-imported as it is).
 */
export const IGNORED_HEADERS = ['序号', REPORT_OUTCOME, REPORT_ERRORS];

/** Rows written per statement (and per publishSelect batch of events). */
export const IMPORT_BATCH = 1_000;

/** A job refused as a whole, with the code the job's failure shows (nothing was written). */
export class ImportRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The register changed under the import (someone wrote one of its records meanwhile): nothing was written. */
export class ImportRaceError extends ImportRefusal {
  constructor() {
    super(
      'CONFLICT',
      'The register changed while the file was being imported; nothing was written. Run the import again.',
    );
  }
}

/**
 * The course of every import (导入), whatever it brings in: every row is read and checked
 * before anything is written — each row on its own (`checkRow`: required cells, formats,
 * enumerations), then all together (`checkRows`: duplicates in the file, the database, the
 * caller's scope, each good row's outcome by its natural key). A dry run stops there. An import
 * writes in one transaction (`write`) — nothing if any row is bad (all-or-nothing), or the good
 * rows (valid rows only). The report is the file's rows, each with what became of it and why not.
 */
export abstract class SheetImport<K extends string, R extends ImportRow<K>> {
  protected abstract readonly columns: readonly ColumnSpec<K>[];
  private headers?: Record<K, string>;

  constructor(protected readonly limits: SpreadsheetLimits) {}

  /** Each row on its own. */
  protected abstract checkRow(sheet: SheetRow<K>): R;
  /** All rows together; reports rows checked as it goes. */
  protected abstract checkRows(rows: R[], mode: ImportMode, jobId: string, progress: ImportProgress): Promise<void>;
  /** Writes the good rows in one transaction; returns the rows written. */
  protected abstract write(rows: R[], jobId: string, progress: ImportProgress): Promise<number>;

  /** A column's header as the template writes it. */
  protected header(key: K): string {
    this.headers ??= Object.fromEntries(this.columns.map((c) => [c.key, c.header])) as Record<K, string>;
    return this.headers[key];
  }

  /** Adds an error to a row, in the column of `key` (null: the row as a whole). */
  protected fail(r: { sheet: SheetRow<K>; errors: RowError[] }, key: K | null, code: string, message: string): void {
    r.errors.push({ row: r.sheet.row, column: key === null ? null : this.header(key), code, message });
  }

  /** Required cells left empty. */
  protected requireCells(r: { sheet: SheetRow<K>; errors: RowError[] }): void {
    for (const c of this.columns)
      if (c.required && !r.sheet.values[c.key]) this.fail(r, c.key, 'REQUIRED', `${c.header}不能为空`);
  }

  async run(
    bytes: Buffer,
    fileName: string | undefined,
    mode: ImportMode,
    jobId: string,
    progress: ImportProgress,
  ): Promise<ImportOutcome> {
    const sheet = await readSpreadsheet(bytes, {
      columns: this.columns,
      limits: this.limits,
      fileName,
      ignoreHeaders: IGNORED_HEADERS,
    });
    const rows: R[] = [];
    for await (const r of sheet.rows) rows.push(this.checkRow(r));
    await progress.total(rows.length);
    await this.checkRows(rows, mode, jobId, progress);
    const good = rows.filter((r) => !r.errors.length);
    const write = mode === 'valid_rows' || (mode === 'all_or_nothing' && good.length === rows.length);
    let written = 0;
    if (write && good.length) {
      await progress.writing();
      written = await this.write(good, jobId, progress);
    }
    // A dry run counts what the import would do; an import that wrote nothing counts nothing.
    const count = (o: RowOutcome) => (write || mode === 'dry_run' ? good.filter((r) => r.outcome === o).length : 0);
    return {
      total: rows.length,
      created: count('create'),
      updated: count('update'),
      unchanged: count('unchanged'),
      written,
      errors: rows.flatMap((r) => r.errors),
      report: await importReport(sheet.headers, rows, mode, write),
    };
  }
}

/** The file's rows, each with what became of it (or would, in a dry run) and its errors. */
export function importReport(
  headers: string[],
  rows: readonly ImportRow[],
  mode: ImportMode,
  written: boolean,
): Promise<Buffer> {
  const label = (r: ImportRow) => {
    if (r.errors.length) return '错误';
    const what = { create: '新增', update: `更新（${(r.changed ?? []).join('、')}）`, unchanged: '无变化' }[
      r.outcome ?? 'create'
    ];
    if (mode === 'dry_run') return `可导入：${what}`;
    return written ? what : '未写入（文件中有错误）';
  };
  const keep = headers.filter((h) => h !== REPORT_OUTCOME && h !== REPORT_ERRORS);
  const at = keep.map((h) => headers.indexOf(h));
  return xlsxBuffer(
    '导入报告',
    [
      ...keep.map((header) => ({ header })),
      { header: REPORT_OUTCOME, width: 18 },
      { header: REPORT_ERRORS, width: 60 },
    ],
    rows.map((r) => [
      ...at.map((i) => r.sheet.cells[i] ?? ''),
      label(r),
      r.errors.map((e) => (e.column ? `${e.column}：${e.message}` : e.message)).join('；'),
    ]),
  );
}

/**
 * One audit row per record a set-based write touched (`select`
 * gives id, site_id, region_code), in the same transaction.
 */
export async function auditImported(
  m: EntityManager,
  p: Principal,
  action: string,
  entityType: string,
  select: string,
  params: unknown[],
  jobId: string,
): Promise<void> {
  const n = params.length;
  await m.query(
    `INSERT INTO audit_log (actor_subject, actor_role, action, entity_type, entity_id, site_id, region_code,
      request_id, detail)
     SELECT $${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, src.id, src.site_id, src.region_code, $${n + 5},
       $${n + 6}::jsonb FROM (${select}) src`,
    [
      ...params,
      p.subject,
      p.role,
      action,
      entityType,
      currentRequestId() ?? null,
      JSON.stringify({ importJob: jobId }),
    ],
  );
}

/** 2019-06-01, 2019/6/1, 2019.6.1, 2019年6月1日 → 2019-06-01; anything else null. */
export function normalizeDate(s: string): string | null {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s.trim());
  if (!m) return null;
  const iso = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

/**
 * A cell holding an amount (元, 亩, 小时): digits with at most two decimals, thousands separators allowed; null if not one.
 */
export function parseAmount(s: string): number | null {
  const t = s.replace(/[,，\s]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return null;
  return Number(t);
}

/** Rows in batches of `IMPORT_BATCH`. */
export function* batches<T>(rows: readonly T[], size = IMPORT_BATCH): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/** Why a 身份证号 cell is not an ID number (parseNationalId's problems), for the clerk. */
export const NATIONAL_ID_PROBLEMS = {
  FORMAT: '身份证号应为 17 位数字加 1 位数字或 X',
  BIRTH_DATE: '身份证号中的出生日期不是真实的过去日期',
  CHECK_DIGIT: '身份证号校验位错误，可能有数字输错',
} as const;

/** An enumeration's cell: the code of a label (or of another wording of it), undefined if none. */
export function codeOf<C extends string>(labels: Readonly<Record<string, C>>, cell: string): C | undefined {
  return Object.hasOwn(labels, cell) ? labels[cell] : undefined;
}
