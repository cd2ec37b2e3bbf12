import { defineBatchHandler } from '@anju/contracts';
import { creditFromEvents } from '../points/ledger';

/**
 * 参加社区活动: attendance checked in at social-orgs earns points under the co-governance list — for
 * residents of the activity's site only (a batch at a time). Attendance at a legal-study activity
 * (a legalTopic) also counts in the site's 法治 indicator, once per attendance, at a site governance knows.
 */
export const activityAttended = defineBatchHandler('activity.attended', async (items, { manager, clock }) => {
  await creditFromEvents(
    manager,
    items.map(({ payload: p, envelope }) => ({
      eventId: envelope.id,
      event: 'activity.attended' as const,
      residentId: p.residentId,
      occurredAt: p.attendedAt,
      atSite: p.siteId,
    })),
    clock.now(),
  );
  const legal = items.filter((i) => i.payload.legalTopic);
  if (!legal.length) return;
  await manager.query(
    `INSERT INTO legal_study_attendance (attendance_id, site_id, region_code, topic, attended_at)
     SELECT x.a, x.s, s.region_code, x.t,
       x.at FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[]) AS x(a, s, t, at)
       JOIN site s ON s.id = x.s
     ON CONFLICT (attendance_id) DO NOTHING`,
    [
      legal.map((i) => i.payload.attendanceId),
      legal.map((i) => i.payload.siteId),
      legal.map((i) => i.payload.legalTopic),
      legal.map((i) => i.payload.attendedAt),
    ],
  );
});
