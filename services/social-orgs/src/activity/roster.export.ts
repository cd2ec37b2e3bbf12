import type { DataSource } from 'typeorm';
import { InputError, audit, exportRoute, isUuid, type FileRoute, PROVINCE_ZONE_SQL } from '@anju/kit';
import { registrationScope } from './activity.service';

interface RosterLine {
  seq: string;
  title: string;
  startsAt: string;
  name: string;
  contact: string | null;
  status: string;
  registeredAt: string;
  attendedAt: string | null;
}

const STATUS: Record<string, string> = {
  REGISTERED: '已报名',
  WAITLISTED: '候补',
  CANCELLED: '已取消',
  ATTENDED: '已签到',
};

/**
 * 活动花名册 as .xlsx: who registered for the activities the caller may see (an NGO its own, officers
 * those of organizations in their regions or at their sites), optionally of one activity, with
 * the roster's own minimum (display name, masked contact), audited, streamed.
 */
export function rosterExport(db: DataSource): FileRoute {
  return exportRoute<RosterLine>({
    name: 'activity-roster',
    roles: ['ngo_member', 'province', 'county', 'site_officer'],
    fileName: '活动花名册',
    sheet: '活动花名册',
    columns: [
      { header: '活动', value: (r) => r.title, width: 30 },
      { header: '开始时间', value: (r) => r.startsAt },
      { header: '姓名', value: (r) => r.name },
      { header: '联系方式', value: (r) => r.contact ?? '' },
      { header: '状态', value: (r) => STATUS[r.status] ?? r.status },
      { header: '报名时间', value: (r) => r.registeredAt },
      { header: '签到时间', value: (r) => r.attendedAt ?? '' },
    ],
    audit: async (req) => {
      if (req.query.activityId && !isUuid(req.query.activityId))
        throw new InputError('activityId', 'Not an activity id.', 'FORMAT');
      await audit(db, req.principal, {
        action: 'export.activity_roster',
        entityType: req.query.activityId ? 'Activity' : 'Export',
        entityId: req.query.activityId ?? req.requestId,
        organizationId: req.principal.organizationId ?? null,
      });
    },
    page: (req, after) => {
      const s = registrationScope(req.principal, 1);
      const n = s.params.length;
      return db.query(
        `SELECT r.seq::text AS seq, a.title,
                  to_char(a.starts_at AT TIME ZONE ${PROVINCE_ZONE_SQL}, 'YYYY-MM-DD HH24:MI') AS "startsAt",
                    r.participant_name AS name,
                r.contact_masked AS contact, r.status,
                  to_char(r.registered_at AT TIME ZONE ${PROVINCE_ZONE_SQL}, 'YYYY-MM-DD HH24:MI') AS "registeredAt",
                to_char(r.attended_at AT TIME ZONE ${PROVINCE_ZONE_SQL}, 'YYYY-MM-DD HH24:MI') AS "attendedAt"
           FROM activity_registration r JOIN activity a ON a.id = r.activity_id
          WHERE ${s.sql} AND ($${n + 1}::uuid IS NULL OR r.activity_id = $${n + 1}::uuid)
            AND ($${n + 2}::bigint IS NULL OR r.seq > $${n + 2}::bigint)
          ORDER BY r.seq LIMIT 2000`,
        [...s.params, req.query.activityId ?? null, after?.seq ?? null],
      );
    },
  });
}
