import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import JSZip from 'jszip';

/**
 * Spreadsheet files for tests, good and bad, made by the tests themselves (nothing checked in):
 * .xlsx through exceljs's in-memory workbook (it can write what the streaming writer never
 * does: formulas, merges, hidden sheets), CSV in UTF-8 (with or without BOM) or GBK.
 */
export interface TestSheetOptions {
  /** A formula in this data cell (row index from 0, column index from 0). */
  formulaAt?: [number, number];
  /** Merge the first two data rows' cells of this column. */
  mergeColumn?: number;
  /** Add a hidden second sheet. */
  hiddenSheet?: boolean;
}

export async function xlsxFile(
  headers: readonly string[],
  rows: readonly (readonly unknown[])[],
  opts: TestSheetOptions = {},
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  ws.addRow([...headers]);
  for (const r of rows) ws.addRow([...r]);
  if (opts.formulaAt) {
    const [r, c] = opts.formulaAt;
    ws.getCell(r + 2, c + 1).value = {
      formula: 'CONCATENATE("53","0102")',
      result: '530102',
    } as ExcelJS.CellFormulaValue;
  }
  if (opts.mergeColumn !== undefined) ws.mergeCells(2, opts.mergeColumn + 1, 3, opts.mergeColumn + 1);
  if (opts.hiddenSheet) wb.addWorksheet('备注', { state: 'hidden' }).addRow(['隐藏的数据']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** RFC 4180 CSV of the rows (quoted where needed), in UTF-8 (optionally with BOM) or GBK. */
export function csvFile(
  headers: readonly string[],
  rows: readonly (readonly unknown[])[],
  encoding: 'utf-8' | 'utf-8-bom' | 'gbk' | 'utf-16le' = 'utf-8',
): Buffer {
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const text = [headers, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
  if (encoding === 'gbk') return iconv.encode(text, 'gbk');
  if (encoding === 'utf-16le') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  return Buffer.concat([
    encoding === 'utf-8-bom' ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0),
    Buffer.from(text, 'utf8'),
  ]);
}

/** A real .xlsx with one more entry of `mib` MiB of zeros: tiny packed, huge unpacked. */
export async function zipBombXlsx(base: Buffer, mib = 20): Promise<Buffer> {
  const zip = await JSZip.loadAsync(base);
  zip.file('xl/media/padding.bin', Buffer.alloc(mib * 1_048_576));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

/** A zip that holds no workbook, and a text file named .xlsx. */
export async function notXlsxFiles(): Promise<{ zip: Buffer; text: Buffer }> {
  const zip = new JSZip();
  zip.file('readme.txt', '这不是表格');
  return { zip: await zip.generateAsync({ type: 'nodebuffer' }), text: Buffer.from('户主,姓名\n张三,张三\n') };
}

/** The first sheet of an .xlsx as rows of text (empty cells ''), to check what an export or a report holds. */
export async function sheetRows(bytes: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const out: string[][] = [];
  wb.worksheets[0].eachRow((row) => {
    const values = row.values as unknown[];
    out.push(Array.from({ length: values.length - 1 }, (_, i) => (values[i + 1] == null ? '' : String(values[i + 1]))));
  });
  return out;
}
