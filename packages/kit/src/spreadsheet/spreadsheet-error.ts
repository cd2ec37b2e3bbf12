import { AppError } from '../errors';

/**
 * Why a file was refused as a whole, before any row of it was used (each a `reason` of
 * BAD_USER_INPUT on the field `file`): the file is not what an import can read safely.
 */
export type SpreadsheetProblem =
  | 'FILE_TOO_LARGE'
  | 'EMPTY_FILE'
  | 'UNKNOWN_FORMAT'
  | 'NOT_XLSX'
  | 'ZIP_BOMB'
  | 'HIDDEN_SHEET'
  | 'MERGED_CELLS'
  | 'FORMULA'
  | 'UNEXPECTED_ENCODING'
  | 'MISSING_COLUMNS'
  | 'UNKNOWN_COLUMNS'
  | 'DUPLICATE_COLUMNS'
  | 'TOO_MANY_ROWS';

/** A spreadsheet refused whole: `reason` says what is wrong, `cell`/`columns`/`sheet` where, when known. */
export class SpreadsheetError extends AppError {
  constructor(
    readonly problem: SpreadsheetProblem,
    message: string,
    readonly where: { cell?: string; sheet?: string; columns?: string[]; limit?: number; actual?: number } = {},
  ) {
    super('BAD_USER_INPUT', message, 'file', { reason: problem, ...where });
  }
}
