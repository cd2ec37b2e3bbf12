import { bootRuntime, runMain, type StartOptions } from '@anju/kit';
import { startServiceWorker } from '@anju/contracts';
import { IMPORT_QUEUE } from './import/import-jobs';
import { loadGovernanceConfig, type GovernanceConfig } from './config';
import { governanceData } from './data-source';
import { handlers } from './handlers';
import { pointsExpiryTask } from './points/points-expiry.task';
import { microIssueEscalationTask } from './micro-issue/micro-issue-escalation.task';
import { listItemReminderTask } from './list-item/list-item-reminder.task';
import { noticePublishTask } from './notice/notice-publish.task';
import { residentRetentionTask } from './resident/resident-retention.task';

/** Governance's worker: its outbox relay, its inbox (see handlers/) and its schedules (points expiry). */
export async function startGovernanceWorker(config: GovernanceConfig, opts: StartOptions = {}) {
  const runtime = await bootRuntime({ name: 'governance', process: 'worker', config, applicationName: 'governance-worker', logDestination: opts.logDestination, clock: opts.clock, ...governanceData });
  const worker = await startServiceWorker({ service: 'governance', runtime, handlers, tasks: [pointsExpiryTask(runtime.db, runtime.clock), microIssueEscalationTask(runtime.db, runtime.clock), listItemReminderTask(runtime.db, runtime.clock), noticePublishTask(runtime.db, runtime.clock), residentRetentionTask(runtime.db, config.RETENTION_MOVED_OUT_DAYS, runtime.clock)], healthPort: config.GOVERNANCE_WORKER_HEALTH_PORT,
    // Imports run in the subgraph or the import worker; operators see and retry them here, with the other queues.
    queues: [IMPORT_QUEUE] });
  return { ...runtime, ...worker };
}

if (require.main === module) runMain(() => startGovernanceWorker(loadGovernanceConfig()));
