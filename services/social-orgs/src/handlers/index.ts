import type { EventHandler } from '@anju/contracts';

/** The events social-orgs consumes: one handler per event, listed in the catalog's `consumers`. */
export const handlers: EventHandler[] = [];
