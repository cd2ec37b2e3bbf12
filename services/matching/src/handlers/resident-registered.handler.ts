import { defineBatchHandler } from '@anju/contracts';
import { upsertResidents } from './resident-directory';

/**
 * Keeps resident → household (and the languages each speaks), a batch in one statement, and the
 * keyed hash of each one's ID number, by which the volunteer import finds a row's resident.
 */
export const residentRegisteredHandler = defineBatchHandler('resident.registered', async (items, { manager }) => {
  await upsertResidents(
    manager,
    items.map((i) => i.payload),
  );
  const keyed = items.filter((i) => i.payload.nationalIdHash);
  if (!keyed.length) return;
  // It never changes: set once, whichever event about the resident came first.
  await manager.query(
    `UPDATE resident_directory d SET national_id_hash = decode(k.hash, 'hex')
       FROM unnest($1::uuid[], $2::text[]) AS k(resident_id, hash)
      WHERE d.resident_id = k.resident_id AND d.national_id_hash IS NULL`,
    [keyed.map((i) => i.payload.residentId), keyed.map((i) => i.payload.nationalIdHash)],
  );
});
