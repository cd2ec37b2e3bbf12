import fs from 'node:fs';
import os from 'node:os';
import { PassThrough } from 'node:stream';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import ExcelJS from 'exceljs';
import { readSpreadsheet, type ColumnSpec, type SheetRow, type SpreadsheetLimits } from './spreadsheet-reader';
import { SpreadsheetError } from './spreadsheet-error';
import { XlsxSheetWriter, neutralizeFormula, xlsxBuffer } from './xlsx-writer';
import { csvFile, notXlsxFiles, xlsxFile, zipBombXlsx } from './test-files';

const limits: SpreadsheetLimits = {
  maxBytes: 5 * 1_048_576,
  maxUncompressedBytes: 50 * 1_048_576,
  maxRatio: 200,
  maxRows: 1_000,
};
const columns: ColumnSpec<'head' | 'name' | 'id' | 'phone'>[] = [
  { key: 'head', header: '户主', required: true },
  { key: 'name', header: '姓名', required: true },
  { key: 'id', header: '身份证号', required: true },
  { key: 'phone', header: '联系电话' },
];
const headers = ['户主', '姓名', '身份证号', '联系电话'];
const rows = [
  ['张三', '张三', '530102198503121232', '13800000000'],
  ['张三', '李四', '530102198601010023', ''],
];

async function all(bytes: Buffer, fileName?: string, l = limits) {
  const sheet = await readSpreadsheet(bytes, { columns, limits: l, fileName });
  const out: SheetRow[] = [];
  for await (const r of sheet.rows) out.push(r);
  return { ...sheet, out };
}
async function problem(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof SpreadsheetError) return e.problem;
    throw e;
  }
  return 'none';
}

describe('spreadsheet reader', () => {
  it('reads .xlsx and CSV in UTF-8, UTF-8 with BOM and GBK alike, by Chinese headers', async () => {
    const files: [Buffer, string, string | undefined][] = [
      [await xlsxFile(headers, rows), 'a.xlsx', undefined],
      [csvFile(headers, rows), 'a.csv', 'utf-8'],
      [csvFile(headers, rows, 'utf-8-bom'), 'a.csv', 'utf-8'],
      [csvFile(headers, rows, 'gbk'), 'a.csv', 'gbk'],
    ];
    for (const [bytes, name, expected] of files) {
      const { out, encoding } = await all(bytes, name);
      expect(encoding).toBe(expected);
      expect(out.map((r) => [r.row, r.values])).toEqual([
        [2, { head: '张三', name: '张三', id: '530102198503121232', phone: '13800000000' }],
        [3, { head: '张三', name: '李四', id: '530102198601010023', phone: '' }],
      ]);
    }
  });

  it('reads every Chinese character of a large sheet, whatever chunk a character falls across', async () => {
    const many = Array.from({ length: 20_000 }, (_, i) => [`户主${i}`, `无劳动力的居民${i}`, `${i}`, '']);
    const { out } = await all(
      await xlsxBuffer(
        '居民',
        headers.map((header) => ({ header })),
        many,
      ),
      'many.xlsx',
      { ...limits, maxRows: 50_000 },
    );
    expect(out.length).toBe(many.length);
    expect(out.filter((r, i) => r.values.name !== many[i][1] || r.values.head !== many[i][0])).toEqual([]);
  });

  it('names missing, unknown and doubled columns', async () => {
    expect(await problem(all(csvFile(['户主', '姓名'], [['a', 'b']])))).toBe('MISSING_COLUMNS');
    expect(await problem(all(csvFile([...headers, '备注'], [['a', 'b', 'c', '', 'x']])))).toBe('UNKNOWN_COLUMNS');
    expect(await problem(all(csvFile([...headers, '姓名'], [['a', 'b', 'c', '', 'x']])))).toBe('DUPLICATE_COLUMNS');
    await expect(all(csvFile(['户主', '姓名'], [['a', 'b']]))).rejects.toMatchObject({
      extensions: { columns: ['身份证号'] },
    });
  });

  it('refuses formulas, merged cells, hidden sheets, non-xlsx, zip bombs, big files, foreign encodings', async () => {
    expect(await problem(all(await xlsxFile(headers, rows, { formulaAt: [0, 2] }), 'f.xlsx'))).toBe('FORMULA');
    expect(await problem(all(csvFile(headers, [['张三', '张三', '=1+1', '']]), 'f.csv'))).toBe('FORMULA');
    expect(await problem(all(await xlsxFile(headers, rows, { mergeColumn: 0 }), 'm.xlsx'))).toBe('MERGED_CELLS');
    expect(await problem(all(await xlsxFile(headers, rows, { hiddenSheet: true }), 'h.xlsx'))).toBe('HIDDEN_SHEET');
    const not = await notXlsxFiles();
    expect(await problem(all(not.zip, 'z.xlsx'))).toBe('NOT_XLSX');
    expect(await problem(all(not.text, 'z.xlsx'))).toBe('NOT_XLSX');
    expect(await problem(all(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]), 'old.xls'))).toBe('NOT_XLSX');
    expect(await problem(all(await zipBombXlsx(await xlsxFile(headers, rows), 20), 'b.xlsx'))).toBe('ZIP_BOMB');
    expect(
      await problem(
        all(await zipBombXlsx(await xlsxFile(headers, rows), 2), 'b.xlsx', {
          ...limits,
          maxUncompressedBytes: 1_048_576,
        }),
      ),
    ).toBe('ZIP_BOMB');
    expect(await problem(all(csvFile(headers, rows), 'a.csv', { ...limits, maxBytes: 10 }))).toBe('FILE_TOO_LARGE');
    expect(await problem(all(csvFile(headers, rows, 'utf-16le'), 'a.csv'))).toBe('UNEXPECTED_ENCODING');
    // Bytes that are neither UTF-8 nor GBK (0xFF is a lead byte in neither).
    expect(
      await problem(
        all(Buffer.concat([Buffer.from('户主,姓名,身份证号\n'), Buffer.from([0xff, 0xff, 0x2c, 0x0a])]), 'a.csv'),
      ),
    ).toBe('UNEXPECTED_ENCODING');
    expect(await problem(all(csvFile(headers, [rows[0], rows[1], rows[0]]), 'a.csv', { ...limits, maxRows: 2 }))).toBe(
      'TOO_MANY_ROWS',
    );
    expect(await problem(all(Buffer.alloc(0), 'a.csv'))).toBe('EMPTY_FILE');
  });
});

describe('spreadsheet reader, left early', () => {
  // exceljs keeps a sheet that comes before the shared strings (as Excel writes them) in a temp file of this process,
  // removed asynchronously once the reader ends: the temp files of this process, when that is done (within 5 s).
  const tempFiles = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(`tmp-${process.pid}-`));
  const settledTempFiles = async () => {
    for (let deadline = Date.now() + 5_000, last = tempFiles(); ; last = tempFiles()) {
      await new Promise((r) => setTimeout(r, 50));
      if (Date.now() > deadline || tempFiles().join() === last.join()) return tempFiles();
    }
  };

  it('leaves no temp file behind when closed after the headers (the upload check)', async () => {
    const bytes = await xlsxFile(headers, rows);
    const before = await settledTempFiles();
    for (let i = 0; i < 3; i++) {
      const sheet = await readSpreadsheet(bytes, { columns, limits });
      expect(sheet.headers).toEqual(headers);
      expect(tempFiles().length).toBeGreaterThan(before.length);
      await sheet.close();
    }
    expect(await settledTempFiles()).toEqual(before);
    // Read to the end, the same file reads whole again, and leaves nothing either.
    expect((await all(bytes)).out.map((r) => r.values.id)).toEqual(rows.map((r) => r[2]));
    expect(await settledTempFiles()).toEqual(before);
  });
});

describe('spreadsheet reader, a slow disk', () => {
  // exceljs writes the sheet to a temp file (module `tmp`) while unzipper reads on: a loaded disk made the reader stop
  // before workbook.xml, and an import answer 500 ("reading 'sheets' of undefined", CI of 2 December 2026).
  const tmp = createRequire(require.resolve('exceljs'))('tmp') as { file: (cb: unknown) => void };
  const file = tmp.file;
  afterEach(() => {
    tmp.file = file;
  });

  it('reads the whole workbook when the temp file of its sheet is slow to open', async () => {
    tmp.file = (cb) => void setTimeout(() => file(cb), 50);
    expect((await all(await xlsxFile(headers, rows), 'slow.xlsx')).out.map((r) => r.values.id)).toEqual(
      rows.map((r) => r[2]),
    );
  });
});

describe('xlsx writer', () => {
  it('neutralizes formula injection and reads back as written', async () => {
    expect(['=1+1', '+86', '-2', '@SUM(A1)', '\t=x', 'ok', '张三'].map(neutralizeFormula)).toEqual([
      "'=1+1",
      "'+86",
      "'-2",
      "'@SUM(A1)",
      "'\t=x",
      'ok',
      '张三',
    ]);
    const bytes = await xlsxBuffer(
      '居民',
      headers.map((header) => ({ header })),
      [['=HYPERLINK("http://x")', '张三', '530102198503121232', '+8613800000000']],
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const cell = wb.getWorksheet(1)!.getCell('A2');
    expect(cell.value).toBe(`'=HYPERLINK("http://x")`);
    expect(cell.formula).toBeUndefined();
    const back = await all(bytes, 'x.xlsx');
    expect(back.out[0].values).toEqual({
      head: '=HYPERLINK("http://x")',
      name: '张三',
      id: '530102198503121232',
      phone: '+8613800000000',
    });
  });

  it('streams: rows leave before the sheet ends', async () => {
    const out = new PassThrough();
    let bytes = 0;
    out.on('data', (c: Buffer) => (bytes += c.length));
    const writer = new XlsxSheetWriter(out, '居民', [{ header: '姓名' }, { header: '关系', list: ['户主', '配偶'] }]);
    for (let i = 0; i < 20_000; i++) await writer.add([`居民${i}`, '户主']);
    const before = bytes;
    const ended = once(out, 'end');
    await writer.end();
    await ended;
    expect(before).toBeGreaterThan(0);
    expect(bytes).toBeGreaterThan(before);
  });
});
