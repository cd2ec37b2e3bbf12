import { defineBatchHandler } from '@anju/contracts';
import { upsertResidents } from './resident-directory';

/** Keeps resident → household (and the languages each speaks), a batch in one statement. */
export const residentRegisteredHandler = defineBatchHandler('resident.registered', (items, { manager }) =>
  upsertResidents(manager, items.map((i) => i.payload)));
