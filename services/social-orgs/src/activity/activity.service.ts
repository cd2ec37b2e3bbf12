import type { DataSource, EntityManager } from 'typeorm';
import {
  ConflictError,
  ForbiddenError,
  InputError,
  NotFoundError,
  type Clock,
  type Principal,
  uuidsOf,
  uuidParam,
  audit,
  maskPhoneInput,
  isoSql,
  requireInstant,
  isUuid,
  returning,
  requireText,
  seqKeysetPage,
} from '@anju/kit';
import { publish, publishSelect } from '@anju/contracts';
import { organizationToManage, ownedScope, scopedRow, servesRegion, siteRegion } from '../scope';

export const ACTIVITY_KINDS = ['CULTURAL', 'COMPETITION', 'EDUCATION', 'HEALTH', 'VOLUNTEERING', 'OTHER'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
export type RegistrationStatus = 'REGISTERED' | 'WAITLISTED' | 'CANCELLED' | 'ATTENDED';

/** 法治宣传 topics a legal-study activity carries. */
export type LegalTopic =
  | 'CIVIL_CODE'
  | 'PROPERTY_MANAGEMENT_REGULATIONS'
  | 'LEGAL_AID'
  | 'LABOUR_RIGHTS'
  | 'MARRIAGE_AND_FAMILY'
  | 'ANTI_FRAUD'
  | 'ANTI_DRUG'
  | 'OTHER';
/** The cultural product an activity offers (文化惠民). */
export type CulturalForm = 'FILM' | 'PERFORMANCE' | 'LIBRARY' | 'EXHIBITION' | 'OTHER';

export interface ActivityRow {
  id: string;
  seq: string;
  organizationId: string;
  organizationName: string;
  siteId: string;
  title: string;
  kind: ActivityKind;
  legalTopic: LegalTopic | null;
  culturalForm: CulturalForm | null;
  startsAt: string;
  endsAt: string;
  capacity: number;
  registeredCount: number;
  waitlistCount: number;
  attendedCount: number;
}

export interface RegistrationRow {
  id: string;
  seq: string;
  activityId: string;
  organizationId: string;
  residentId: string;
  participantName: string;
  contactMasked: string | null;
  status: RegistrationStatus;
  waitlistPosition: number | null;
  registeredAt: string;
  promotedAt: string | null;
  cancelledAt: string | null;
  attendedAt: string | null;
}

const ACTIVITY_COLUMNS = `a.id, a.seq, a.organization_id AS "organizationId", o.name AS "organizationName",
    a.site_id AS "siteId", a.title, a.kind,
  a.legal_topic AS "legalTopic", a.cultural_form AS "culturalForm", ${isoSql('a.starts_at')} AS "startsAt",
    ${isoSql('a.ends_at')} AS "endsAt", a.capacity,
  (SELECT count(*) FROM activity_registration r WHERE r.activity_id = a.id
    AND r.status IN ('REGISTERED', 'ATTENDED'))::int AS "registeredCount",
  (SELECT count(*) FROM activity_registration r WHERE r.activity_id = a.id
    AND r.status = 'WAITLISTED')::int AS "waitlistCount",
  (SELECT count(*) FROM activity_registration r WHERE r.activity_id = a.id
    AND r.status = 'ATTENDED')::int AS "attendedCount"`;

const REGISTRATION_COLUMNS = `r.id, r.seq, r.activity_id AS "activityId", r.organization_id AS "organizationId",
    r.resident_id AS "residentId",
  r.participant_name AS "participantName", r.contact_masked AS "contactMasked", r.status,
  CASE WHEN r.status = 'WAITLISTED' THEN (SELECT count(*) FROM activity_registration w
    WHERE w.activity_id = r.activity_id AND w.status = 'WAITLISTED' AND w.seq <= r.seq)::int END AS "waitlistPosition",
  ${isoSql('r.registered_at')} AS "registeredAt", ${isoSql('r.promoted_at')} AS "promotedAt",
    ${isoSql('r.cancelled_at')} AS "cancelledAt", ${isoSql('r.attended_at')} AS "attendedAt"`;

/** Roles that work at sites and see the activities there: residents, site officers, grid workers. */
const atSites = (p: Principal) => p.role === 'resident' || p.role === 'site_officer' || p.role === 'grid_worker';

/**
 * Activities: the organization's own (NGO), those of organizations in their regions (province and
 * county officers), those at their own sites (residents, site officers, grid workers).
 */
function activityScope(p: Principal, firstParam: number) {
  if (atSites(p)) return { sql: `a.site_id = ANY($${firstParam}::uuid[])`, params: [uuidsOf(p.sites)] };
  return ownedScope(p, 'a.organization_id', firstParam);
}

/**
 * Registrations: the organization's (NGO, officers); those of activities at their sites (site officers, grid workers);
 * a resident's own.
 */
export function registrationScope(p: Principal, firstParam: number) {
  if (p.role === 'resident') return { sql: `r.resident_id = $${firstParam}::uuid`, params: [p.residentId] };
  if (atSites(p))
    return {
      sql: `EXISTS (SELECT 1 FROM activity sa WHERE sa.id = r.activity_id
              AND sa.site_id = ANY($${firstParam}::uuid[]))`,
      params: [uuidsOf(p.sites)],
    };
  return ownedScope(p, 'r.organization_id', firstParam);
}

export class ActivityService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
  ) {}

  byIds(ids: readonly string[]): Promise<ActivityRow[]> {
    const s = activityScope(this.principal, 2);
    return this.db.query(
      `SELECT ${ACTIVITY_COLUMNS} FROM activity a JOIN organization o ON o.id = a.organization_id
       WHERE a.id = ANY($1::uuid[]) AND ${s.sql}`,
      [uuidsOf(ids), ...s.params],
    );
  }

  registrationsByIds(ids: readonly string[]): Promise<RegistrationRow[]> {
    const s = registrationScope(this.principal, 2);
    return this.db.query(
      `SELECT ${REGISTRATION_COLUMNS} FROM activity_registration r WHERE r.id = ANY($1::uuid[]) AND ${s.sql}`,
      [uuidsOf(ids), ...s.params],
    );
  }

  /** Registrations of many activities at once (one query for a whole page of activities). */
  registrationsByActivities(activityIds: readonly string[]): Promise<RegistrationRow[]> {
    const s = registrationScope(this.principal, 2);
    return this.db.query(
      `SELECT ${REGISTRATION_COLUMNS} FROM activity_registration r WHERE r.activity_id = ANY($1::uuid[]) AND ${s.sql}
         ORDER BY r.seq`,
      [uuidsOf(activityIds), ...s.params],
    );
  }

  /** Registrations of many residents at once (the `Resident.activityRegistrations` join). */
  registrationsByResidents(residentIds: readonly string[]): Promise<RegistrationRow[]> {
    const s = registrationScope(this.principal, 2);
    return this.db.query(
      `SELECT ${REGISTRATION_COLUMNS} FROM activity_registration r WHERE r.resident_id = ANY($1::uuid[]) AND ${s.sql}
         ORDER BY r.seq`,
      [uuidsOf(residentIds), ...s.params],
    );
  }

  async list(args: {
    organizationId?: string | null;
    siteId?: string | null;
    first?: number | null;
    after?: string | null;
  }) {
    const s = activityScope(this.principal, 3);
    const filter = `($1::text IS NULL OR a.organization_id = ${uuidParam(1)}) AND ($2::text IS NULL
                      OR a.site_id = ${uuidParam(2)}) AND ${s.sql}`;
    const params = [args.organizationId ?? null, args.siteId ?? null, ...s.params];
    const from = 'activity a JOIN organization o ON o.id = a.organization_id';
    const list = { columns: ACTIVITY_COLUMNS, from, countFrom: 'activity a', where: filter, params };
    return seqKeysetPage<ActivityRow>(this.db, list, args, 'a.seq');
  }

  async create(input: {
    organizationId?: string | null;
    siteId: string;
    title: string;
    kind: ActivityKind;
    startsAt: string;
    endsAt: string;
    capacity: number;
    legalTopic?: LegalTopic | null;
    culturalForm?: CulturalForm | null;
  }): Promise<ActivityRow> {
    if (input.culturalForm && input.kind !== 'CULTURAL')
      throw new InputError('input.culturalForm', 'A cultural form belongs to a CULTURAL activity.', 'KIND');
    const orgId = await organizationToManage(this.db, this.principal, input.organizationId);
    if (!isUuid(input.siteId))
      throw new InputError('input.siteId', 'Give the id of a resettlement site (安置点).', 'FORMAT');
    // Only at a site of a region the organization serves (and, for an officer, in their scope): attendance earns points
    // there.
    const regionCode = await siteRegion(this.db, input.siteId);
    const inScope =
      regionCode != null &&
      (this.principal.role === 'ngo_member' || this.principal.regions.some((r) => regionCode.startsWith(r)));
    if (!inScope || !(await servesRegion(this.db, orgId, regionCode)))
      throw new NotFoundError('input.siteId', 'No such site among those the organization serves.');
    const title = requireText(input.title, 'input.title', 100);
    const startsAt = requireInstant(input.startsAt, 'input.startsAt');
    const endsAt = requireInstant(input.endsAt, 'input.endsAt');
    if (endsAt <= startsAt) throw new InputError('input.endsAt', 'An activity ends after it starts.', 'ORDER');
    checkCapacity(input.capacity, 'input.capacity');
    const id = await this.db.transaction(async (m) => {
      const [{ id }] = await m.query(
        `INSERT INTO activity (organization_id, site_id, title, kind, starts_at, ends_at, capacity, legal_topic,
           cultural_form)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [
          orgId,
          input.siteId,
          title,
          input.kind,
          startsAt,
          endsAt,
          input.capacity,
          input.legalTopic ?? null,
          input.culturalForm ?? null,
        ],
      );
      await audit(m, this.principal, {
        action: 'activity.create',
        entityType: 'Activity',
        entityId: id,
        organizationId: orgId,
      });
      return id as string;
    });
    return (await this.byIds([id]))[0];
  }

  /**
   * 文化惠民 — the cultural products offered per site and month (films, performances, reading rooms…):
   * how many activities of each form started in the month and how many people attended them, within
   * the caller's activity scope. One statement.
   */
  culturalOfferings(args: { month: string; siteId?: string | null }) {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(args.month)) throw new InputError('month', 'A month is YYYY-MM.', 'FORMAT');
    const s = activityScope(this.principal, 3);
    return this.db.query(
      `SELECT a.site_id AS "siteId", a.cultural_form AS "form", count(*)::int AS "activityCount",
              sum((SELECT count(*) FROM activity_registration r WHERE r.activity_id = a.id
                AND r.status = 'ATTENDED'))::int AS "attendance"
         FROM activity a
        WHERE a.cultural_form IS NOT NULL AND to_char(a.starts_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = $1
          AND ($2::text IS NULL OR a.site_id = ${uuidParam(2)}) AND ${s.sql}
        GROUP BY a.site_id, a.cultural_form ORDER BY a.site_id, a.cultural_form`,
      [args.month, args.siteId ?? null, ...s.params],
    );
  }

  /**
   * Changes the number of places. Never below the places already taken (registered or
   * attended); extra places go to the waiting list in the order people joined it.
   */
  async setCapacity(activityId: string, capacity: number): Promise<ActivityRow> {
    checkCapacity(capacity, 'capacity');
    await this.db.transaction(async (m) => {
      if (this.principal.role === 'resident') throw new ForbiddenError('Residents cannot change an activity.');
      const act = await scopedRow(m, this.principal, 'activity', activityId, 'activityId', {
        lock: true,
        what: 'activity',
      });
      const [{ taken }] = await m.query(
        `SELECT count(*)::int AS taken FROM activity_registration WHERE activity_id = $1
           AND status IN ('REGISTERED', 'ATTENDED')`,
        [activityId],
      );
      if (capacity < taken)
        throw new InputError(
          'capacity',
          `${taken} places are already taken; capacity cannot go below that.`,
          'BELOW_REGISTRATIONS',
        );
      await m.query(`UPDATE activity SET capacity = $2 WHERE id = $1`, [activityId, capacity]);
      await promoteWaitlisted(m, activityId, capacity - taken);
      await audit(m, this.principal, {
        action: 'activity.set_capacity',
        entityType: 'Activity',
        entityId: activityId,
        organizationId: act.organization_id,
        detail: { capacity },
      });
    });
    return (await this.byIds([activityId]))[0];
  }

  /**
   * Registers a resident: a place if one is free, else the waiting list (候补). Residents register
   * themselves (their token's resident id; the activity must be at one of their sites); NGO
   * members and officers register a resident for them. Only a display name and a masked phone
   * are kept.
   */
  async register(input: {
    activityId: string;
    residentId?: string | null;
    participantName: string;
    phone?: string | null;
  }): Promise<RegistrationRow> {
    const p = this.principal;
    let residentId: string;
    if (p.role === 'resident') {
      if (input.residentId && input.residentId !== p.residentId)
        throw new ForbiddenError('A resident registers only themselves.');
      residentId = p.residentId!;
    } else {
      if (!isUuid(input.residentId))
        throw new InputError('input.residentId', 'Give the id of the resident to register.', 'FORMAT');
      residentId = input.residentId;
    }
    const name = requireText(input.participantName, 'input.participantName', 50);
    const contact = maskPhoneInput(input.phone, 'input.phone');
    const id = await this.db.transaction(async (m) => {
      if (!isUuid(input.activityId)) throw new NotFoundError('input.activityId', 'No such activity.');
      const s = activityScope(p, 2);
      const [activity] = await m.query(`SELECT a.* FROM activity a WHERE a.id = $1 AND ${s.sql} FOR UPDATE`, [
        input.activityId,
        ...s.params,
      ]);
      if (!activity) throw new NotFoundError('input.activityId', 'No such activity in your scope.');
      // Only residents living at the activity's site (as governance's events told social-orgs).
      const [lives] = await m.query(
        `SELECT 1 FROM resident_directory WHERE resident_id = $1 AND site_id = $2 AND moved_out_on IS NULL`,
        [residentId, activity.site_id],
      );
      if (!lives)
        throw new NotFoundError('input.residentId', 'No resident living at the activity’s site with this id.');
      if (new Date(activity.ends_at) <= this.clock.now())
        throw new InputError('input.activityId', 'This activity is over; registration is closed.', 'ACTIVITY_OVER');
      const [{ taken }] = await m.query(
        `SELECT count(*)::int AS taken FROM activity_registration WHERE activity_id = $1
           AND status IN ('REGISTERED', 'ATTENDED')`,
        [activity.id],
      );
      const status: RegistrationStatus = taken < activity.capacity ? 'REGISTERED' : 'WAITLISTED';
      const rows = await m.query(
        `INSERT INTO activity_registration (activity_id, organization_id, resident_id, participant_name, contact_masked,
           status, registered_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (activity_id, resident_id) WHERE status <> 'CANCELLED'
         DO NOTHING RETURNING id`,
        [activity.id, activity.organization_id, residentId, name, contact, status, p.role],
      );
      if (!rows.length)
        throw new ConflictError(
          'input.residentId',
          'This resident is already registered or on the waiting list.',
          'ALREADY_REGISTERED',
        );
      await audit(m, p, {
        action: 'activity.register',
        entityType: 'ActivityRegistration',
        entityId: rows[0].id,
        organizationId: activity.organization_id,
        detail: { activityId: activity.id, status },
      });
      // The resident is told (governance's inbox, SMS, WeChat) once they have a place; the waiting list waits for a
      // promotion.
      if (status === 'REGISTERED') await announcePlaces(m, `SELECT $1::uuid AS id, false AS promoted`, [rows[0].id]);
      return rows[0].id as string;
    });
    return (await this.registrationsByIds([id]))[0];
  }

  /** Cancels a place or a waiting-list entry; a freed place goes to the first on the waiting list. */
  async cancel(registrationId: string): Promise<RegistrationRow> {
    await this.db.transaction(async (m) => {
      const reg = await this.lockRegistration(m, registrationId);
      if (reg.status !== 'REGISTERED' && reg.status !== 'WAITLISTED') {
        throw new InputError(
          'registrationId',
          `A registration that is ${reg.status.toLowerCase()} cannot be cancelled.`,
          'INVALID_TRANSITION',
        );
      }
      await m.query(`UPDATE activity_registration SET status = 'CANCELLED', cancelled_at = now() WHERE id = $1`, [
        reg.id,
      ]);
      await publish(m, 'activity.registration.cancelled', {
        registrationId: reg.id,
        activityId: reg.activity_id,
        residentId: reg.resident_id,
        cancelledAt: this.clock.now().toISOString(),
      });
      if (reg.status === 'REGISTERED') {
        const [{ free }] = await m.query(
          `SELECT a.capacity - (SELECT count(*) FROM activity_registration r WHERE r.activity_id = a.id
             AND r.status IN ('REGISTERED', 'ATTENDED'))::int AS free FROM activity a WHERE a.id = $1`,
          [reg.activity_id],
        );
        await promoteWaitlisted(m, reg.activity_id, free);
      }
      await audit(m, this.principal, {
        action: 'activity.cancel_registration',
        entityType: 'ActivityRegistration',
        entityId: reg.id,
        organizationId: reg.organization_id,
      });
    });
    return (await this.registrationsByIds([registrationId]))[0];
  }

  /**
   * Check-in at the door: the registration becomes an attendance, and `activity.attended` is
   * published in the same transaction (the resident earns points in governance).
   */
  async checkIn(registrationId: string): Promise<RegistrationRow> {
    const now = this.clock.now();
    if (this.principal.role === 'resident') throw new ForbiddenError('Check-in is done by the organizer.');
    await this.db.transaction(async (m) => {
      const reg = await this.lockRegistration(m, registrationId);
      const [window] = await m.query(
        `SELECT starts_at AS "startsAt", ends_at AS "endsAt" FROM activity WHERE id = $1`,
        [reg.activity_id],
      );
      if (now.getTime() < window.startsAt.getTime() - CHECK_IN_OPENS_MS || now >= window.endsAt) {
        throw new InputError(
          'registrationId',
          'Check-in is open from 30 minutes before the activity starts until it ends.',
          'OUTSIDE_WINDOW',
        );
      }
      if (reg.status === 'ATTENDED')
        throw new ConflictError('registrationId', 'Already checked in.', 'ALREADY_CHECKED_IN');
      if (reg.status !== 'REGISTERED') {
        throw new InputError(
          'registrationId',
          `Only a registered participant can check in (this one is ${reg.status.toLowerCase()}).`,
          'INVALID_TRANSITION',
        );
      }
      const [done] = returning<{ attendedAt: Date; siteId: string; kind: string; legalTopic: LegalTopic | null }>(
        await m.query(
          `UPDATE activity_registration r SET status = 'ATTENDED', attended_at = $2 FROM activity a
         WHERE r.id = $1 AND a.id = r.activity_id RETURNING r.attended_at AS "attendedAt", a.site_id AS "siteId",
           a.kind, a.legal_topic AS "legalTopic"`,
          [reg.id, this.clock.now()],
        ),
      );
      await publish(m, 'activity.attended', {
        attendanceId: reg.id,
        activityId: reg.activity_id,
        organizationId: reg.organization_id,
        residentId: reg.resident_id,
        siteId: done.siteId,
        attendedAt: new Date(done.attendedAt).toISOString(),
        activityKind: done.kind,
        legalTopic: done.legalTopic,
      });
      await audit(m, this.principal, {
        action: 'activity.check_in',
        entityType: 'ActivityRegistration',
        entityId: reg.id,
        organizationId: reg.organization_id,
      });
    });
    return (await this.registrationsByIds([registrationId]))[0];
  }

  /** Locks the activity, then the registration (the same order everywhere, so no deadlocks). */
  private async lockRegistration(m: EntityManager, registrationId: string) {
    if (!isUuid(registrationId)) throw new NotFoundError('registrationId', 'No such registration.');
    const s = registrationScope(this.principal, 2);
    const [found] = await m.query(`SELECT r.activity_id FROM activity_registration r WHERE r.id = $1 AND ${s.sql}`, [
      registrationId,
      ...s.params,
    ]);
    if (!found) throw new NotFoundError('registrationId', 'No such registration in your scope.');
    await m.query(`SELECT 1 FROM activity WHERE id = $1 FOR UPDATE`, [found.activity_id]);
    const [reg] = await m.query(`SELECT * FROM activity_registration WHERE id = $1 FOR UPDATE`, [registrationId]);
    return reg as {
      id: string;
      activity_id: string;
      organization_id: string;
      resident_id: string;
      status: RegistrationStatus;
    };
  }
}

/** Doors open half an hour before an activity starts; check-in closes when it ends. */
const CHECK_IN_OPENS_MS = 30 * 60_000;

function checkCapacity(capacity: number, field: string) {
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 100_000)
    throw new InputError(field, 'Capacity is a whole number of places from 1 to 100000.', 'RANGE');
}

/** Moves up to `places` people from the waiting list to registered, first come first served. */
async function promoteWaitlisted(m: EntityManager, activityId: string, places: number) {
  if (places <= 0) return;
  // Promoted and announced (activity.registration.confirmed, one per person) in one statement.
  await announcePlaces(
    m,
    `SELECT id, true AS promoted FROM promoted`,
    [activityId, places],
    `promoted AS (
       UPDATE activity_registration SET status = 'REGISTERED', promoted_at = now()
        WHERE id IN (SELECT id FROM activity_registration WHERE activity_id = $1 AND status = 'WAITLISTED' ORDER BY seq
          LIMIT $2)
       RETURNING id)`,
  );
}

/** Publishes `activity.registration.confirmed` for the registrations `which` selects (columns id, promoted). */
function announcePlaces(m: EntityManager, which: string, params: unknown[], withCte?: string) {
  return publishSelect(
    m,
    'activity.registration.confirmed',
    `SELECT r.id AS "registrationId", r.activity_id AS "activityId", r.organization_id AS "organizationId",
              r.resident_id AS "residentId",
            a.site_id AS "siteId", a.title, o.name AS "organizationName",
            to_char(a.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "startsAt",
            to_char(a.ends_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "endsAt",
              w.promoted AS "promotedFromWaitlist"
       FROM (${which}) w JOIN activity_registration r ON r.id = w.id JOIN activity a ON a.id = r.activity_id
       JOIN organization o ON o.id = r.organization_id`,
    params,
    withCte ? { with: withCte } : {},
  );
}
