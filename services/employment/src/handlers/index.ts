import { siteRegisteredHandler } from '@anju/contracts';
import { residentRegistered } from './resident-registered.handler';

/** Every event employment consumes; the worker refuses to start if this and the contract disagree. */
export const handlers = [residentRegistered, siteRegisteredHandler];
