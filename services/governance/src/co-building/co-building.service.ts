import type { DataSource } from 'typeorm';
import {
  ConflictError,
  InputError,
  NotFoundError,
  PROVINCE_ZONE_SQL,
  addMonths,
  audit,
  coversPlace,
  isUuid,
  placeFilter,
  provinceDate,
  requireInstant,
  requireRole,
  returning,
  uuidParam,
  type Clock,
  type Principal,
  type SqlFilter,
} from '@anju/kit';
import { siteForWrite } from '../grid/grid.service';
import { gridWorkerSites } from '../scope';
import { checkListItem, insertListItem, type ListItemInput } from '../list-item/list-item.service';

/** 共建理事会 — a site's co-building council. */
export interface CoBuildingCouncilRow {
  id: string;
  siteId: string;
  regionCode: string;
  name: string;
  meetsEveryMonths: number;
  /** YYYY-MM-DD of the last meeting held, if any. */
  lastHeldOn: string | null;
  setOn: string;
}
export type MemberRole = 'chair' | 'vice_chair' | 'member';
export interface CoBuildingMemberRow {
  id: string;
  councilId: string;
  unitName: string;
  unitId: string | null;
  representativeName: string;
  role: MemberRole;
  joinedOn: string;
}
export interface CoBuildingMeetingRow {
  id: string;
  councilId: string;
  siteId: string;
  regionCode: string;
  startsAt: Date;
  place: string;
  agenda: string[];
  status: 'scheduled' | 'held';
  remindedAt: Date | null;
  minutes: string | null;
  attendingMemberIds: string[];
}

const COUNCIL = `c.id, c.site_id AS "siteId", c.region_code AS "regionCode", c.name,
    c.meets_every_months AS "meetsEveryMonths",
  to_char(c.set_at AT TIME ZONE ${PROVINCE_ZONE_SQL}, 'YYYY-MM-DD') AS "setOn",
  (SELECT to_char(max(mt.starts_at AT TIME ZONE ${PROVINCE_ZONE_SQL}), 'YYYY-MM-DD') FROM co_building_meeting mt
    WHERE mt.council_id = c.id AND mt.status = 'held') AS "lastHeldOn"`;
const MEMBER = `m.id, m.council_id AS "councilId", m.unit_name AS "unitName", m.unit_id AS "unitId",
    m.representative_name AS "representativeName",
  m.role, to_char(m.joined_on, 'YYYY-MM-DD') AS "joinedOn"`;
const MEETING = `mt.id, mt.council_id AS "councilId", mt.site_id AS "siteId", mt.region_code AS "regionCode",
    mt.starts_at AS "startsAt", mt.place,
  mt.agenda, mt.status, mt.reminded_at AS "remindedAt", mt.minutes, mt.attending_member_ids AS "attendingMemberIds"`;

/** When the next regular meeting is due: the council's period after the last one held (or after it was set up). */
export function nextMeetingDueOn(c: Pick<CoBuildingCouncilRow, 'lastHeldOn' | 'setOn' | 'meetsEveryMonths'>): string {
  const from = c.lastHeldOn ?? c.setOn;
  const month = addMonths(from.slice(0, 7), c.meetsEveryMonths);
  const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
  return `${month}-${String(Math.min(Number(from.slice(8, 10)), last)).padStart(2, '0')}`;
}

/**
 * 共建理事会: officers of the site and its region set it up, add member units, schedule and record
 * meetings; grid workers of the site and members of a member unit read it.
 */
export class CoBuildingService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
  ) {}

  private readScope(n: number, site: string, region: string, council: string): SqlFilter {
    const p = this.principal;
    if (p.role === 'grid_worker') return gridWorkerSites(p, site, n);
    if (p.role === 'unit_member') {
      return {
        sql: `${council} IN (SELECT council_id FROM co_building_member WHERE unit_id = ${uuidParam(n)}
                AND left_on IS NULL)`,
        params: [p.unitId],
      };
    }
    return placeFilter(p, { site, region }, n);
  }

  async councilOfSite(siteId: string): Promise<CoBuildingCouncilRow | null> {
    const scope = this.readScope(2, 'c.site_id', 'c.region_code', 'c.id');
    const [row] = await this.db.query(
      `SELECT ${COUNCIL} FROM co_building_council c WHERE c.site_id = as_uuid($1) AND ${scope.sql}`,
      [siteId, ...scope.params],
    );
    return row ?? null;
  }

  /** Current members of councils the caller can already read, the chair first. */
  members(councilIds: readonly string[]): Promise<CoBuildingMemberRow[]> {
    return this.db.query(
      `SELECT ${MEMBER} FROM co_building_member m WHERE m.council_id = ANY(as_uuids($1)) AND m.left_on IS NULL
        ORDER BY m.council_id, CASE m.role WHEN 'chair' THEN 0 WHEN 'vice_chair' THEN 1 ELSE 2
        END, m.joined_on, m.unit_name`,
      [councilIds],
    );
  }

  /** Meetings of councils the caller can already read, latest first (at most 50 each). */
  meetings(councilIds: readonly string[]): Promise<CoBuildingMeetingRow[]> {
    return this.db.query(
      `SELECT x.* FROM unnest(as_uuids($1)) AS k(id) CROSS JOIN LATERAL (
         SELECT ${MEETING} FROM co_building_meeting mt WHERE mt.council_id = k.id ORDER BY mt.starts_at DESC, mt.id
         LIMIT 50) x`,
      [councilIds],
    );
  }

  private async councilForWrite(councilId: string, field: string): Promise<CoBuildingCouncilRow> {
    requireRole(this.principal, 'county', 'site_officer');
    if (!isUuid(councilId)) throw new InputError(field, 'Not a council id.', 'FORMAT');
    const [c] = await this.db.query(`SELECT ${COUNCIL} FROM co_building_council c WHERE c.id = $1`, [councilId]);
    // Another site's council reads as not found.
    if (!c || !coversPlace(this.principal, { siteId: c.siteId, regionCode: c.regionCode }))
      throw new NotFoundError(field, 'No such council.');
    return c;
  }

  /** Sets up (or renames, or changes the period of) a site's co-building council; the caller becomes its secretary. */
  async setCouncil(input: { siteId: string; name: string; meetsEveryMonths: number }): Promise<CoBuildingCouncilRow> {
    requireRole(this.principal, 'county', 'site_officer');
    const site = await siteForWrite(this.db, this.principal, input.siteId, 'input.siteId');
    const name = input.name.trim();
    if (name.length < 2 || name.length > 100) throw new InputError('input.name', 'A name has 2 to 100 characters.');
    if (!Number.isInteger(input.meetsEveryMonths) || input.meetsEveryMonths < 1 || input.meetsEveryMonths > 12) {
      throw new InputError('input.meetsEveryMonths', 'A council meets every 1 to 12 months.', 'RANGE');
    }
    return this.db.transaction(async (m) => {
      const [{ id }] = await m.query(
        `INSERT INTO co_building_council (site_id, region_code, name, meets_every_months, secretary_subject, set_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (site_id) DO UPDATE SET name = EXCLUDED.name, meets_every_months = EXCLUDED.meets_every_months,
           secretary_subject = EXCLUDED.secretary_subject RETURNING id`,
        [site.id, site.regionCode, name, input.meetsEveryMonths, this.principal.subject, this.clock.now()],
      );
      await audit(m, this.principal, {
        action: 'co_building_council.set',
        entityType: 'CoBuildingCouncil',
        entityId: id,
        siteId: site.id,
        regionCode: site.regionCode,
      });
      const [row] = await m.query(`SELECT ${COUNCIL} FROM co_building_council c WHERE c.id = $1`, [id]);
      return row;
    });
  }

  /** A member unit (成员单位) and its representative; one chair at a time. */
  async addMember(input: {
    councilId: string;
    unitName: string;
    unitId?: string | null;
    representativeName: string;
    representativeSubject?: string | null;
    role: MemberRole;
  }): Promise<CoBuildingMemberRow> {
    const c = await this.councilForWrite(input.councilId, 'input.councilId');
    const unitName = input.unitName.trim();
    if (unitName.length < 2 || unitName.length > 100)
      throw new InputError('input.unitName', "A unit's name has 2 to 100 characters.");
    const rep = input.representativeName.trim();
    if (!rep || rep.length > 50)
      throw new InputError('input.representativeName', "The representative's name has 1 to 50 characters.");
    if (input.unitId && !isUuid(input.unitId)) throw new InputError('input.unitId', 'Not a unit id.', 'FORMAT');
    return this.db.transaction(async (m) => {
      const rows = await m.query(
        `INSERT INTO co_building_member (council_id, unit_name, unit_id, representative_name, representative_subject,
           role, joined_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING ${MEMBER.replaceAll('m.', '')}`,
        [
          c.id,
          unitName,
          input.unitId || null,
          rep,
          input.representativeSubject?.trim() || null,
          input.role,
          provinceDate(this.clock.now()),
        ],
      );
      if (!rows.length) {
        const chair = input.role === 'chair' ? ' or the council already has a chair' : '';
        throw new ConflictError('input.unitName', `${unitName} is already a member${chair}.`, 'DUPLICATE');
      }
      await audit(m, this.principal, {
        action: 'co_building_member.add',
        entityType: 'CoBuildingMember',
        entityId: rows[0].id,
        siteId: c.siteId,
        regionCode: c.regionCode,
      });
      return rows[0];
    });
  }

  /** Schedules a meeting; its member units' representatives are reminded the day before. */
  async scheduleMeeting(input: {
    councilId: string;
    startsAt: string;
    place: string;
    agenda: string[];
  }): Promise<CoBuildingMeetingRow> {
    const c = await this.councilForWrite(input.councilId, 'input.councilId');
    const startsAt = requireInstant(input.startsAt, 'input.startsAt');
    if (startsAt <= this.clock.now())
      throw new InputError('input.startsAt', 'A meeting is scheduled in the future.', 'PAST');
    const place = input.place.trim();
    if (place.length < 2 || place.length > 100)
      throw new InputError('input.place', 'Where is it (2 to 100 characters)?');
    const agenda = input.agenda.map((a) => a.trim()).filter(Boolean);
    if (!agenda.length || agenda.length > 20 || agenda.some((a) => a.length > 200)) {
      throw new InputError('input.agenda', 'An agenda has 1 to 20 items of at most 200 characters.');
    }
    return this.db.transaction(async (m) => {
      const [row] = await m.query(
        `INSERT INTO co_building_meeting AS mt (council_id, site_id, region_code, starts_at, place, agenda,
           scheduled_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${MEETING}`,
        [c.id, c.siteId, c.regionCode, startsAt, place, agenda, this.principal.subject],
      );
      await audit(m, this.principal, {
        action: 'co_building_meeting.schedule',
        entityType: 'CoBuildingMeeting',
        entityId: row.id,
        siteId: c.siteId,
        regionCode: c.regionCode,
      });
      return row;
    });
  }

  /**
   * Records a meeting once it has begun: minutes, who attended, and its resolutions as list items, in one transaction.
   */
  async recordMeeting(input: {
    meetingId: string;
    minutes: string;
    attendingMemberIds: string[];
    resolutions: ListItemInput[];
  }): Promise<CoBuildingMeetingRow> {
    requireRole(this.principal, 'county', 'site_officer');
    if (!isUuid(input.meetingId)) throw new InputError('input.meetingId', 'Not a meeting id.', 'FORMAT');
    const [mt]: CoBuildingMeetingRow[] = await this.db.query(
      `SELECT ${MEETING} FROM co_building_meeting mt WHERE mt.id = $1`,
      [input.meetingId],
    );
    if (!mt || !coversPlace(this.principal, { siteId: mt.siteId, regionCode: mt.regionCode }))
      throw new NotFoundError('input.meetingId', 'No such meeting.');
    if (mt.status !== 'scheduled')
      throw new ConflictError('input.meetingId', 'The meeting is already recorded.', 'BAD_TRANSITION');
    if (new Date(mt.startsAt) > this.clock.now())
      throw new InputError('input.meetingId', 'A meeting is recorded once it has begun.', 'FUTURE');
    const minutes = input.minutes.trim();
    if (minutes.length < 2 || minutes.length > 5000)
      throw new InputError('input.minutes', 'Minutes have 2 to 5000 characters.');
    const attending = [...new Set(input.attendingMemberIds)];
    if (!attending.length || attending.some((a) => !isUuid(a)))
      throw new InputError('input.attendingMemberIds', 'List the member units that attended.');
    const [{ known }] = await this.db.query(
      `SELECT count(*)::int AS known FROM co_building_member WHERE council_id = $1 AND id = ANY($2::uuid[])
         AND left_on IS NULL`,
      [mt.councilId, attending],
    );
    if (known !== attending.length)
      throw new InputError('input.attendingMemberIds', "Only the council's current member units attend.", 'NOT_MEMBER');
    const today = provinceDate(this.clock.now());
    const resolutions = input.resolutions.map((r, i) => checkListItem(r, `input.resolutions.${i}`, today));
    return this.db.transaction(async (m) => {
      const [row] = returning<CoBuildingMeetingRow>(
        await m.query(
          `UPDATE co_building_meeting mt SET status = 'held', minutes = $2, attending_member_ids = $3, recorded_by = $4,
            recorded_at = $5
          WHERE mt.id = $1 AND mt.status = 'scheduled' RETURNING ${MEETING}`,
          [mt.id, minutes, attending, this.principal.subject, this.clock.now()],
        ),
      );
      if (!row) throw new ConflictError('input.meetingId', 'The meeting is already recorded.', 'BAD_TRANSITION');
      const site = { id: mt.siteId, regionCode: mt.regionCode };
      for (const [i, r] of resolutions.entries())
        await insertListItem(m, site, r, { coBuildingMeetingId: mt.id, no: i + 1 });
      await audit(m, this.principal, {
        action: 'co_building_meeting.record',
        entityType: 'CoBuildingMeeting',
        entityId: mt.id,
        siteId: mt.siteId,
        regionCode: mt.regionCode,
        detail: { resolutions: resolutions.length, attending: attending.length },
      });
      return row;
    });
  }
}
