import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { parse as parseCsv } from '@fast-csv/parse';
import type { PlatformConfig } from '../config';
import { SpreadsheetError } from './spreadsheet-error';
import { inspectXlsx } from './xlsx-inspection';

export type SpreadsheetFormat = 'xlsx' | 'csv';
/** The text encodings a CSV may be in: UTF-8 (with or without BOM) and GBK (Excel in China saves "CSV" in GBK). */
export type CsvEncoding = 'utf-8' | 'gbk';

export interface SpreadsheetLimits {
  maxBytes: number;
  maxUncompressedBytes: number;
  maxRatio: number;
  maxRows: number;
}

/** The kit config's spreadsheet settings (validated once, with the rest of the config) as limits. */
export function spreadsheetLimits(
  config: Pick<
    PlatformConfig,
    'SPREADSHEET_MAX_BYTES' | 'SPREADSHEET_MAX_UNCOMPRESSED_BYTES' | 'SPREADSHEET_MAX_RATIO' | 'SPREADSHEET_MAX_ROWS'
  >,
): SpreadsheetLimits {
  return {
    maxBytes: config.SPREADSHEET_MAX_BYTES,
    maxUncompressedBytes: config.SPREADSHEET_MAX_UNCOMPRESSED_BYTES,
    maxRatio: config.SPREADSHEET_MAX_RATIO,
    maxRows: config.SPREADSHEET_MAX_ROWS,
  };
}

/** A column a sheet is read by: its Chinese header (表头) and the key its values are given under. */
export interface ColumnSpec<K extends string = string> {
  key: K;
  header: string;
  required?: boolean;
  /** Other headers accepted for it (the registry's own wording). */
  aliases?: readonly string[];
}

/**
 * One data row: its number as the spreadsheet shows it (the header is row 1) and its values, trimmed ('' when empty).
 */
export interface SheetRow<K extends string = string> {
  row: number;
  values: Record<K, string>;
  /** The row's cells as they were, in the file's column order (for an error report). */
  cells: string[];
}

export interface ReadSheet<K extends string = string> {
  format: SpreadsheetFormat;
  encoding?: CsvEncoding;
  /** The file's headers as written, in order. */
  headers: string[];
  rows: AsyncGenerator<SheetRow<K>>;
  /**
   * Stops reading: for a caller that leaves before the last row (the upload's check reads the headers only).
   * Reading to the end, or a row that throws, closes the file as well.
   */
  close(): Promise<void>;
}

const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

/** What a file is by its first bytes (a zip is .xlsx), then by its name; anything else is refused. */
export function detectFormat(bytes: Buffer, fileName?: string): SpreadsheetFormat {
  if (bytes.length === 0) throw new SpreadsheetError('EMPTY_FILE', 'The file is empty.');
  const name = (fileName ?? '').toLowerCase();
  if (bytes.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) return 'xlsx';
  if (bytes.subarray(0, 4).equals(OLE_MAGIC)) {
    throw new SpreadsheetError(
      'NOT_XLSX',
      'This is an old Excel (.xls) or an encrypted workbook: ' +
        'save it as .xlsx (Excel 2007 or later) without a password.',
    );
  }
  if (name.endsWith('.xlsx'))
    throw new SpreadsheetError(
      'NOT_XLSX',
      'The file is named .xlsx but is not one: save it from Excel or WPS as .xlsx.',
    );
  if (name.endsWith('.csv') || name === '' || looksLikeText(bytes)) return 'csv';
  throw new SpreadsheetError('UNKNOWN_FORMAT', 'Only .xlsx and .csv files can be imported.');
}

function looksLikeText(bytes: Buffer): boolean {
  return !bytes.subarray(0, 4_096).includes(0);
}

/**
 * The encoding of a CSV: a UTF-8 BOM, or bytes that are valid UTF-8, are UTF-8; otherwise GBK
 * when the bytes decode as GBK without a replacement character. UTF-16 (a BOM FF FE / FE FF, or
 * NUL bytes) and anything else is UNEXPECTED_ENCODING: better refused than read as mojibake.
 */
export function detectCsvEncoding(bytes: Buffer): { encoding: CsvEncoding; text: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { encoding: 'utf-8', text: strictUtf8(bytes.subarray(3)) };
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || bytes.includes(0)) {
    throw new SpreadsheetError(
      'UNEXPECTED_ENCODING',
      'The CSV is in UTF-16 (or is not text): save it as "CSV UTF-8" or as GBK CSV.',
    );
  }
  try {
    return { encoding: 'utf-8', text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const text = iconv.decode(bytes, 'gbk');
    if (text.includes('\uFFFD')) {
      throw new SpreadsheetError(
        'UNEXPECTED_ENCODING',
        'The CSV is neither UTF-8 nor GBK: save it as "CSV UTF-8" or as GBK CSV.',
      );
    }
    return { encoding: 'gbk', text };
  }
}

function strictUtf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SpreadsheetError('UNEXPECTED_ENCODING', 'The CSV starts with a UTF-8 mark but is not UTF-8.');
  }
}

/** A header as a clerk may write it: no spaces, full-width brackets made plain, a required marker (*) dropped. */
export function normalizeHeader(h: string): string {
  return h
    .replace(/[\s\u3000\uFEFF]/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .replace(/\*$/, '');
}

/**
 * Reads the first sheet of an .xlsx or a CSV (UTF-8 or GBK) by its headers: the whole file is
 * checked as a file first (size, format, zip bomb, merged cells, encoding, headers — each a
 * SpreadsheetError naming what is wrong); rows then stream one at a time, so a large sheet is
 * never held as a whole. A formula or a hidden sheet met while streaming throws too: callers
 * read every row before writing anything.
 */
export async function readSpreadsheet<K extends string>(
  bytes: Buffer,
  opts: {
    columns: readonly ColumnSpec<K>[];
    limits: SpreadsheetLimits;
    fileName?: string;
    ignoreHeaders?: readonly string[];
  },
): Promise<ReadSheet<K>> {
  if (bytes.length > opts.limits.maxBytes) {
    throw new SpreadsheetError('FILE_TOO_LARGE', `The file is larger than ${opts.limits.maxBytes} bytes.`, {
      limit: opts.limits.maxBytes,
      actual: bytes.length,
    });
  }
  const format = detectFormat(bytes, opts.fileName);
  if (format === 'xlsx') {
    await inspectXlsx(bytes, opts.limits);
    const cells = xlsxCells(bytes);
    const first = await cells.next();
    if (first.done) throw new SpreadsheetError('EMPTY_FILE', 'The sheet has no header row.');
    const bind = bindHeaders(first.value.cells, opts.columns, opts.ignoreHeaders ?? []);
    return { format, headers: first.value.cells, rows: rowsOf(cells, bind, opts.limits.maxRows), close: closer(cells) };
  }
  const { encoding, text } = detectCsvEncoding(bytes);
  const cells = csvCells(text);
  const first = await cells.next();
  if (first.done) throw new SpreadsheetError('EMPTY_FILE', 'The CSV has no header row.');
  const bind = bindHeaders(first.value.cells, opts.columns, opts.ignoreHeaders ?? []);
  return {
    format,
    encoding,
    headers: first.value.cells,
    rows: rowsOf(cells, bind, opts.limits.maxRows),
    close: closer(cells),
  };
}

/**
 * Ends a reader's cells: exceljs's streaming reader holds a workbook whose sheets come before its shared
 * strings (as Excel and exceljs write them) in a temp file, with open descriptors, until it is read to the
 * end or returned (patches/exceljs@4.4.0.patch removes them on return).
 */
const closer = (cells: AsyncGenerator<RawRow>) => async () => {
  await cells.return(undefined);
};

type RawRow = { row: number; cells: string[] };

function bindHeaders<K extends string>(
  headers: string[],
  columns: readonly ColumnSpec<K>[],
  ignore: readonly string[],
) {
  const byHeader = new Map<string, ColumnSpec<K>>();
  for (const c of columns) for (const h of [c.header, ...(c.aliases ?? [])]) byHeader.set(normalizeHeader(h), c);
  const ignored = new Set(ignore.map(normalizeHeader));
  const index = new Map<K, number>();
  const unknown: string[] = [];
  const twice: string[] = [];
  headers.forEach((h, i) => {
    const n = normalizeHeader(h);
    if (!n || ignored.has(n)) return;
    const col = byHeader.get(n);
    if (!col) unknown.push(h);
    else if (index.has(col.key)) twice.push(h);
    else index.set(col.key, i);
  });
  const missing = columns.filter((c) => c.required && !index.has(c.key)).map((c) => c.header);
  if (missing.length)
    throw new SpreadsheetError('MISSING_COLUMNS', `Columns missing: ${missing.join(', ')}.`, { columns: missing });
  if (twice.length)
    throw new SpreadsheetError('DUPLICATE_COLUMNS', `Columns given twice: ${twice.join(', ')}.`, { columns: twice });
  if (unknown.length) {
    throw new SpreadsheetError(
      'UNKNOWN_COLUMNS',
      `Columns this import does not know: ${unknown.join(', ')}. Use the template's headers.`,
      { columns: unknown },
    );
  }
  return (cells: string[]) => {
    const values = {} as Record<K, string>;
    for (const c of columns) values[c.key] = index.has(c.key) ? (cells[index.get(c.key)!] ?? '') : '';
    return values;
  };
}

async function* rowsOf<K extends string>(
  cells: AsyncGenerator<RawRow>,
  bind: (cells: string[]) => Record<K, string>,
  maxRows: number,
): AsyncGenerator<SheetRow<K>> {
  let n = 0;
  for await (const raw of cells) {
    if (raw.cells.every((c) => c === '')) continue;
    if (++n > maxRows)
      throw new SpreadsheetError('TOO_MANY_ROWS', `The sheet has more than ${maxRows} rows: split it.`, {
        limit: maxRows,
      });
    yield { row: raw.row, values: bind(raw.cells), cells: raw.cells };
  }
}

/** Undoes the export's formula neutralization ('=…) so an exported sheet reads back as it was. */
function unquote(s: string): string {
  return /^'[=+\-@]/.test(s) ? s.slice(1) : s;
}

async function* csvCells(text: string): AsyncGenerator<RawRow> {
  const parser = Readable.from([text]).pipe(parseCsv({ headers: false, ignoreEmpty: false, trim: false }));
  let row = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    row += 1;
    const cells = record.map((c) => c.trim());
    const formula = cells.findIndex((c) => c.startsWith('='));
    if (formula >= 0) {
      parser.destroy();
      const cell = `${columnLetter(formula + 1)}${row}`;
      throw new SpreadsheetError('FORMULA', `Cell ${cell} holds a formula: enter values only.`, { cell });
    }
    yield { row, cells: cells.map(unquote) };
  }
}

async function* xlsxCells(bytes: Buffer): AsyncGenerator<RawRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'ignore',
  });
  let sheets = 0;
  for await (const sheet of reader) {
    const s = sheet as unknown as { state?: string; name?: string } & AsyncIterable<ExcelJS.Row>;
    if (s.state === 'hidden' || s.state === 'veryHidden') {
      throw new SpreadsheetError(
        'HIDDEN_SHEET',
        `The workbook has a hidden sheet (${s.name ?? '?'}): unhide or delete it, then import again.`,
        { sheet: s.name },
      );
    }
    sheets += 1;
    for await (const row of s) {
      // Only the first sheet holds data; later sheets are read (their hidden state and formulas checked) and skipped.
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (cell, col) => {
        cells[col - 1] = cellText(cell, s.name);
      });
      for (let i = 0; i < cells.length; i++) cells[i] ??= '';
      if (sheets === 1) yield { row: row.number, cells };
    }
  }
}

function cellText(cell: ExcelJS.Cell, sheet?: string): string {
  const v = cell.value as unknown;
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return unquote(v.trim());
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) >= 1e15 ? BigInt(v).toString() : String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  const o = v as {
    formula?: string;
    sharedFormula?: string;
    richText?: { text: string }[];
    text?: string;
    error?: string;
  };
  if (o.formula !== undefined || o.sharedFormula !== undefined) {
    throw new SpreadsheetError(
      'FORMULA',
      `Cell ${cell.address}${sheet ? ` of ${sheet}` : ''} holds a formula: paste values only.`,
      { cell: cell.address, sheet },
    );
  }
  if (o.richText)
    return o.richText
      .map((t) => t.text)
      .join('')
      .trim();
  if (o.error) return o.error;
  if (typeof o.text === 'string') return o.text.trim();
  return String(v);
}

/** 1 → A, 27 → AA. */
export function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}
