import { parseImportArgs, progressBar } from './import';

describe('pnpm run import', () => {
  it('reads the kind, the file and the mode', () => {
    expect(parseImportArgs(['households', 'a.xlsx'])).toEqual({
      kind: 'households',
      file: 'a.xlsx',
      mode: 'all_or_nothing',
      report: undefined,
    });
    expect(parseImportArgs(['--', 'households', 'a.csv', '--mode', 'dry-run', '--report=r.xlsx'])).toEqual({
      kind: 'households',
      file: 'a.csv',
      mode: 'dry_run',
      report: 'r.xlsx',
    });
    expect(parseImportArgs(['--help'])).toBe('help');
    expect(() => parseImportArgs(['households'])).toThrow(/kind and the file/);
    expect(() => parseImportArgs(['households', 'a.csv', '--mode', 'some'])).toThrow(/--mode/);
    expect(() => parseImportArgs(['households', 'a.csv', '--fast'])).toThrow(/unknown flag/);
    expect(parseImportArgs(['land', 'a.csv'])).toMatchObject({ kind: 'land' });
    expect(parseImportArgs(['trainings', 'a.xlsx'])).toMatchObject({ kind: 'trainings' });
    expect(parseImportArgs(['volunteers', 'a.csv'])).toMatchObject({ kind: 'volunteers' });
    expect(() => parseImportArgs(['pets', 'a.csv'])).toThrow(/no import of pets/);
  });

  it('draws checking as the first half of the bar and writing as the second', () => {
    expect(
      progressBar({ total: null, rowsChecked: 0, rowsWritten: 0, status: 'QUEUED', mode: 'ALL_OR_NOTHING' }, 10),
    ).toBe('[··········]   0%  checked 0 / ?  written 0  queued');
    expect(
      progressBar(
        { total: 40_000, rowsChecked: 40_000, rowsWritten: 20_000, status: 'WRITING', mode: 'ALL_OR_NOTHING' },
        10,
      ),
    ).toBe('[########··]  75%  checked 40,000 / 40,000  written 20,000  writing');
    expect(progressBar({ total: 4, rowsChecked: 2, rowsWritten: 0, status: 'CHECKING', mode: 'DRY_RUN' }, 10)).toBe(
      '[#####·····]  50%  checked 2 / 4  checking',
    );
    expect(progressBar({ total: 4, rowsChecked: 4, rowsWritten: 3, status: 'DONE', mode: 'VALID_ROWS' }, 10)).toBe(
      '[##########] 100%  checked 4 / 4  written 3  done',
    );
  });
});
