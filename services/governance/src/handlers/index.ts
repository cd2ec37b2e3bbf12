import { activityAttended } from './activity-attended.handler';
import { serviceVerified } from './service-verified.handler';
import { trainingCompleted } from './training-completed.handler';
import { microIssueResolved } from './micro-issue-resolved.handler';
import { householdGapDetected } from './household-gap-detected.handler';
import { householdGapClosed } from './household-gap-closed.handler';
import { buildingGridChanged } from './building-grid-changed.handler';
import { referralOverdue } from './referral-overdue.handler';
import { demandClaimOverdue } from './demand-claim-overdue.handler';
import { activityRegistrationConfirmed } from './activity-registration-confirmed.handler';
import { activityRegistrationCancelled } from './activity-registration-cancelled.handler';
import { demandClaimed } from './demand-claimed.handler';
import { assignmentProposed } from './assignment-proposed.handler';
import { demandFulfilled, referralResolved } from './follow-up-resolved.handler';

/** Every event governance consumes; the worker refuses to start if this and the contract disagree. */
export const handlers = [
  // Points (积分制): credits from events of every service.
  activityAttended,
  serviceVerified,
  trainingCompleted,
  microIssueResolved,
  // Grid-worker tasks (网格员任务) fed by other services' events.
  householdGapDetected,
  householdGapClosed,
  buildingGridChanged,
  referralOverdue,
  demandClaimOverdue,
  referralResolved,
  demandFulfilled,
  // Notifications (消息通知) of other services' facts.
  activityRegistrationConfirmed,
  activityRegistrationCancelled,
  demandClaimed,
  assignmentProposed,
];
