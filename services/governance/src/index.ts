export { service } from './service';
export { startGovernanceApi } from './api';
export { loadGovernanceConfig, governanceSettings, type GovernanceConfig } from './config';
// The seed runs the grid pass once over the demo it wrote, as `pnpm start`'s worker would within the hour.
export { openGridTasksFromCauses } from './grid-task/grid-task-causes.task';
export { codegen } from './codegen';
