import { once } from 'node:events';
import { PassThrough, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';

/**
 * Spreadsheet formula injection (CSV/Excel injection): a cell whose text starts with `=`, `+`,
 * `-` or `@` (or a tab or carriage return before one) is run as a formula by Excel and WPS when
 * the file is opened. Such text is written with a leading apostrophe, shown as text; the import
 * takes the apostrophe off again, so an export reads back as it was.
 */
export function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export interface XlsxColumn {
  /** Chinese header (表头). */
  header: string;
  width?: number;
  /** Data validation: the cell must be one of these (a drop-down in Excel and WPS). */
  list?: readonly string[];
}

/** Rows the data validation of a template covers. */
const VALIDATED_ROWS = 5_000;

/**
 * One sheet written as a stream (exceljs's streaming writer: rows leave as they are committed,
 * no shared-strings table is kept), with formula injection neutralized in every text cell and
 * the writer waiting for a slow reader (`drain`) every few hundred rows, so memory stays flat
 * whatever the number of rows.
 */
export class XlsxSheetWriter {
  private readonly workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  private readonly sheet: ExcelJS.Worksheet;
  private pending = 0;

  constructor(
    private readonly out: Writable,
    sheetName: string,
    columns: readonly XlsxColumn[],
  ) {
    // No styles (a style lookup per cell) and fast deflate: the sheet is the same, written faster.
    this.workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useStyles: false,
      useSharedStrings: false,
      zip: { zlib: { level: 1 } },
    });
    this.sheet = this.workbook.addWorksheet(sheetName.slice(0, 31));
    this.sheet.columns = columns.map((c, i) => ({
      header: c.header,
      key: `c${i}`,
      width: c.width ?? Math.max(10, c.header.length * 2 + 2),
    }));
    columns.forEach((c, i) => {
      if (!c.list?.length) return;
      const col = this.sheet.getColumn(i + 1).letter;
      // The list is written inline ("a,b,c"): Excel caps that at 255 characters, enough for an enumeration.
      (
        this.sheet as unknown as { dataValidations: { add(ref: string, v: ExcelJS.DataValidation): void } }
      ).dataValidations.add(`${col}2:${col}${VALIDATED_ROWS}`, {
        type: 'list',
        allowBlank: true,
        formulae: [`"${c.list.join(',')}"`],
        showErrorMessage: true,
        errorTitle: '无效的值',
        error: `请从列表中选择：${c.list.join('、')}`,
      });
    });
  }

  /** Adds a row; strings are neutralized, null/undefined are empty, numbers and booleans stay as they are. */
  async add(values: readonly unknown[]): Promise<void> {
    this.sheet
      .addRow(
        values.map((v) => (v === null || v === undefined ? null : typeof v === 'string' ? neutralizeFormula(v) : v)),
      )
      .commit();
    if (++this.pending >= 500) {
      this.pending = 0;
      if (this.out.writableNeedDrain) await once(this.out, 'drain');
    }
  }

  async end(): Promise<void> {
    this.sheet.commit();
    await this.workbook.commit();
  }
}

/** A whole (small) sheet as bytes: templates, error reports. */
export async function xlsxBuffer(
  sheetName: string,
  columns: readonly XlsxColumn[],
  rows: Iterable<readonly unknown[]> | AsyncIterable<readonly unknown[]>,
): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = once(out, 'end');
  const writer = new XlsxSheetWriter(out, sheetName, columns);
  for await (const row of rows) await writer.add(row);
  await writer.end();
  await done;
  return Buffer.concat(chunks);
}
