import type { DataSource } from 'typeorm';
import {
  ConflictError, ForbiddenError, InputError, NotFoundError, coversPlace, placeFilter, requireRole, type Clock,
  type Principal, uuidsOf, audit, returning, isUuid,
} from '@anju/kit';
import { siteForWrite } from '../grid/grid.service';
import { notifyLawyerVisitBooked } from '../notification/lawyer-visit-notifications';

export interface AdviserRow { id: string; regionCode: string; name: string; kind: 'legal_adviser' | 'public_lawyer'; organization: string | null; siteIds: string[] }
export interface VisitRow { id: string; siteId: string; regionCode: string; adviserId: string; startsAt: Date; endsAt: Date; place: string; capacity: number; status: string; booked: number; bookedByMe: boolean }
export interface CaseRow { id: string; siteId: string; regionCode: string; microIssueId: string | null; adviserId: string | null; title: string; summary: string; mediatorName: string; status: 'open' | 'closed'; outcome: string | null; outcomeNote: string | null; openedAt: Date; closedAt: Date | null }

const ADVISER = `a.id, a.region_code AS "regionCode", a.name, a.kind, a.organization,
  ARRAY(SELECT las.site_id::text FROM legal_adviser_site las WHERE las.adviser_id = a.id ORDER BY las.site_id) AS "siteIds"`;
const VISIT = (me: string) => `v.id, v.site_id AS "siteId", v.region_code AS "regionCode", v.adviser_id AS "adviserId", v.starts_at AS "startsAt", v.ends_at AS "endsAt",
  v.place, v.capacity, v.status, (SELECT count(*)::int FROM lawyer_visit_booking b WHERE b.visit_id = v.id AND b.status = 'booked') AS booked,
  EXISTS (SELECT 1 FROM lawyer_visit_booking b WHERE b.visit_id = v.id AND b.status = 'booked' AND b.resident_id = ${me}) AS "bookedByMe"`;
const CASE = `c.id, c.site_id AS "siteId", c.region_code AS "regionCode", c.micro_issue_id AS "microIssueId", c.adviser_id AS "adviserId", c.title, c.summary,
  c.mediator_name AS "mediatorName", c.status, c.outcome, c.outcome_note AS "outcomeNote", c.opened_at AS "openedAt", c.closed_at AS "closedAt"`;

const parseTime = (s: string, field: string) => {
  const d = new Date(s);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(s) || Number.isNaN(d.getTime())) throw new InputError(field, 'A time is ISO 8601 with an offset, e.g. 2026-12-01T09:00:00+08:00.', 'FORMAT');
  return d;
};

/** 法治: legal advisers, lawyer visits and their bookings, mediation cases. */
export class RuleOfLawService {
  constructor(private readonly db: DataSource, private readonly principal: Principal, private readonly clock: Clock) {}

  /** Sites the caller may read site-level things of, as SQL over a site id column (residents: their own site). */
  private siteScope(col: string, regionCol: string, n: number): { sql: string; params: unknown[] } {
    const p = this.principal;
    if (p.role === 'resident') return { sql: `${col} IN (SELECT site_id FROM resident WHERE id = as_uuid($${n}) AND moved_out_on IS NULL)`, params: [p.residentId] };
    if (p.role === 'grid_worker') return { sql: `(${col} = ANY($${n}::uuid[]) OR ${col} IN (SELECT site_id FROM grid WHERE id = ANY($${n + 1}::uuid[])))`, params: [uuidsOf(p.sites), uuidsOf(p.grids)] };
    return placeFilter(p, { site: col, region: regionCol }, n);
  }

  // ── Legal advisers ─────────────────────────────────────────────────────────────────────────

  async registerAdviser(input: { regionCode: string; name: string; kind: 'legal_adviser' | 'public_lawyer'; organization?: string | null; siteIds: string[] }): Promise<AdviserRow> {
    requireRole(this.principal, 'province', 'county');
    if (!/^\d{6}$/.test(input.regionCode)) throw new InputError('input.regionCode', 'A county-level (6-digit) region code.', 'FORMAT');
    if (!coversPlace(this.principal, { siteId: '', regionCode: input.regionCode })) throw new ForbiddenError('The region is outside your scope.');
    const name = input.name.trim();
    if (!name || name.length > 50) throw new InputError('input.name', 'A name has 1 to 50 characters.');
    const siteIds = [...new Set(input.siteIds)];
    const sites: { id: string; regionCode: string }[] = siteIds.length
      ? await this.db.query(`SELECT id, region_code AS "regionCode" FROM site WHERE id = ANY(as_uuids($1))`, [siteIds]) : [];
    if (sites.length !== siteIds.length) throw new NotFoundError('input.siteIds', 'One of the sites does not exist.');
    if (sites.some((s) => s.regionCode !== input.regionCode)) throw new InputError('input.siteIds', 'An adviser serves sites of their own county.', 'OTHER_REGION');
    return this.db.transaction(async (m) => {
      const [{ id }] = await m.query(`INSERT INTO legal_adviser (region_code, name, kind, organization) VALUES ($1, $2, $3, $4) RETURNING id`,
        [input.regionCode, name, input.kind, input.organization?.trim() || null]);
      await m.query(`INSERT INTO legal_adviser_site (adviser_id, site_id) SELECT $1, unnest(as_uuids($2))`, [id, siteIds]);
      await audit(m, this.principal, { action: 'legal_adviser.register', entityType: 'LegalAdviser', entityId: id, regionCode: input.regionCode });
      const [row] = await m.query(`SELECT ${ADVISER} FROM legal_adviser a WHERE a.id = $1`, [id]);
      return row;
    });
  }

  advisersOfSite(siteId: string): Promise<AdviserRow[]> {
    const scope = this.siteScope('las.site_id', 's.region_code', 2);
    return this.db.query(
      `SELECT ${ADVISER} FROM legal_adviser a JOIN legal_adviser_site las ON las.adviser_id = a.id JOIN site s ON s.id = las.site_id
        WHERE las.site_id = as_uuid($1) AND ${scope.sql} ORDER BY a.kind, a.name`, [siteId, ...scope.params],
    );
  }

  /** Advisers of many sites at once (for micro-issues at the legal-adviser level); the caller already reads those records. */
  advisersOfSites(siteIds: readonly string[]): Promise<(AdviserRow & { servedSiteId: string })[]> {
    return this.db.query(
      `SELECT ${ADVISER}, las.site_id::text AS "servedSiteId" FROM legal_adviser a JOIN legal_adviser_site las ON las.adviser_id = a.id
        WHERE las.site_id = ANY(as_uuids($1)) ORDER BY a.kind, a.name`, [siteIds],
    );
  }

  advisersByIds(ids: readonly string[]): Promise<AdviserRow[]> {
    return this.db.query(`SELECT ${ADVISER} FROM legal_adviser a WHERE a.id = ANY(as_uuids($1))`, [ids]);
  }

  /**
   * The 法治 indicator of a site, month by month (province calendar, at most 24 months): lawyer
   * visits (not cancelled) and their bookings here, legal-study attendance from social-orgs'
   * activity.attended events, by topic. One statement; a site outside the caller's scope gives [].
   */
  async indicator(siteId: string, fromMonth: string, toMonth: string) {
    for (const [v, f] of [[fromMonth, 'fromMonth'], [toMonth, 'toMonth']]) {
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(v)) throw new InputError(f, 'A month is YYYY-MM.', 'FORMAT');
    }
    const span = (Number(toMonth.slice(0, 4)) - Number(fromMonth.slice(0, 4))) * 12 + Number(toMonth.slice(5)) - Number(fromMonth.slice(5));
    if (span < 0 || span > 23) throw new InputError('toMonth', 'From 1 to 24 months, fromMonth first.', 'RANGE');
    const scope = this.siteScope('s.id', 's.region_code', 4);
    const inMonth = (col: string) => `to_char(${col} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = mo.month`;
    return this.db.query(
      `WITH here AS (SELECT s.id FROM site s WHERE s.id = as_uuid($1) AND ${scope.sql}),
            months AS (SELECT to_char(m, 'YYYY-MM') AS month FROM generate_series(($2 || '-01')::date, ($3 || '-01')::date, interval '1 month') m)
       SELECT mo.month,
              (SELECT count(*) FROM lawyer_visit v WHERE v.site_id = h.id AND v.status = 'scheduled' AND ${inMonth('v.starts_at')})::int AS "lawyerVisits",
              (SELECT count(*) FROM lawyer_visit_booking b JOIN lawyer_visit v ON v.id = b.visit_id
                WHERE v.site_id = h.id AND v.status = 'scheduled' AND b.status = 'booked' AND ${inMonth('v.starts_at')})::int AS "visitBookings",
              (SELECT count(*) FROM legal_study_attendance l WHERE l.site_id = h.id AND ${inMonth('l.attended_at')})::int AS "legalStudyAttendance",
              coalesce((SELECT json_agg(json_build_object('topic', t.topic, 'attendance', t.n) ORDER BY t.topic)
                 FROM (SELECT l.topic, count(*)::int AS n FROM legal_study_attendance l WHERE l.site_id = h.id AND ${inMonth('l.attended_at')} GROUP BY l.topic) t),
                '[]'::json) AS "legalStudyByTopic"
         FROM months mo CROSS JOIN here h ORDER BY mo.month`,
      [siteId, fromMonth, toMonth, ...scope.params]);
  }

  // ── Lawyer visits (律师进社区) ──────────────────────────────────────────────────────────────

  async scheduleVisit(input: { siteId: string; adviserId: string; startsAt: string; endsAt: string; place: string; capacity: number }): Promise<VisitRow> {
    const now = this.clock.now();
    requireRole(this.principal, 'county', 'site_officer');
    const site = await siteForWrite(this.db, this.principal, input.siteId, 'input.siteId');
    if (!isUuid(input.adviserId)) throw new InputError('input.adviserId', 'Not an adviser id.', 'FORMAT');
    const [serves] = await this.db.query(`SELECT 1 FROM legal_adviser_site WHERE adviser_id = $1 AND site_id = $2`, [input.adviserId, site.id]);
    if (!serves) throw new InputError('input.adviserId', 'This adviser does not serve the site.', 'NOT_SERVING');
    const startsAt = parseTime(input.startsAt, 'input.startsAt');
    const endsAt = parseTime(input.endsAt, 'input.endsAt');
    if (startsAt <= now) throw new InputError('input.startsAt', 'A visit is scheduled in the future.', 'PAST');
    if (endsAt <= startsAt) throw new InputError('input.endsAt', 'A visit ends after it starts.', 'BEFORE_START');
    if (!Number.isInteger(input.capacity) || input.capacity < 1 || input.capacity > 200) throw new InputError('input.capacity', 'Capacity is 1 to 200 bookings.');
    const place = input.place.trim();
    if (!place) throw new InputError('input.place', 'Where is the visit?');
    return this.db.transaction(async (m) => {
      const [{ id }] = await m.query(
        `INSERT INTO lawyer_visit (site_id, region_code, adviser_id, starts_at, ends_at, place, capacity, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [site.id, site.regionCode, input.adviserId, startsAt, endsAt, place, input.capacity, this.principal.subject],
      );
      await audit(m, this.principal, { action: 'lawyer_visit.schedule', entityType: 'LawyerVisit', entityId: id, siteId: site.id, regionCode: site.regionCode });
      const [row] = await m.query(`SELECT ${VISIT('NULL')} FROM lawyer_visit v WHERE v.id = $1`, [id]);
      return row;
    });
  }

  visits(siteId: string, upcomingOnly: boolean): Promise<VisitRow[]> {
    const scope = this.siteScope('v.site_id', 'v.region_code', 5);
    return this.db.query(
      `SELECT ${VISIT('as_uuid($3)')} FROM lawyer_visit v WHERE v.site_id = as_uuid($1) AND (NOT $2::boolean OR (v.ends_at > $4 AND v.status = 'scheduled')) AND ${scope.sql}
        ORDER BY v.starts_at, v.id`,
      [siteId, upcomingOnly, this.principal.role === 'resident' ? this.principal.residentId : null, this.clock.now(), ...scope.params],
    );
  }

  /** A resident books a place at an upcoming visit of their site; capacity is checked under a lock on the visit. */
  async book(visitId: string, topic: string): Promise<VisitRow> {
    const p = this.principal;
    requireRole(p, 'resident');
    if (!isUuid(visitId)) throw new InputError('visitId', 'Not a visit id.', 'FORMAT');
    const t = topic.trim();
    if (t.length < 2 || t.length > 200) throw new InputError('topic', 'What do you want to ask about (2 to 200 characters)?');
    return this.db.transaction(async (m) => {
      const scope = this.siteScope('v.site_id', 'v.region_code', 2);
      const [visit] = await m.query(`SELECT v.id, v.capacity, v.status, v.starts_at AS "startsAt", v.site_id AS "siteId", v.region_code AS "regionCode" FROM lawyer_visit v WHERE v.id = $1 AND ${scope.sql} FOR UPDATE`, [visitId, ...scope.params]);
      if (!visit) throw new NotFoundError('visitId', 'No such visit at your site.');
      if (visit.status !== 'scheduled' || new Date(visit.startsAt) <= this.clock.now()) throw new ConflictError('visitId', 'The visit is no longer open for booking.', 'CLOSED');
      const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM lawyer_visit_booking WHERE visit_id = $1 AND status = 'booked'`, [visitId]);
      if (n >= visit.capacity) throw new ConflictError('visitId', 'The visit is fully booked.', 'FULL');
      const rows = await m.query(
        `INSERT INTO lawyer_visit_booking (visit_id, resident_id, topic) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id`, [visitId, p.residentId, t],
      );
      if (!rows.length) throw new ConflictError('visitId', 'You have already booked this visit.', 'DUPLICATE');
      await notifyLawyerVisitBooked(m, rows[0].id, this.clock.now());
      await audit(m, p, { action: 'lawyer_visit.book', entityType: 'LawyerVisit', entityId: visitId, siteId: visit.siteId, regionCode: visit.regionCode });
      const [row] = await m.query(`SELECT ${VISIT('as_uuid($2)')} FROM lawyer_visit v WHERE v.id = $1`, [visitId, p.residentId]);
      return row;
    });
  }

  async cancelBooking(visitId: string): Promise<VisitRow> {
    const p = this.principal;
    requireRole(p, 'resident');
    if (!isUuid(visitId)) throw new InputError('visitId', 'Not a visit id.', 'FORMAT');
    return this.db.transaction(async (m) => {
      const done = returning<{ id: string }>(await m.query(
        `UPDATE lawyer_visit_booking SET status = 'cancelled' WHERE visit_id = $1 AND resident_id = $2 AND status = 'booked' RETURNING id`, [visitId, p.residentId],
      ));
      if (!done.length) throw new NotFoundError('visitId', 'You have no booking for this visit.');
      await audit(m, p, { action: 'lawyer_visit.cancel_booking', entityType: 'LawyerVisit', entityId: visitId });
      const [row] = await m.query(`SELECT ${VISIT('as_uuid($2)')} FROM lawyer_visit v WHERE v.id = $1`, [visitId, p.residentId]);
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

  // ── Mediation cases (人民调解) ──────────────────────────────────────────────────────────────

  /** Officers: cases of their sites; residents: cases they are a party to. */
  private caseScope(n: number): { sql: string; params: unknown[] } {
    const p = this.principal;
    if (p.role === 'resident') return { sql: `c.id IN (SELECT case_id FROM mediation_party WHERE resident_id = as_uuid($${n}))`, params: [p.residentId] };
    return placeFilter(p, { site: 'c.site_id', region: 'c.region_code' }, n);
  }

  casesByIds(ids: readonly string[]): Promise<CaseRow[]> {
    const scope = this.caseScope(2);
    return this.db.query(`SELECT ${CASE} FROM mediation_case c WHERE c.id = ANY(as_uuids($1)) AND ${scope.sql}`, [ids, ...scope.params]);
  }

  cases(siteId: string | null | undefined, status: 'open' | 'closed' | null | undefined): Promise<CaseRow[]> {
    const scope = this.caseScope(3);
    return this.db.query(
      `SELECT ${CASE} FROM mediation_case c WHERE ($1::text IS NULL OR c.site_id = as_uuid($1)) AND ($2::text IS NULL OR c.status = $2) AND ${scope.sql}
        ORDER BY c.opened_at DESC, c.id LIMIT 200`,
      [siteId ?? null, status ?? null, ...scope.params],
    );
  }

  async openCase(input: { siteId: string; title: string; summary: string; mediatorName: string; microIssueId?: string | null; adviserId?: string | null; parties: { name: string; residentId?: string | null; role: 'applicant' | 'respondent' | 'other' }[] }): Promise<CaseRow> {
    requireRole(this.principal, 'county', 'site_officer');
    const site = await siteForWrite(this.db, this.principal, input.siteId, 'input.siteId');
    const title = input.title.trim();
    if (title.length < 2 || title.length > 200) throw new InputError('input.title', 'A title has 2 to 200 characters.');
    const summary = input.summary.trim();
    if (!summary) throw new InputError('input.summary', 'Summarize the dispute.');
    const mediator = input.mediatorName.trim();
    if (!mediator) throw new InputError('input.mediatorName', 'Who mediates?');
    if (input.parties.length < 2) throw new InputError('input.parties', 'A mediation has at least two parties.', 'TOO_FEW');
    for (const [i, party] of input.parties.entries()) {
      if (!party.name.trim()) throw new InputError(`input.parties.${i}.name`, 'Each party has a name.');
      if (party.residentId) {
        const [r] = isUuid(party.residentId) ? await this.db.query(`SELECT site_id AS "siteId" FROM resident WHERE id = $1`, [party.residentId]) : [];
        if (!r || r.siteId !== site.id) throw new InputError(`input.parties.${i}.residentId`, 'Not a resident of this site.', 'OTHER_SITE');
      }
    }
    if (input.microIssueId) {
      const [mi] = isUuid(input.microIssueId) ? await this.db.query(`SELECT site_id AS "siteId" FROM micro_issue WHERE id = $1`, [input.microIssueId]) : [];
      if (!mi || mi.siteId !== site.id) throw new InputError('input.microIssueId', 'No such micro-issue at this site.', 'OTHER_SITE');
    }
    if (input.adviserId) {
      const [a] = isUuid(input.adviserId) ? await this.db.query(`SELECT 1 FROM legal_adviser_site WHERE adviser_id = $1 AND site_id = $2`, [input.adviserId, site.id]) : [];
      if (!a) throw new InputError('input.adviserId', 'This adviser does not serve the site.', 'NOT_SERVING');
    }
    return this.db.transaction(async (m) => {
      const [{ id }] = await m.query(
        `INSERT INTO mediation_case (site_id, region_code, micro_issue_id, adviser_id, title, summary, mediator_name) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [site.id, site.regionCode, input.microIssueId || null, input.adviserId || null, title, summary, mediator],
      );
      for (const party of input.parties) {
        await m.query(`INSERT INTO mediation_party (case_id, name, resident_id, role) VALUES ($1, $2, $3, $4)`, [id, party.name.trim(), party.residentId || null, party.role]);
      }
      await audit(m, this.principal, { action: 'mediation_case.open', entityType: 'MediationCase', entityId: id, siteId: site.id, regionCode: site.regionCode });
      const [row] = await m.query(`SELECT ${CASE} FROM mediation_case c WHERE c.id = $1`, [id]);
      return row;
    });
  }

  private async caseForWrite(id: string): Promise<CaseRow> {
    requireRole(this.principal, 'county', 'site_officer');
    if (!isUuid(id)) throw new InputError('caseId', 'Not a case id.', 'FORMAT');
    const [row] = await this.casesByIds([id]);
    if (!row) throw new NotFoundError('caseId', 'No such mediation case.');
    if (row.status !== 'open') throw new ConflictError('caseId', 'The case is closed.', 'BAD_TRANSITION');
    return row;
  }

  async recordSession(caseId: string, input: { heldAt: string; place: string; notes: string }): Promise<CaseRow> {
    const row = await this.caseForWrite(caseId);
    const heldAt = parseTime(input.heldAt, 'input.heldAt');
    if (heldAt > this.clock.now()) throw new InputError('input.heldAt', 'A session is recorded after it is held.', 'FUTURE');
    if (!input.place.trim()) throw new InputError('input.place', 'Where was it held?');
    if (!input.notes.trim()) throw new InputError('input.notes', 'What happened?');
    return this.db.transaction(async (m) => {
      await m.query(`INSERT INTO mediation_session (case_id, held_at, place, notes, recorded_by) VALUES ($1, $2, $3, $4, $5)`, [row.id, heldAt, input.place.trim(), input.notes.trim(), this.principal.subject]);
      await audit(m, this.principal, { action: 'mediation_case.session', entityType: 'MediationCase', entityId: row.id, siteId: row.siteId, regionCode: row.regionCode });
      return row;
    });
  }

  async closeCase(caseId: string, outcome: 'agreement' | 'no_agreement' | 'referred' | 'withdrawn', note: string): Promise<CaseRow> {
    const row = await this.caseForWrite(caseId);
    const text = note.trim();
    if (text.length < 2) throw new InputError('note', 'Record the outcome (e.g. the terms agreed).');
    return this.db.transaction(async (m) => {
      const done = returning<{ id: string }>(await m.query(
        `UPDATE mediation_case SET status = 'closed', outcome = $2, outcome_note = $3, closed_at = now() WHERE id = $1 AND status = 'open' RETURNING id`, [row.id, outcome, text],
      ));
      if (!done.length) throw new ConflictError('caseId', 'The case is closed.', 'BAD_TRANSITION');
      await audit(m, this.principal, { action: 'mediation_case.close', entityType: 'MediationCase', entityId: row.id, siteId: row.siteId, regionCode: row.regionCode, detail: { outcome } });
      const [after] = await m.query(`SELECT ${CASE} FROM mediation_case c WHERE c.id = $1`, [row.id]);
      return after;
    });
  }

  parties(caseIds: readonly string[]) {
    return this.db.query(`SELECT case_id AS "caseId", name, resident_id AS "residentId", role FROM mediation_party WHERE case_id = ANY(as_uuids($1)) ORDER BY role, name`, [caseIds]);
  }

  sessions(caseIds: readonly string[]) {
    return this.db.query(`SELECT case_id AS "caseId", held_at AS "heldAt", place, notes FROM mediation_session WHERE case_id = ANY(as_uuids($1)) ORDER BY held_at`, [caseIds]);
  }
}
