import type { EntityManager } from 'typeorm';

/**
 * The language a household's demand needs, from the directory: none when a member speaks 普通话
 * or nothing is recorded; else the language most of its members speak (ties by name), so matching
 * proposes a volunteer who can talk with them. `household` is an SQL expression of its id.
 */
export const householdLanguageSql = (household: string) => `(
  SELECT CASE WHEN bool_or('普通话' = ANY(d.languages)) THEN '{}'::text[] ELSE ARRAY(
    SELECT l FROM resident_directory m, unnest(m.languages) AS l WHERE m.household_id = ${household}
      AND m.moved_out_on IS NULL
     GROUP BY l ORDER BY count(*) DESC, l LIMIT 1) END
    FROM resident_directory d WHERE d.household_id = ${household} AND d.moved_out_on IS NULL)`;

interface ResidentFacts {
  residentId: string;
  householdId: string;
  siteId: string;
  regionCode: string;
  /** Absent from events written before languages were recorded: then what is known stays. */
  languages?: string[];
}

/**
 * Writes the residents of a batch into the local directory, set-based (the last event of a
 * resident in the batch wins; rows in id order, so concurrent batches lock in the same order):
 * where each lives, then the languages of those whose events carry them.
 */
export async function upsertResidents(manager: EntityManager, facts: ResidentFacts[]): Promise<void> {
  const last = new Map(facts.map((f) => [f.residentId, f]));
  const rows = [...last.values()].sort((a, b) => (a.residentId < b.residentId ? -1 : 1));
  await manager.query(
    `INSERT INTO resident_directory (resident_id, household_id, site_id, region_code)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[])
     ON CONFLICT (resident_id) DO UPDATE SET household_id = EXCLUDED.household_id, site_id = EXCLUDED.site_id,
       region_code = EXCLUDED.region_code`,
    [
      rows.map((r) => r.residentId),
      rows.map((r) => r.householdId),
      rows.map((r) => r.siteId),
      rows.map((r) => r.regionCode),
    ],
  );
  const spoken = rows.filter((r) => r.languages).map((r) => ({ resident_id: r.residentId, languages: r.languages }));
  if (!spoken.length) return;
  await manager.query(
    `UPDATE resident_directory d SET languages = ARRAY(SELECT jsonb_array_elements_text(x.languages))
       FROM jsonb_to_recordset($1::jsonb) AS x(resident_id uuid, languages jsonb) WHERE d.resident_id = x.resident_id`,
    [JSON.stringify(spoken)],
  );
  // A member's languages may arrive after the household's job-help demand was raised (events come in
  // any order): its open demands follow, so the result is the same as in order.
  await refreshDemandLanguages(
    manager,
    rows.filter((r) => r.languages).map((r) => r.householdId),
  );
}

/**
 * The open job-help demands of these households ask again for the language their members (still living there) speak.
 */
export async function refreshDemandLanguages(manager: EntityManager, households: string[]): Promise<void> {
  await manager.query(
    `UPDATE demand dm SET languages = need.languages
       FROM (SELECT h, ${householdLanguageSql('h')} AS languages FROM unnest($1::uuid[]) AS h) AS need
      WHERE dm.household_id = need.h AND dm.gap_id IS NOT NULL AND dm.status = 'open'
        AND dm.languages IS DISTINCT FROM need.languages`,
    [[...new Set(households)]],
  );
}
