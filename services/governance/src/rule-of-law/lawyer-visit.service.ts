import type { DataSource } from 'typeorm';
import {
  ConflictError,
  InputError,
  NotFoundError,
  placeFilter,
  requireRole,
  requireInstant,
  type Clock,
  type Principal,
  audit,
  returning,
  isUuid,
} from '@anju/kit';
import { siteReaderScope } from '../scope';
import { siteForWrite } from '../grid/grid.service';
import { requireAdviserServing } from './legal-adviser.service';
import { notifyLawyerVisitBooked } from '../notification/lawyer-visit-notifications';

export interface VisitRow {
  id: string;
  siteId: string;
  regionCode: string;
  adviserId: string;
  startsAt: Date;
  endsAt: Date;
  place: string;
  capacity: number;
  status: string;
  booked: number;
  bookedByMe: boolean;
}

const VISIT = (me: string) => `v.id, v.site_id AS "siteId", v.region_code AS "regionCode", v.adviser_id AS "adviserId",
    v.starts_at AS "startsAt", v.ends_at AS "endsAt",
  v.place, v.capacity, v.status, (SELECT count(*)::int FROM lawyer_visit_booking b WHERE b.visit_id = v.id
    AND b.status = 'booked') AS booked,
  EXISTS (SELECT 1 FROM lawyer_visit_booking b WHERE b.visit_id = v.id AND b.status = 'booked'
    AND b.resident_id = ${me}) AS "bookedByMe"`;

/** 律师进社区: lawyer visits to a site and residents' bookings of them. */
export class LawyerVisitService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
  ) {}

  async scheduleVisit(input: {
    siteId: string;
    adviserId: string;
    startsAt: string;
    endsAt: string;
    place: string;
    capacity: number;
  }): Promise<VisitRow> {
    const now = this.clock.now();
    requireRole(this.principal, 'county', 'site_officer');
    const site = await siteForWrite(this.db, this.principal, input.siteId, 'input.siteId');
    await requireAdviserServing(this.db, input.adviserId, site.id);
    const startsAt = requireInstant(input.startsAt, 'input.startsAt');
    const endsAt = requireInstant(input.endsAt, 'input.endsAt');
    if (startsAt <= now) throw new InputError('input.startsAt', 'A visit is scheduled in the future.', 'PAST');
    if (endsAt <= startsAt) throw new InputError('input.endsAt', 'A visit ends after it starts.', 'BEFORE_START');
    if (!Number.isInteger(input.capacity) || input.capacity < 1 || input.capacity > 200)
      throw new InputError('input.capacity', 'Capacity is 1 to 200 bookings.');
    const place = input.place.trim();
    if (!place) throw new InputError('input.place', 'Where is the visit?');
    return this.db.transaction(async (m) => {
      const [{ id }] = await m.query(
        `INSERT INTO lawyer_visit (site_id, region_code, adviser_id, starts_at, ends_at, place, capacity, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [site.id, site.regionCode, input.adviserId, startsAt, endsAt, place, input.capacity, this.principal.subject],
      );
      await audit(m, this.principal, {
        action: 'lawyer_visit.schedule',
        entityType: 'LawyerVisit',
        entityId: id,
        siteId: site.id,
        regionCode: site.regionCode,
      });
      const [row] = await m.query(`SELECT ${VISIT('NULL')} FROM lawyer_visit v WHERE v.id = $1`, [id]);
      return row;
    });
  }

  visits(siteId: string, upcomingOnly: boolean): Promise<VisitRow[]> {
    const scope = siteReaderScope(this.principal, 'v.site_id', 'v.region_code', 5);
    return this.db.query(
      `SELECT ${VISIT('as_uuid($3)')} FROM lawyer_visit v WHERE v.site_id = as_uuid($1)
          AND (NOT $2::boolean OR (v.ends_at > $4 AND v.status = 'scheduled')) AND ${scope.sql}
        ORDER BY v.starts_at, v.id`,
      [
        siteId,
        upcomingOnly,
        this.principal.role === 'resident' ? this.principal.residentId : null,
        this.clock.now(),
        ...scope.params,
      ],
    );
  }

  /** A resident books a place at an upcoming visit of their site; capacity is checked under a lock on the visit. */
  async book(visitId: string, topic: string): Promise<VisitRow> {
    const p = this.principal;
    requireRole(p, 'resident');
    if (!isUuid(visitId)) throw new InputError('visitId', 'Not a visit id.', 'FORMAT');
    const t = topic.trim();
    if (t.length < 2 || t.length > 200)
      throw new InputError('topic', 'What do you want to ask about (2 to 200 characters)?');
    return this.db.transaction(async (m) => {
      const scope = siteReaderScope(this.principal, 'v.site_id', 'v.region_code', 2);
      const [visit] = await m.query(
        `SELECT v.id, v.capacity, v.status, v.starts_at AS "startsAt", v.site_id AS "siteId",
           v.region_code AS "regionCode" FROM lawyer_visit v WHERE v.id = $1 AND ${scope.sql} FOR UPDATE`,
        [visitId, ...scope.params],
      );
      if (!visit) throw new NotFoundError('visitId', 'No such visit at your site.');
      if (visit.status !== 'scheduled' || new Date(visit.startsAt) <= this.clock.now())
        throw new ConflictError('visitId', 'The visit is no longer open for booking.', 'CLOSED');
      const [{ n }] = await m.query(
        `SELECT count(*)::int AS n FROM lawyer_visit_booking WHERE visit_id = $1 AND status = 'booked'`,
        [visitId],
      );
      if (n >= visit.capacity) throw new ConflictError('visitId', 'The visit is fully booked.', 'FULL');
      const rows = await m.query(
        `INSERT INTO lawyer_visit_booking (visit_id, resident_id, topic) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING
         RETURNING id`,
        [visitId, p.residentId, t],
      );
      if (!rows.length) throw new ConflictError('visitId', 'You have already booked this visit.', 'DUPLICATE');
      await notifyLawyerVisitBooked(m, rows[0].id, this.clock.now());
      await audit(m, p, {
        action: 'lawyer_visit.book',
        entityType: 'LawyerVisit',
        entityId: visitId,
        siteId: visit.siteId,
        regionCode: visit.regionCode,
      });
      const [row] = await m.query(`SELECT ${VISIT('as_uuid($2)')} FROM lawyer_visit v WHERE v.id = $1`, [
        visitId,
        p.residentId,
      ]);
      return row;
    });
  }

  async cancelBooking(visitId: string): Promise<VisitRow> {
    const p = this.principal;
    requireRole(p, 'resident');
    if (!isUuid(visitId)) throw new InputError('visitId', 'Not a visit id.', 'FORMAT');
    return this.db.transaction(async (m) => {
      const done = returning<{ id: string }>(
        await m.query(
          `UPDATE lawyer_visit_booking SET status = 'cancelled' WHERE visit_id = $1 AND resident_id = $2
             AND status = 'booked' RETURNING id`,
          [visitId, p.residentId],
        ),
      );
      if (!done.length) throw new NotFoundError('visitId', 'You have no booking for this visit.');
      await audit(m, p, { action: 'lawyer_visit.cancel_booking', entityType: 'LawyerVisit', entityId: visitId });
      const [row] = await m.query(`SELECT ${VISIT('as_uuid($2)')} FROM lawyer_visit v WHERE v.id = $1`, [
        visitId,
        p.residentId,
      ]);
      return row;
    });
  }

  /** Bookings of visits, for officers of the site only (who booked, about what). */
  async bookings(visitIds: readonly string[]) {
    const p = this.principal;
    if (!['province', 'county', 'site_officer'].includes(p.role)) return visitIds.map(() => null);
    const scope = placeFilter(p, { site: 'v.site_id', region: 'v.region_code' }, 2);
    const rows: { visitId: string; residentId: string; topic: string; bookedAt: Date }[] = await this.db.query(
      `SELECT b.visit_id AS "visitId", b.resident_id AS "residentId", b.topic, b.booked_at AS "bookedAt"
         FROM lawyer_visit_booking b JOIN lawyer_visit v ON v.id = b.visit_id
        WHERE b.visit_id = ANY(as_uuids($1)) AND b.status = 'booked' AND ${scope.sql} ORDER BY b.booked_at`,
      [visitIds, ...scope.params],
    );
    return visitIds.map((id) => rows.filter((r) => r.visitId === id));
  }
}
