import { defineBatchHandler } from '@anju/contracts';
import { upsertResidents } from './resident-directory';

/** A resident changed household or languages: the directory follows, so the household's next demand asks right. */
export const residentUpdatedHandler = defineBatchHandler('resident.updated', (items, { manager }) =>
  upsertResidents(
    manager,
    items.map((i) => i.payload),
  ),
);
