import { defineBatchHandler } from '@anju/contracts';

/**
 * A building moved to another grid: the open grid tasks of its households go to the grid worker
 * of the grid it is in now (read from the building itself, so events out of order or twice end
 * the same). A batch in one statement.
 */
export const buildingGridChanged = defineBatchHandler('building.grid_changed', async (items, { manager }) => {
  await manager.query(
    `UPDATE grid_task t SET grid_id = b.grid_id
       FROM household h JOIN building b ON b.id = h.building_id
      WHERE b.id = ANY($1::uuid[]) AND t.household_id = h.id AND t.status = 'open'
      AND t.grid_id IS DISTINCT FROM b.grid_id`,
    [[...new Set(items.map((i) => i.payload.buildingId))]],
  );
});
