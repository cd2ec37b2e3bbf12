import path from 'node:path';

/** The repository's root directory. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
