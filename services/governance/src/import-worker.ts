import {
  PersonalDataVault,
  UploadSealer,
  bootRuntime,
  listen,
  mountHealth,
  personalDataKeys,
  uploadSealingKey,
  runMain,
  spreadsheetLimits,
  type StartOptions,
} from '@anju/kit';
import express from 'express';
import { loadGovernanceConfig, type GovernanceConfig } from './config';
import { governanceData } from './data-source';
import { governanceImports } from './import/import-jobs';

/**
 * Governance's import worker: runs the jobs of `governance.imports` in a process of its own, for
 * deployments whose subgraph runs with a bounded heap (IMPORTS_IN_API=false there). It holds the
 * PII keys, as the subgraph does: an import seals and hashes ID numbers. /health and /ready on
 * GOVERNANCE_IMPORT_WORKER_HEALTH_PORT.
 */
export async function startGovernanceImportWorker(config: GovernanceConfig, opts: StartOptions = {}) {
  const vault = new PersonalDataVault(personalDataKeys(config));
  const sealer = new UploadSealer(uploadSealingKey(config));
  const runtime = await bootRuntime({
    name: 'governance',
    process: 'worker',
    config,
    applicationName: 'governance-import-worker',
    logDestination: opts.logDestination,
    clock: opts.clock,
    ...governanceData,
  });
  governanceImports({
    db: runtime.db,
    vault,
    sealer,
    clock: runtime.clock,
    limits: spreadsheetLimits(config),
    config,
    logger: runtime.logger,
    lifecycle: runtime.lifecycle,
    lookupsPerDay: config.NATIONAL_ID_LOOKUPS_PER_DAY,
    consume: true,
  });
  const app = express();
  mountHealth(
    app,
    'governance-import-worker',
    [{ name: 'postgres', check: () => runtime.db.query('SELECT 1') }],
    runtime.lifecycle,
  );
  const { port } = await listen(
    app,
    config.GOVERNANCE_IMPORT_WORKER_HEALTH_PORT,
    runtime.lifecycle,
    'governance import worker health',
  );
  return { ...runtime, healthPort: port };
}

if (require.main === module) runMain(() => startGovernanceImportWorker(loadGovernanceConfig()));
