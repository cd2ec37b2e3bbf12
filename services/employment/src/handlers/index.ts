import { siteRegisteredHandler } from '@anju/contracts';
import { residentRegistered } from './resident-registered.handler';
import { residentUpdated } from './resident-updated.handler';
import { residentMovedOut } from './resident-moved-out.handler';
import { residentPersonalDataErased } from './resident-personal-data-erased.handler';
import { buildingGridChanged } from './building-grid-changed.handler';

/** Every event employment consumes; the worker refuses to start if this and the contract disagree. */
export const handlers = [
  residentRegistered,
  residentUpdated,
  residentMovedOut,
  residentPersonalDataErased,
  siteRegisteredHandler,
  buildingGridChanged,
];
