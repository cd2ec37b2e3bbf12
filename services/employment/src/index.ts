export { service } from './service';
export { startEmploymentApi } from './api';
export { loadEmploymentConfig, employmentSettings, type EmploymentConfig } from './config';
/** The income-stability monitoring as the nightly task runs it: for seed data and benchmarks. */
export { runNightly, checkHouseholds } from './monitoring/monitoring.run';
export { codegen } from './codegen';
