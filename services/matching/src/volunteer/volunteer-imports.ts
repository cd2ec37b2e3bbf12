import { ImportJobs, type ImportDeps } from '@anju/kit';
import { VOLUNTEER_COLUMNS, VOLUNTEER_TEMPLATE, VolunteerImport } from './volunteer-import';

/** Matching's queue of import jobs. A published name: never rename. */
export const MATCHING_IMPORT_QUEUE = 'matching.imports';

/**
 * Matching's imports: volunteers (志愿者), run in the subgraph's process, which holds the upload key
 * to seal the uploaded sheet and governance's hash key to find residents by ID number, but not the
 * key that opens ID numbers.
 */
export function matchingImports(deps: ImportDeps): ImportJobs {
  const { db, hasher, clock, limits } = deps;
  return new ImportJobs({
    ...deps,
    service: 'matching',
    queue: MATCHING_IMPORT_QUEUE,
    consume: true,
    kinds: {
      volunteers: {
        columns: VOLUNTEER_COLUMNS,
        template: VOLUNTEER_TEMPLATE,
        importer: (p) => new VolunteerImport(db, hasher, p, clock, limits),
      },
    },
  });
}
