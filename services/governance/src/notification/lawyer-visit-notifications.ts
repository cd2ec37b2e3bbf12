import { PROVINCE_ZONE_SQL } from '@anju/kit';
import type { SqlRunner } from '@anju/kit';
import { notifySelect } from './notify';
import { channelsOf } from './notification-kinds';

const ADVISER_KIND = `CASE a.kind WHEN 'public_lawyer' THEN '公益律师' ELSE '法律顾问' END`;

/**
 * 律师进社区预约成功: the resident who booked is told when and where the lawyer comes, whom they will
 * see, and what to bring — in the booking's transaction, once per booking (a new booking after a
 * cancellation is told again).
 */
export async function notifyLawyerVisitBooked(db: SqlRunner, bookingId: string, now: Date): Promise<void> {
  await notifySelect(
    db,
    `SELECT 'resident:' || b.resident_id AS recipient, 'lawyer_visit_booked' AS kind,
              'lawyer_visit_booked:' || b.id AS dedupe_key,
            '律师进社区预约成功' AS title,
            '您已预约' || to_char(v.starts_at AT TIME ZONE ${PROVINCE_ZONE_SQL}, 'FMMM"月"FMDD"日" HH24:MI') || '在' || v.place
              || '的' || ${ADVISER_KIND} || '咨询（' || a.name || '），咨询事项：' || b.topic || '。请带上身份证和相关材料，准时到场。' AS body,
            jsonb_build_object('what', '法律咨询：' || b.topic,
              'when', to_char(v.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
              'where', s.name || '·' || v.place, 'bring', '身份证、与咨询事项有关的合同、票据等材料',
              'contact', ${ADVISER_KIND} || a.name || coalesce('（' || a.organization || '）', '')) AS details,
            'LawyerVisit' AS entity_type, v.id::text AS entity_id, v.site_id, $2::text[] AS channels
       FROM lawyer_visit_booking b JOIN lawyer_visit v ON v.id = b.visit_id JOIN legal_adviser a ON a.id = v.adviser_id
       JOIN site s ON s.id = v.site_id
      WHERE b.id = $1`,
    [bookingId, channelsOf('lawyer_visit_booked')],
    now,
  );
}
