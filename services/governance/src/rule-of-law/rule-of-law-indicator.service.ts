import type { DataSource } from 'typeorm';
import { InputError, type Clock, type Principal } from '@anju/kit';
import { siteReaderScope } from '../scope';

/** The 法治 indicator of a site per month: lawyer visits, their bookings, legal-study attendance. */
export class RuleOfLawIndicatorService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
  ) {}

  /**
   * The 法治 indicator of a site, month by month (province calendar, at most 24 months): lawyer
   * visits (not cancelled) and their bookings here, legal-study attendance from social-orgs'
   * activity.attended events, by topic. One statement; a site outside the caller's scope gives [].
   */
  async indicator(siteId: string, fromMonth: string, toMonth: string) {
    for (const [v, f] of [
      [fromMonth, 'fromMonth'],
      [toMonth, 'toMonth'],
    ]) {
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(v)) throw new InputError(f, 'A month is YYYY-MM.', 'FORMAT');
    }
    const span =
      (Number(toMonth.slice(0, 4)) - Number(fromMonth.slice(0, 4))) * 12 +
      Number(toMonth.slice(5)) -
      Number(fromMonth.slice(5));
    if (span < 0 || span > 23) throw new InputError('toMonth', 'From 1 to 24 months, fromMonth first.', 'RANGE');
    const scope = siteReaderScope(this.principal, 's.id', 's.region_code', 4);
    const inMonth = (col: string) => `to_char(${col} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = mo.month`;
    return this.db.query(
      `WITH here AS (SELECT s.id FROM site s WHERE s.id = as_uuid($1) AND ${scope.sql}),
            months AS (SELECT to_char(m, 'YYYY-MM') AS month
              FROM generate_series(($2 || '-01')::date, ($3 || '-01')::date, interval '1 month') m)
       SELECT mo.month,
              (SELECT count(*) FROM lawyer_visit v WHERE v.site_id = h.id AND v.status = 'scheduled'
                AND ${inMonth('v.starts_at')})::int AS "lawyerVisits",
              (SELECT count(*) FROM lawyer_visit_booking b JOIN lawyer_visit v ON v.id = b.visit_id
                WHERE v.site_id = h.id AND v.status = 'scheduled' AND b.status = 'booked'
                  AND ${inMonth('v.starts_at')})::int AS "visitBookings",
              (SELECT count(*) FROM legal_study_attendance l WHERE l.site_id = h.id
                AND ${inMonth('l.attended_at')})::int AS "legalStudyAttendance",
              coalesce((SELECT json_agg(json_build_object('topic', t.topic, 'attendance', t.n) ORDER BY t.topic)
                 FROM (SELECT l.topic, count(*)::int AS n FROM legal_study_attendance l WHERE l.site_id = h.id
                   AND ${inMonth('l.attended_at')} GROUP BY l.topic) t),
                '[]'::json) AS "legalStudyByTopic"
         FROM months mo CROSS JOIN here h ORDER BY mo.month`,
      [siteId, fromMonth, toMonth, ...scope.params],
    );
  }
}
