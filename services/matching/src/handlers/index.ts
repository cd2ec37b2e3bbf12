import { siteRegisteredHandler } from '@anju/contracts';

/** Every event matching consumes; the worker refuses to start if this and the contract disagree. */
export const handlers = [siteRegisteredHandler];
