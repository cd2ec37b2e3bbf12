export * from './spreadsheet-error';
export * from './spreadsheet-reader';
export * from './xlsx-writer';
export * from './file-routes';
