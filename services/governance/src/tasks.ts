import type { ScheduledTask, ServiceRuntime } from '@anju/kit';
import type { GovernanceConfig } from './config';
import { pointsExpiryTask } from './points/points-expiry.task';
import { microIssueEscalationTask } from './micro-issue/micro-issue-escalation.task';
import { listItemReminderTask } from './list-item/list-item-reminder.task';
import { noticePublishTask } from './notice/notice-publish.task';
import { residentRetentionTask } from './resident/resident-retention.task';
import { proposalVoteCloseTask } from './proposal/proposal-close';
import { surveyCloseTask } from './survey/survey-close.task';

/** Governance's scheduled tasks, run by its worker at the process clock's "now" (tests run them with theirs). */
export function tasks({ db, clock, config }: ServiceRuntime<GovernanceConfig>): ScheduledTask[] {
  return [
    pointsExpiryTask(db, clock),
    microIssueEscalationTask(db, clock),
    listItemReminderTask(db, clock),
    noticePublishTask(db, clock),
    proposalVoteCloseTask(db, clock),
    surveyCloseTask(db, clock),
    residentRetentionTask(db, config.RETENTION_MOVED_OUT_DAYS, clock),
  ];
}
