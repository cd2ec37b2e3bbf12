import { siteRegisteredHandler, type EventHandler } from '@anju/contracts';
import { residentMovedOutHandler } from './resident-moved-out.handler';
import { residentRegisteredHandler } from './resident-registered.handler';
import { residentPersonalDataErasedHandler } from './resident-personal-data-erased.handler';

/** The events social-orgs consumes: one handler per event, listed in the catalog's `consumers`. */
export const handlers: EventHandler[] = [
  siteRegisteredHandler,
  residentRegisteredHandler,
  residentMovedOutHandler,
  residentPersonalDataErasedHandler,
];
