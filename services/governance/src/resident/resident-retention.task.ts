import type { DataSource } from 'typeorm';
import { addDays, provinceDate, type Clock, type ScheduledTask } from '@anju/kit';
import { ERASED_NAME, publishSelect } from '@anju/contracts';

const BATCH = 1_000;
export { ERASED_NAME };

/**
 * Erases the personal data of residents who moved out more than `days` days before `now` (in the
 * province's calendar): name, sealed ID number and its hash, phone, day and month of birth, the
 * moved-out reason. The row stays (household, site, gender, ethnicity, birth year, dates) so that
 * history and counts hold; the masked ID keeps only its region part. Each erasure is audited, and
 * announced (`resident.personal_data_erased`, so employment, social-orgs and matching erase their
 * copies), in the statement that makes it. Set-based, a thousand rows a transaction; a second run
 * finds nothing.
 */
export async function eraseMovedOutResidents(db: DataSource, days: number, now: Date): Promise<number> {
  const cutOff = addDays(provinceDate(now), -days);
  const today = provinceDate(now);
  let total = 0;
  for (;;) {
    const n = await db.transaction((m) =>
      publishSelect(
        m,
        'resident.personal_data_erased',
        `SELECT id AS "residentId", household_id AS "householdId", site_id AS "siteId", region_code AS "regionCode",
           $5::text AS "erasedOn"
         FROM erased`,
        [cutOff, BATCH, ERASED_NAME, days, today],
        {
          with: `due AS (
         SELECT id FROM resident WHERE moved_out_on < $1::date AND personal_data_erased_at IS NULL
          ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED
       ), erased AS (
         UPDATE resident r SET name = $3, national_id_sealed = NULL, national_id_hash = NULL,
                national_id_masked = left(r.national_id_masked, 6) || repeat('*', 12),
                phone_sealed = NULL, phone_masked = NULL,
                birth_date = make_date(extract(year FROM r.birth_date)::int, 1, 1),
                moved_out_reason = NULL, personal_data_erased_at = now(), updated_at = now()
           FROM due WHERE r.id = due.id
         RETURNING r.id, r.household_id, r.site_id, r.region_code
       ), audited AS (
         INSERT INTO audit_log (actor_subject, actor_role, action, entity_type, entity_id, site_id, region_code, detail)
         SELECT 'system:retention', 'system', 'resident.erase_personal_data', 'Resident', id::text, site_id,
                region_code, jsonb_build_object(
                  'fields', jsonb_build_array('name', 'nationalId', 'phone', 'birthDate', 'movedOutReason'),
                  'retentionDays', $4::int)
           FROM erased
         RETURNING 1
       )`,
        },
      ),
    );
    total += n;
    if (n < BATCH) return total;
  }
}

/** The nightly erasure, a scheduled task of governance's worker (name published: never rename). */
export function residentRetentionTask(db: DataSource, days: number, clock: Clock): ScheduledTask {
  return {
    name: 'resident.erase-moved-out',
    cron: '47 3 * * *',
    run: () => eraseMovedOutResidents(db, days, clock.now()),
  };
}
