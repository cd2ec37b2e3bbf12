import { DEMAND_CATEGORY_NAMES } from '@anju/contracts';
import type { SqlRunner } from '@anju/kit';
import { notifySelect } from './notify';
import { channelsOf } from './notification-kinds';

/** A demand's category as a resident reads it, in SQL over its stored value. */
const CATEGORY = (col: string) =>
  `CASE ${col} ${Object.entries(DEMAND_CATEGORY_NAMES)
    .map(([k, name]) => `WHEN '${k}' THEN '${name}'`)
    .join(' ')} ELSE '其他' END`;
const MONTH_DAY = (col: string) => `to_char(${col}, 'FMMM"月"FMDD"日"')`;

/**
 * 需求被认领 / 志愿者接单 (demand.claimed): the household's head — or, without one living there, its eldest
 * member still living there — hears who took their demand up and by when. A site-wide demand tells
 * nobody. `rows`: the events' payloads; one statement for a batch, once per demand and claim.
 */
export async function notifyDemandsClaimed(db: SqlRunner, rows: unknown[], now: Date): Promise<void> {
  await notifySelect(
    db,
    `SELECT 'resident:' || r.id AS recipient, 'demand_claimed' AS kind,
            'demand_claimed:' || e."demandId" || ':' || e."claimedAt" AS dedupe_key,
            CASE e."claimedBy" WHEN 'unit' THEN '您的需求已被认领：' ELSE '志愿者已接单：' END || ${CATEGORY('e.category')} AS title,
            CASE e."claimedBy"
              WHEN 'unit' THEN '「' || coalesce(e."unitName",
                '帮扶单位') || '」已认领您家的' || ${CATEGORY('e.category')} || '需求，承诺在'
                || ${MONTH_DAY('e."promisedOn"')} || '前办结。如有疑问请联系社区。'
              ELSE '已有志愿者接下您家的' || ${CATEGORY('e.category')} || '需求，将按约定时间上门服务。如有疑问请联系社区。' END AS body,
            jsonb_build_object('what', ${CATEGORY('e.category')}, 'when', to_char(e."promisedOn", 'YYYY-MM-DD'),
              'contact', coalesce(e."unitName", s.name || '社区服务站')) AS details,
            'Demand' AS entity_type, e."demandId"::text AS entity_id, e."siteId" AS site_id, $2::text[] AS channels
       FROM jsonb_to_recordset($1::jsonb) AS e("demandId" uuid, "siteId" uuid, "householdId" uuid, category text,
         "claimedBy" text,
              "unitId" uuid, "unitName" text, "promisedOn" date, "claimedAt" timestamptz)
       JOIN site s ON s.id = e."siteId"
       CROSS JOIN LATERAL (
         SELECT r.id FROM resident r WHERE r.household_id = e."householdId" AND r.moved_out_on IS NULL
          ORDER BY r.relation_to_head <> 'head', r.birth_date, r.id LIMIT 1) r`,
    [JSON.stringify(rows), channelsOf('demand_claimed')],
    now,
  );
}

/**
 * 志愿服务派单 (assignment.proposed): the volunteer is told what is asked of them, when, where and for how
 * long, and that they accept or decline in the portal. One statement for a batch, once per assignment.
 */
export async function notifyAssignmentsProposed(db: SqlRunner, rows: unknown[], now: Date): Promise<void> {
  await notifySelect(
    db,
    `SELECT 'volunteer:' || e."volunteerId" AS recipient, 'assignment_proposed' AS kind,
              'assignment_proposed:' || e."assignmentId" AS dedupe_key,
            '新的志愿服务：' || ${CATEGORY('e.category')} AS title,
            s.name || '有一项' || ${CATEGORY('e.category')} || '服务需要您，约' || trim(to_char(e.hours, 'FM990.9'), '.') || '小时'
              || coalesce('，时间' || ${MONTH_DAY('e."windowStart"')} || coalesce('至' || ${MONTH_DAY('e."windowEnd"')},
                ''), '')
              || '。请在“我的派单”中接受或婉拒。' AS body,
            jsonb_build_object('what', ${CATEGORY('e.category')} || '（约' || trim(to_char(e.hours, 'FM990.9'),
              '.') || '小时）',
              'when', to_char(e."windowStart", 'YYYY-MM-DD'), 'where', s.name || coalesce('（' || s.address || '）', ''),
              'contact', s.name || '社区服务站') AS details,
            'Assignment' AS entity_type, e."assignmentId"::text AS entity_id, e."siteId" AS site_id,
              $2::text[] AS channels
       FROM jsonb_to_recordset($1::jsonb) AS e("assignmentId" uuid, "demandId" uuid, "volunteerId" uuid, "siteId" uuid,
         category text,
              hours numeric, "windowStart" date, "windowEnd" date)
       JOIN site s ON s.id = e."siteId"`,
    [JSON.stringify(rows), channelsOf('assignment_proposed')],
    now,
  );
}
