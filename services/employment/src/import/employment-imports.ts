import { ImportJobs, type ImportDeps } from '@anju/kit';
import { EMPLOYMENT_COLUMNS, EMPLOYMENT_TEMPLATE, EmploymentImport } from './employment-import';
import { LAND_COLUMNS, LAND_TEMPLATE, LandImport } from './land-import';
import { TRAINING_COLUMNS, TRAINING_TEMPLATE, TrainingImport } from './training-import';

/** Employment's queue of import jobs. A published name: never rename. */
export const EMPLOYMENT_IMPORT_QUEUE = 'employment.imports';

/**
 * Employment's imports: jobs (就业信息), land (三块地) and trainings (培训信息), run in the subgraph's
 * process, which holds the upload key to seal the uploaded sheet and governance's hash key to find
 * residents by ID number, but not the key that opens ID numbers.
 */
export function employmentImports(deps: ImportDeps): ImportJobs {
  const { db, hasher, clock, limits } = deps;
  return new ImportJobs({
    ...deps,
    service: 'employment',
    queue: EMPLOYMENT_IMPORT_QUEUE,
    consume: true,
    kinds: {
      employment: {
        columns: EMPLOYMENT_COLUMNS,
        template: EMPLOYMENT_TEMPLATE,
        importer: (p) => new EmploymentImport(db, hasher, p, clock, limits),
      },
      land: {
        columns: LAND_COLUMNS,
        template: LAND_TEMPLATE,
        importer: (p) => new LandImport(db, hasher, p, clock, limits),
      },
      trainings: {
        columns: TRAINING_COLUMNS,
        template: TRAINING_TEMPLATE,
        importer: (p) => new TrainingImport(db, hasher, p, clock, limits),
      },
    },
  });
}
