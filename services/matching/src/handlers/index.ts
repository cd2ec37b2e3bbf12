import { siteRegisteredHandler } from '@anju/contracts';
import { householdGapClosedHandler } from './household-gap-closed.handler';
import { householdGapDetectedHandler } from './household-gap-detected.handler';
import { residentRegisteredHandler } from './resident-registered.handler';
import { residentPersonalDataErasedHandler } from './resident-personal-data-erased.handler';
import { residentUpdatedHandler } from './resident-updated.handler';
import { residentMovedOutHandler } from './resident-moved-out.handler';
import { surveyNeedsReportedHandler } from './survey-needs-reported.handler';

/** Every event matching consumes; the worker refuses to start if this and the contract disagree. */
export const handlers = [
  siteRegisteredHandler,
  residentRegisteredHandler,
  residentUpdatedHandler,
  householdGapDetectedHandler,
  householdGapClosedHandler,
  residentPersonalDataErasedHandler,
  residentMovedOutHandler,
  surveyNeedsReportedHandler,
];
