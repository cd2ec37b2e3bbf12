import { defineBatchHandler, type BatchItem } from '@anju/contracts';
import type { EntityManager } from 'typeorm';
import { markForRecheck } from '../monitoring/recheck';

/**
 * Newly registered residents get a labour profile, their households' places are recorded, and the
 * households are marked for re-check against the four rules — a batch at a time, set-based.
 */
export const residentRegistered = defineBatchHandler('resident.registered', async (items, { manager }) => {
  await writeProfiles(manager, items);
  await keepNationalIdHashes(manager, items);
  await markForRecheck(
    manager,
    items.map((i) => i.payload.householdId),
  );
});

type Placed = BatchItem<'resident.registered' | 'resident.updated'>;

/** Of each key, the item whose event occurred last (not the last delivered: events may come out of order). */
function latestBy(items: Placed[], key: (p: Placed['payload']) => string): Placed[] {
  const last = new Map<string, Placed>();
  for (const i of items) {
    const seen = last.get(key(i.payload));
    if (!seen || seen.envelope.occurredAt <= i.envelope.occurredAt) last.set(key(i.payload), i);
  }
  return [...last.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, i]) => i);
}

/**
 * Writes the facts of registrations and updates, in one statement per table. A profile or place
 * keeps the facts of the event that occurred last (`facts_at`): an older event arriving late, or
 * the same one again, changes nothing. A move-out that came before the registration
 * (`moved_out_resident`) is taken into the new profile.
 */
export async function writeProfiles(manager: EntityManager, items: Placed[]): Promise<void> {
  const rows = latestBy(items, (p) => p.residentId);
  const col = <K extends keyof Placed['payload']>(k: K) => rows.map((r) => r.payload[k]);
  await manager.query(
    `WITH x AS (SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::bool[], $7::bool[],
                    $8::int[], $9::uuid[], $10::timestamptz[])
                  AS u(resident_id, household_id, site_id, region_code, labour_capacity, can_work_away, wants_work,
                    birth_year, source_event_id, facts_at)),
     taken AS (DELETE FROM moved_out_resident m USING x WHERE m.resident_id = x.resident_id
       RETURNING m.resident_id, m.moved_out_on)
     INSERT INTO labour_profile (resident_id, household_id, site_id, region_code, labour_capacity, can_work_away,
       wants_work, birth_year,
                                 source_event_id, facts_at, moved_out_on)
     SELECT x.*, taken.moved_out_on FROM x LEFT JOIN taken USING (resident_id) ORDER BY x.resident_id
     ON CONFLICT (resident_id) DO UPDATE SET household_id = EXCLUDED.household_id, site_id = EXCLUDED.site_id,
       region_code = EXCLUDED.region_code,
       labour_capacity = EXCLUDED.labour_capacity, can_work_away = EXCLUDED.can_work_away,
         wants_work = EXCLUDED.wants_work,
       birth_year = EXCLUDED.birth_year, facts_at = EXCLUDED.facts_at, updated_at = now()
       WHERE labour_profile.facts_at < EXCLUDED.facts_at`,
    [
      col('residentId'),
      col('householdId'),
      col('siteId'),
      col('regionCode'),
      col('labourCapacity'),
      col('canWorkAway'),
      col('wantsWork'),
      col('birthYear'),
      rows.map((r) => r.envelope.id),
      rows.map((r) => r.envelope.occurredAt),
    ],
  );
  await placeHouseholds(manager, items);
}

/** Where households live, as the resident event that occurred last says (one row per household). */
async function placeHouseholds(manager: EntityManager, items: Placed[]): Promise<void> {
  const rows = latestBy(items, (p) => p.householdId);
  await manager.query(
    `INSERT INTO household_place (household_id, site_id, region_code, grid_id, facts_at)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::timestamptz[])
     ON CONFLICT (household_id) DO UPDATE SET site_id = EXCLUDED.site_id, region_code = EXCLUDED.region_code,
       grid_id = EXCLUDED.grid_id,
       facts_at = EXCLUDED.facts_at
       WHERE household_place.facts_at < EXCLUDED.facts_at`,
    [
      rows.map((r) => r.payload.householdId),
      rows.map((r) => r.payload.siteId),
      rows.map((r) => r.payload.regionCode),
      rows.map((r) => r.payload.gridId ?? null),
      rows.map((r) => r.envelope.occurredAt),
    ],
  );
}

/**
 * The keyed hash of each resident's ID number, by which an import finds the resident of a row. Apart
 * from the profile's facts: it never changes, so it is set whichever event about the resident came first.
 */
async function keepNationalIdHashes(manager: EntityManager, items: BatchItem<'resident.registered'>[]): Promise<void> {
  const keyed = items.filter((i) => i.payload.nationalIdHash);
  if (!keyed.length) return;
  await manager.query(
    `UPDATE labour_profile lp SET national_id_hash = decode(k.hash, 'hex')
       FROM unnest($1::uuid[], $2::text[]) AS k(resident_id, hash)
      WHERE lp.resident_id = k.resident_id AND lp.national_id_hash IS NULL`,
    [keyed.map((i) => i.payload.residentId), keyed.map((i) => i.payload.nationalIdHash)],
  );
}
