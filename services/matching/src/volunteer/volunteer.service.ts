import type { DataSource, EntityManager } from 'typeorm';
import {
  ForbiddenError,
  InputError,
  NotFoundError,
  audit,
  coversPlace,
  requireRole,
  type Principal,
  uuidsOf,
  uuidParam,
  isIsoDate,
  isOfficer,
  OFFICER_ROLES,
  isUuid,
} from '@anju/kit';
import { findSite, publish } from '@anju/contracts';
import { volunteerScope } from '../scope';
import { matchOne } from '../match/match.service';

export interface VolunteerRow {
  id: string;
  displayName: string;
  residentId: string | null;
  homeSiteId: string;
  regionCode: string;
  skills: string[];
  languages: string[];
  weeklyHours: number;
  completed: number;
  failed: number;
}
const COLUMNS = `v.id, v.display_name AS "displayName", v.resident_id AS "residentId", v.home_site_id AS "homeSiteId",
    v.region_code AS "regionCode",
  v.skills, v.languages, v.weekly_hours::float8 AS "weeklyHours", v.completed, v.failed`;

export interface AssignmentRow {
  id: string;
  demandId: string;
  volunteerId: string;
  hours: number;
  score: number;
  explanation: unknown;
  source: string;
  status: string;
  proposedAt: Date;
  respondedAt: Date | null;
}
const ASSIGNMENT_COLUMNS = `a.id, a.demand_id AS "demandId", a.volunteer_id AS "volunteerId", a.hours::float8 AS hours,
    a.score, a.explanation,
  a.source, a.status, a.proposed_at AS "proposedAt", a.responded_at AS "respondedAt"`;

export interface ServiceRecordRow {
  id: string;
  volunteerId: string;
  assignmentId: string | null;
  demandId: string | null;
  siteId: string;
  hours: number;
  servedOn: string;
  verifiedAt: Date | null;
}
const RECORD_COLUMNS = `r.id, r.volunteer_id AS "volunteerId", r.assignment_id AS "assignmentId",
    r.demand_id AS "demandId", r.site_id AS "siteId",
  r.hours::float8 AS hours, to_char(r.served_on, 'YYYY-MM-DD') AS "servedOn", r.verified_at AS "verifiedAt"`;

export interface WindowInput {
  startsAt: string;
  endsAt: string;
}

const clean = (list: string[] | null | undefined) => [...new Set((list ?? []).map((s) => s.trim()).filter(Boolean))];

/** Checks availability windows: ISO date-times, each ending after it starts. */
function checkWindows(windows: WindowInput[], field: string): { start: Date; end: Date }[] {
  return windows.map((w, i) => {
    const start = new Date(w.startsAt);
    const end = new Date(w.endsAt);
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()))
      throw new InputError(`${field}.${i}`, 'A window is two ISO date-times.', 'FORMAT');
    if (end <= start)
      throw new InputError(`${field}.${i}.endsAt`, 'The window ends before it starts.', 'WINDOW_REVERSED');
    return { start, end };
  });
}

/** 志愿者 — volunteers, their availability, assignments and service records. */
export class VolunteerService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly now: () => Date,
  ) {}

  byIds(ids: readonly string[]): Promise<VolunteerRow[]> {
    const s = volunteerScope(this.principal, 2);
    return this.db.query(`SELECT ${COLUMNS} FROM volunteer v WHERE v.id = ANY($1::uuid[]) AND ${s.sql}`, [
      uuidsOf(ids),
      ...s.params,
    ]);
  }

  list(siteId: string): Promise<VolunteerRow[]> {
    const s = volunteerScope(this.principal, 2);
    return this.db.query(
      `SELECT ${COLUMNS} FROM volunteer v WHERE v.home_site_id = ${uuidParam(1)} AND ${s.sql}
         ORDER BY v.registered_at, v.id LIMIT 500`,
      [siteId, ...s.params],
    );
  }

  availability(volunteerId: string): Promise<{ startsAt: Date; endsAt: Date }[]> {
    return this.db.query(
      `SELECT starts_at AS "startsAt", ends_at AS "endsAt" FROM volunteer_availability WHERE volunteer_id = $1
         ORDER BY starts_at`,
      [volunteerId],
    );
  }

  async register(input: {
    displayName: string;
    residentId?: string | null;
    homeSiteId: string;
    skills?: string[] | null;
    languages?: string[] | null;
    weeklyHours: number;
    availability?: WindowInput[] | null;
  }): Promise<VolunteerRow> {
    requireRole(this.principal, ...OFFICER_ROLES);
    const site = await findSite(this.db, input.homeSiteId);
    if (!site) throw new NotFoundError('input.homeSiteId', 'No such site.');
    if (!coversPlace(this.principal, site)) throw new ForbiddenError('The site is outside your scope.');
    const name = input.displayName.trim();
    if (!name || name.length > 100)
      throw new InputError('input.displayName', 'A display name has 1 to 100 characters.');
    if (input.residentId && !isUuid(input.residentId))
      throw new InputError('input.residentId', 'Not a resident id.', 'FORMAT');
    if (!(input.weeklyHours >= 0))
      throw new InputError('input.weeklyHours', 'Weekly hours cannot be negative.', 'NEGATIVE');
    if (input.weeklyHours > 80) throw new InputError('input.weeklyHours', 'Weekly hours are at most 80.', 'RANGE');
    const windows = checkWindows(input.availability ?? [], 'input.availability');
    return this.db.transaction(async (m) => {
      const [row]: VolunteerRow[] = await m
        .query(
          `INSERT INTO volunteer AS v (display_name, resident_id, home_site_id, region_code, skills, languages,
           weekly_hours)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
          [
            name,
            input.residentId ?? null,
            site.siteId,
            site.regionCode,
            clean(input.skills),
            clean(input.languages),
            input.weeklyHours,
          ],
        )
        .catch((err: { code?: string }) => {
          if (err.code === '23505')
            throw new InputError('input.residentId', 'This resident is already a volunteer.', 'DUPLICATE');
          throw err;
        });
      await this.insertWindows(m, row.id, windows);
      await audit(m, this.principal, {
        action: 'volunteer.register',
        entityType: 'volunteer',
        entityId: row.id,
        siteId: site.siteId,
        regionCode: site.regionCode,
        detail: {
          residentId: input.residentId ?? null,
          windows: windows.length,
          fields: ['displayName', 'skills', 'languages', 'weeklyHours'],
        },
      });
      return row;
    });
  }

  private async insertWindows(m: EntityManager, volunteerId: string, windows: { start: Date; end: Date }[]) {
    if (windows.length === 0) return;
    await m.query(
      `INSERT INTO volunteer_availability (volunteer_id, starts_at, ends_at) SELECT $1, s, e
       FROM unnest($2::timestamptz[], $3::timestamptz[]) AS t(s, e)`,
      [volunteerId, windows.map((w) => w.start), windows.map((w) => w.end)],
    );
  }

  /** Adds availability windows (the volunteer themself, or an officer of their site). */
  async addAvailability(volunteerId: string, windows: WindowInput[]): Promise<VolunteerRow> {
    const checked = checkWindows(windows, 'windows');
    const [v] = await this.byIds([volunteerId]);
    if (!v) throw new NotFoundError('volunteerId', 'No such volunteer.');
    if (!(this.principal.role === 'volunteer' || isOfficer(this.principal))) throw new ForbiddenError();
    await this.db.transaction(async (m) => {
      await this.insertWindows(m, volunteerId, checked);
      await audit(m, this.principal, {
        action: 'volunteer.add_availability',
        entityType: 'volunteer',
        entityId: v.id,
        siteId: v.homeSiteId,
        regionCode: v.regionCode,
        detail: { windows: checked.length },
      });
    });
    return v;
  }

  /** The caller's own assignments (volunteers), newest first. */
  myAssignments(status: string | null | undefined): Promise<AssignmentRow[]> {
    requireRole(this.principal, 'volunteer');
    return this.db.query(
      `SELECT ${ASSIGNMENT_COLUMNS} FROM assignment a WHERE a.volunteer_id = ${uuidParam(1)}
        AND ($2::text IS NULL OR a.status = $2)
      ORDER BY a.proposed_at DESC, a.id LIMIT 200`,
      [this.principal.volunteerId, status ?? null],
    );
  }

  /** Assignments of demands the caller can see (the demand resolver checked the scope). */
  /** The assignments of many demands at once (a volunteer sees only their own, a resident none). */
  assignmentsOfDemands(demandIds: readonly string[]): Promise<AssignmentRow[]> {
    const p = this.principal;
    const own =
      p.role === 'volunteer' ? `AND a.volunteer_id = ${uuidParam(2)}` : p.role === 'resident' ? 'AND false' : '';
    return this.db.query(
      `SELECT ${ASSIGNMENT_COLUMNS} FROM assignment a WHERE a.demand_id = ANY($1::uuid[]) ${own}
         ORDER BY a.proposed_at, a.id`,
      p.role === 'volunteer' ? [uuidsOf(demandIds), p.volunteerId] : [uuidsOf(demandIds)],
    );
  }

  /**
   * Accept or decline a proposed assignment. Accepting starts the demand; declining counts against reliability and
   * re-matches.
   */
  async respond(assignmentId: string, accept: boolean): Promise<AssignmentRow> {
    requireRole(this.principal, 'volunteer');
    if (!isUuid(assignmentId)) throw new NotFoundError('assignmentId', 'No such assignment.');
    return this.db.transaction(async (m) => {
      const [a]: AssignmentRow[] = await m.query(
        `SELECT ${ASSIGNMENT_COLUMNS} FROM assignment a WHERE a.id = $1 AND a.volunteer_id = ${uuidParam(2)} FOR
         UPDATE`,
        [assignmentId, this.principal.volunteerId],
      );
      if (!a) throw new NotFoundError('assignmentId', 'No such assignment.');
      if (a.status !== 'proposed')
        throw new InputError('assignmentId', `This assignment is already ${a.status}.`, 'INVALID_TRANSITION');
      const [[updated]]: [AssignmentRow[], number] = await m.query(
        `UPDATE assignment a SET status = $2, responded_at = now() WHERE a.id = $1 RETURNING ${ASSIGNMENT_COLUMNS}`,
        [assignmentId, accept ? 'accepted' : 'declined'],
      );
      if (accept) {
        const [[d]]: [{ status: string }[], number] = await m.query(
          `UPDATE demand SET status = 'in_progress', status_changed_at = now() WHERE id = $1
              AND status IN ('open', 'claimed')
            RETURNING (SELECT status FROM demand WHERE id = $1) AS status`,
          [a.demandId],
        );
        if (d)
          await m.query(
            `INSERT INTO demand_transition (demand_id, from_status, to_status, by_subject, note)
             VALUES ($1, $2, 'in_progress', $3, 'volunteer accepted')`,
            [a.demandId, d.status, this.principal.subject],
          );
        // 接单: the household hears that a volunteer took it up (no name: governance says "a volunteer").
        const [demand] = await m.query(
          `SELECT site_id AS "siteId", household_id AS "householdId", category FROM demand WHERE id = $1`,
          [a.demandId],
        );
        await publish(m, 'demand.claimed', {
          demandId: a.demandId,
          siteId: demand.siteId,
          householdId: demand.householdId,
          category: demand.category,
          claimedBy: 'volunteer',
          unitId: null,
          unitName: null,
          promisedOn: null,
          claimedAt: this.now().toISOString(),
        });
      } else {
        await m.query(`UPDATE volunteer SET failed = failed + 1 WHERE id = $1`, [a.volunteerId]);
        await matchOne(m, a.demandId, this.now());
      }
      await audit(m, this.principal, {
        action: accept ? 'assignment.accept' : 'assignment.decline',
        entityType: 'assignment',
        entityId: a.id,
        detail: { demandId: a.demandId, volunteerId: a.volunteerId },
      });
      return updated;
    });
  }

  /** Records hours served (the volunteer on their accepted assignment, or an officer); completes the assignment. */
  async recordService(input: { assignmentId: string; hours: number; servedOn: string }): Promise<ServiceRecordRow> {
    const p = this.principal;
    if (!(input.hours > 0)) throw new InputError('input.hours', 'Hours served must be more than 0.', 'NEGATIVE');
    if (input.hours > 24) throw new InputError('input.hours', 'At most 24 hours a day.', 'RANGE');
    if (!isIsoDate(input.servedOn)) throw new InputError('input.servedOn', 'A date is written YYYY-MM-DD.', 'FORMAT');
    if (!isUuid(input.assignmentId)) throw new NotFoundError('input.assignmentId', 'No such assignment.');
    return this.db.transaction(async (m) => {
      const [a] = await m.query(
        `SELECT a.id, a.status, a.volunteer_id AS "volunteerId", a.demand_id AS "demandId", d.site_id AS "siteId",
             d.region_code AS "regionCode"
           FROM assignment a JOIN demand d ON d.id = a.demand_id WHERE a.id = $1 FOR UPDATE OF a`,
        [input.assignmentId],
      );
      const mine = a && p.role === 'volunteer' && a.volunteerId === p.volunteerId;
      const officer = a && isOfficer(p) && coversPlace(p, { siteId: a.siteId, regionCode: a.regionCode });
      if (!mine && !officer) throw new NotFoundError('input.assignmentId', 'No such assignment.');
      if (a.status !== 'accepted')
        throw new InputError(
          'input.assignmentId',
          `Hours are recorded on an accepted assignment; this one is ${a.status}.`,
          'INVALID_TRANSITION',
        );
      await m.query(`UPDATE assignment SET status = 'completed' WHERE id = $1`, [a.id]);
      const [row] = await m.query(
        `INSERT INTO service_record AS r (volunteer_id, assignment_id, demand_id, site_id, region_code, hours,
           served_on, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${RECORD_COLUMNS}`,
        [a.volunteerId, a.id, a.demandId, a.siteId, a.regionCode, input.hours, input.servedOn, p.subject],
      );
      await audit(m, p, {
        action: 'service_record.record',
        entityType: 'service_record',
        entityId: row.id,
        siteId: a.siteId,
        regionCode: a.regionCode,
        detail: { assignmentId: a.id, demandId: a.demandId, volunteerId: a.volunteerId, fields: ['hours', 'servedOn'] },
      });
      return row;
    });
  }

  /**
   * Verifies a service record (the unit that claimed the demand, or an officer of the site); publishes
   * `service.verified`.
   */
  async verifyService(recordId: string): Promise<ServiceRecordRow> {
    const p = this.principal;
    if (!isUuid(recordId)) throw new NotFoundError('recordId', 'No such service record.');
    return this.db.transaction(async (m) => {
      const [r] = await m.query(
        `SELECT ${RECORD_COLUMNS}, r.region_code AS "regionCode", d.unit_id AS "unitId", v.resident_id AS "residentId"
           FROM service_record r JOIN volunteer v ON v.id = r.volunteer_id LEFT JOIN demand d ON d.id = r.demand_id
          WHERE r.id = $1 FOR UPDATE OF r`,
        [recordId],
      );
      const allowed =
        r &&
        ((isOfficer(p) && coversPlace(p, { siteId: r.siteId, regionCode: r.regionCode })) ||
          (p.role === 'unit_member' && r.unitId && r.unitId === p.unitId));
      if (!allowed) throw new NotFoundError('recordId', 'No such service record.');
      if (r.verifiedAt) throw new InputError('recordId', 'This record is already verified.', 'ALREADY_VERIFIED');
      const [[row]]: [ServiceRecordRow[], number] = await m.query(
        `UPDATE service_record r SET verified_by = $2, verified_at = $3 WHERE r.id = $1 RETURNING ${RECORD_COLUMNS}`,
        [recordId, p.subject, this.now()],
      );
      await m.query(`UPDATE volunteer SET completed = completed + 1 WHERE id = $1`, [r.volunteerId]);
      await publish(m, 'service.verified', {
        serviceRecordId: row.id,
        volunteerId: row.volunteerId,
        volunteerResidentId: r.residentId,
        demandId: row.demandId,
        siteId: row.siteId,
        hours: row.hours,
        verifiedAt: new Date(row.verifiedAt!).toISOString(),
      });
      await audit(m, p, {
        action: 'service_record.verify',
        entityType: 'service_record',
        entityId: row.id,
        siteId: row.siteId,
        regionCode: r.regionCode,
        detail: { volunteerId: row.volunteerId, demandId: row.demandId },
      });
      return row;
    });
  }

  /** Service records of a volunteer the caller can see. */
  /** The latest 200 service records of each of many volunteers, in one query. */
  recordsOfVolunteers(volunteerIds: readonly string[]): Promise<ServiceRecordRow[]> {
    return this.db.query(
      `SELECT ${RECORD_COLUMNS} FROM unnest($1::uuid[]) v(id)
         CROSS JOIN LATERAL (SELECT * FROM service_record s WHERE s.volunteer_id = v.id ORDER BY s.served_on DESC, s.id
           LIMIT 200) r
        ORDER BY r.volunteer_id, r.served_on DESC, r.id`,
      [uuidsOf(volunteerIds)],
    );
  }
}
