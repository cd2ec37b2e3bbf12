import { PersonalDataVault, personalDataKeys, type ScheduledTask, type ServiceRuntime } from '@anju/kit';
import type { GovernanceConfig } from './config';
import { pointsExpiryTask } from './points/points-expiry.task';
import { microIssueEscalationTask } from './micro-issue/micro-issue-escalation.task';
import { listItemReminderTask } from './list-item/list-item-reminder.task';
import { gridTaskCausesTask } from './grid-task/grid-task-causes.task';
import { coBuildingReminderTask } from './co-building/co-building-reminder.task';
import { noticePublishTask } from './notice/notice-publish.task';
import { residentRetentionTask } from './resident/resident-retention.task';
import { proposalVoteCloseTask } from './proposal/proposal-close';
import { surveyCloseTask } from './survey/survey-close.task';
import { activityReminderTask } from './notification/activity-notifications';
import { notificationDispatchTask } from './notification/notification-dispatch.task';
import { dispatchRulesFromConfig, pushChannelsFromConfig } from './notification/notification.config';

/** Governance's scheduled tasks, run by its worker at the process clock's "now" (tests run them with theirs). */
export function tasks({ db, clock, config, logger }: ServiceRuntime<GovernanceConfig>): ScheduledTask[] {
  // A push channel with a setting missing stops the worker here. The PII keys are loaded only when SMS is on:
  // the SMS sender is the one place the worker opens a phone.
  const channels = pushChannelsFromConfig(config, () => new PersonalDataVault(personalDataKeys(config)));
  return [
    pointsExpiryTask(db, clock),
    microIssueEscalationTask(db, clock),
    listItemReminderTask(db, clock),
    gridTaskCausesTask(db, clock, config.GRID_VISIT_EVERY_DAYS),
    coBuildingReminderTask(db, clock),
    noticePublishTask(db, clock),
    proposalVoteCloseTask(db, clock),
    surveyCloseTask(db, clock),
    residentRetentionTask(db, config.RETENTION_MOVED_OUT_DAYS, clock),
    activityReminderTask(db, clock),
    notificationDispatchTask(
      db,
      channels,
      dispatchRulesFromConfig(config),
      config.NOTIFY_DISPATCH_EVERY_MS,
      clock,
      logger,
    ),
  ];
}
