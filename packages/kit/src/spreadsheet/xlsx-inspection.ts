import yauzl from 'yauzl';
import { SpreadsheetError } from './spreadsheet-error';
import type { SpreadsheetLimits } from './spreadsheet-reader';

const MIB = 1_048_576;
/** More entries than any sheet an import reads would have: a zip of many small bombs. */
const MAX_ENTRIES = 2_000;

/**
 * Looks at an .xlsx as a zip before any XML of it is parsed (exceljs then reads it knowing it is
 * safe): a real zip (else NOT_XLSX), not encrypted, with a workbook; every entry's declared
 * unpacked size added up under the limit, no entry over 1 MiB unpacking more than the ratio (a
 * zip bomb); worksheets read through once, which also holds each entry to its declared size
 * (yauzl checks it), and refused when they merge cells.
 */
export async function inspectXlsx(bytes: Buffer, limits: SpreadsheetLimits): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true }, (err, z) =>
      err || !z ? reject(err) : resolve(z),
    ),
  ).catch(() => {
    throw new SpreadsheetError(
      'NOT_XLSX',
      'The file is not an .xlsx workbook (it is not a readable zip). Save it from Excel or WPS as .xlsx.',
    );
  });
  const names = new Set<string>();
  let unpacked = 0;
  const sheets: yauzl.Entry[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', resolve);
      zip.on('entry', (entry: yauzl.Entry) => {
        names.add(entry.fileName);
        if (names.size > MAX_ENTRIES) return reject(bomb(`more than ${MAX_ENTRIES} entries`));
        if ((entry.generalPurposeBitFlag & 1) !== 0) {
          return reject(
            new SpreadsheetError(
              'NOT_XLSX',
              'The workbook is encrypted (password-protected): save it without a password.',
            ),
          );
        }
        unpacked += entry.uncompressedSize;
        if (unpacked > limits.maxUncompressedBytes) {
          return reject(
            bomb(`it unpacks to more than ${limits.maxUncompressedBytes} bytes`, limits.maxUncompressedBytes, unpacked),
          );
        }
        const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
        if (entry.uncompressedSize > MIB && ratio > limits.maxRatio) {
          return reject(
            bomb(`${entry.fileName} unpacks ${Math.round(ratio)} times its size`, limits.maxRatio, Math.round(ratio)),
          );
        }
        if (/^xl\/worksheets\/sheet\d+\.xml$/.test(entry.fileName)) sheets.push(entry);
        zip.readEntry();
      });
      zip.readEntry();
    });
    if (!names.has('[Content_Types].xml') || !names.has('xl/workbook.xml')) {
      throw new SpreadsheetError('NOT_XLSX', 'The file is a zip but not an .xlsx workbook (no xl/workbook.xml).');
    }
    for (const sheet of sheets) await refuseMergedCells(zip, sheet);
  } catch (err) {
    if (err instanceof SpreadsheetError) throw err;
    // yauzl: a truncated entry, a bad header, an entry longer than it declared.
    throw new SpreadsheetError('NOT_XLSX', `The .xlsx is damaged: ${(err as Error).message}`);
  } finally {
    zip.close();
  }
}

function bomb(why: string, limit?: number, actual?: number) {
  return new SpreadsheetError('ZIP_BOMB', `The .xlsx is refused as a zip bomb: ${why}.`, { limit, actual });
}

/**
 * Reads one worksheet's XML through once looking for `<mergeCell ref="…">` (exceljs's streaming
 * reader drops merges without a word, and a merged 户主 cell would silently leave rows without
 * their household). A marker split across two chunks is kept by carrying the chunk's tail.
 */
async function refuseMergedCells(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<void> {
  const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
    zip.openReadStream(entry, (err, s) => (err || !s ? reject(err) : resolve(s))),
  );
  let tail = '';
  for await (const chunk of stream) {
    const text = tail + (chunk as Buffer).toString('latin1');
    const at = text.search(/<(?:\w+:)?mergeCell[\s/>]/);
    if (at >= 0) {
      const ref = /ref="([A-Z]+\d+(?::[A-Z]+\d+)?)"/.exec(text.slice(at, at + 80))?.[1];
      (stream as unknown as { destroy(): void }).destroy();
      throw new SpreadsheetError(
        'MERGED_CELLS',
        `The sheet has merged cells${ref ? ` (${ref})` : ''}: unmerge them and fill every row.`,
        { cell: ref },
      );
    }
    tail = text.slice(-40);
  }
}
