import type { DataSource, EntityManager } from 'typeorm';
import {
  ConflictError,
  ForbiddenError,
  InputError,
  NotFoundError,
  provinceDate,
  type Clock,
  type Principal,
  uuidsOf,
  uuidParam,
  audit,
  isoSql,
  requireDate,
  requireInstant,
  isUuid,
  optionalText,
  returning,
  requireText,
  seqKeysetPage,
} from '@anju/kit';
import { publish } from '@anju/contracts';
import { organizationToManage, placedScope, scopedRow, servesRegion, siteRegion } from '../scope';

type Queryable = Pick<DataSource | EntityManager, 'query'>;

export type CaseKind = 'FAMILY_THERAPY' | 'MUTUAL_AID_GROUP' | 'INDIVIDUAL_SUPPORT';
export type Agency = 'CIVIL_AFFAIRS' | 'JUSTICE' | 'TRADE_UNION' | 'YOUTH_LEAGUE' | 'WOMENS_FEDERATION';
export type ClosingReason = 'GOALS_MET' | 'PARTLY_MET' | 'REFERRED_ON' | 'WITHDRAWN' | 'MOVED_AWAY';
export type MemberRole = 'LEADER' | 'MEMBER';

export interface CaseRow {
  id: string;
  seq: string;
  organizationId: string;
  kind: CaseKind;
  title: string;
  householdId: string | null;
  siteId: string | null;
  workerId: string | null;
  status: 'OPEN' | 'CLOSED';
  closingSummary: string | null;
  closingReason: ClosingReason | null;
  openedAt: string;
  closedAt: string | null;
}
export interface SessionRow {
  id: string;
  seq: string;
  caseId: string;
  workerId: string | null;
  heldAt: string;
  whatWasDone: string;
  nextStep: string | null;
  nextStepDueOn: string | null;
  attendeeResidentIds: string[];
  recordedBy: string;
  recordedAt: string;
}
export interface MemberRow {
  id: string;
  caseId: string;
  residentId: string;
  householdId: string;
  role: MemberRole;
  joinedAt: string;
  leftAt: string | null;
}
export interface ReferralRow {
  id: string;
  seq: string;
  caseId: string;
  organizationId: string;
  agency: Agency;
  reason: string;
  dueOn: string;
  outcome: string | null;
  outcomeAt: string | null;
  overdueSince: string | null;
  referredAt: string;
}

const CASE_COLUMNS = `c.id, c.seq, c.organization_id AS "organizationId", c.kind, c.title,
    c.household_id AS "householdId", c.site_id AS "siteId",
  c.worker_id AS "workerId", c.status, c.closing_summary AS "closingSummary", c.closing_reason AS "closingReason",
    ${isoSql('c.opened_at')} AS "openedAt", ${isoSql('c.closed_at')} AS "closedAt"`;
const REFERRAL_COLUMNS = `f.id, f.seq, f.case_id AS "caseId", f.organization_id AS "organizationId", f.agency, f.reason,
    f.due_on::text AS "dueOn",
  f.outcome, ${isoSql('f.outcome_at')} AS "outcomeAt", ${isoSql('f.overdue_since')} AS "overdueSince",
    ${isoSql('f.referred_at')} AS "referredAt"`;

const SESSION_COLUMNS = `s.id, s.seq, s.case_id AS "caseId", s.worker_id AS "workerId",
    ${isoSql('s.held_at')} AS "heldAt",
  s.what_was_done AS "whatWasDone", s.next_step AS "nextStep", s.next_step_due_on::text AS "nextStepDueOn",
  s.attendee_resident_ids::text[] AS "attendeeResidentIds", s.recorded_by AS "recordedBy",
    ${isoSql('s.recorded_at')} AS "recordedAt"`;
const MEMBER_COLUMNS = `b.id, b.case_id AS "caseId", b.resident_id AS "residentId", b.household_id AS "householdId",
    b.role,
  ${isoSql('b.joined_at')} AS "joinedAt", ${isoSql('b.left_at')} AS "leftAt"`;

/**
 * Who reaches a case: its organization, province and county officers of its site's region
 * (placedScope), and the officers of its site (a site officer's token lists the site).
 */
export function caseScope(p: Principal, alias: string, firstParam: number): { sql: string; params: unknown[] } {
  if (p.role === 'site_officer') return { sql: `${alias}.site_id = ANY($${firstParam}::uuid[])`, params: [p.sites] };
  return placedScope(p, alias, firstParam);
}

/**
 * Who reads a case's notes and members (个案记录): only the case's organization and the officers of
 * the case's site. Officers above the site see that a case exists, not what was said in it.
 */
export function caseNotesScope(p: Principal, alias: string, firstParam: number): { sql: string; params: unknown[] } {
  if (p.role === 'ngo_member')
    return { sql: `${alias}.organization_id = $${firstParam}::uuid`, params: [p.organizationId] };
  if (p.role === 'site_officer') return { sql: `${alias}.site_id = ANY($${firstParam}::uuid[])`, params: [p.sites] };
  return { sql: 'false', params: [] };
}

/** Whether the caller may read notes at all (the graph answers null, not [], to the others). */
export const readsCaseNotes = (p: Principal) => p.role === 'ngo_member' || p.role === 'site_officer';

/**
 * 社会支持网络 — casework for families and referrals to the agencies that can help, each followed to an outcome by a
 * deadline.
 */
export class CaseworkService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
  ) {}

  casesByIds(ids: readonly string[]): Promise<CaseRow[]> {
    const s = caseScope(this.principal, 'c', 2);
    return this.db.query(`SELECT ${CASE_COLUMNS} FROM social_case c WHERE c.id = ANY($1::uuid[]) AND ${s.sql}`, [
      uuidsOf(ids),
      ...s.params,
    ]);
  }

  referralsByIds(ids: readonly string[]): Promise<ReferralRow[]> {
    const s = placedScope(this.principal, 'f', 2);
    return this.db.query(`SELECT ${REFERRAL_COLUMNS} FROM referral f WHERE f.id = ANY($1::uuid[]) AND ${s.sql}`, [
      uuidsOf(ids),
      ...s.params,
    ]);
  }

  referralsByCases(caseIds: readonly string[]): Promise<ReferralRow[]> {
    const s = placedScope(this.principal, 'f', 2);
    return this.db.query(
      `SELECT ${REFERRAL_COLUMNS} FROM referral f WHERE f.case_id = ANY($1::uuid[]) AND ${s.sql} ORDER BY f.seq`,
      [uuidsOf(caseIds), ...s.params],
    );
  }

  async listCases(args: {
    organizationId?: string | null;
    siteId?: string | null;
    status?: string | null;
    first?: number | null;
    after?: string | null;
  }) {
    const s = caseScope(this.principal, 'c', 4);
    const filter = `($1::text IS NULL OR c.organization_id = ${uuidParam(1)}) AND ($2::text IS NULL OR c.status = $2)
      AND ($3::text IS NULL OR c.site_id = ${uuidParam(3)}) AND ${s.sql}`;
    const params = [args.organizationId ?? null, args.status ?? null, args.siteId ?? null, ...s.params];
    const list = { columns: CASE_COLUMNS, from: 'social_case c', where: filter, params };
    return seqKeysetPage<CaseRow>(this.db, list, args, 'c.seq');
  }

  /** Referrals past their due date without an outcome, as flagged by the scheduled check. */
  async overdueReferrals(args: { first?: number | null; after?: string | null }) {
    const s = placedScope(this.principal, 'f', 1);
    const filter = `f.overdue_since IS NOT NULL AND f.outcome IS NULL AND ${s.sql}`;
    const list = { columns: REFERRAL_COLUMNS, from: 'referral f', where: filter, params: s.params };
    return seqKeysetPage<ReferralRow>(this.db, list, args, 'f.seq');
  }

  /**
   * Opens a case for a family at a site the organization serves (and, for officers, in their scope).
   * Only ids of the household and site are kept, never personal data; the case is reached through
   * its site's region.
   */
  async open(input: {
    organizationId?: string | null;
    kind: CaseKind;
    title: string;
    householdId?: string | null;
    siteId?: string | null;
    workerId?: string | null;
  }): Promise<CaseRow> {
    const orgId = await organizationToManage(this.db, this.principal, input.organizationId);
    const title = requireText(input.title, 'input.title', 100);
    for (const f of ['householdId', 'siteId'] as const) {
      if (input[f] != null && !isUuid(input[f])) throw new InputError(`input.${f}`, 'Give an id.', 'FORMAT');
    }
    if (input.workerId != null) {
      const w = await scopedRow<{ status: string }>(
        this.db,
        this.principal,
        'social_worker',
        input.workerId,
        'input.workerId',
        { what: 'social worker' },
      );
      if (w.organization_id !== orgId || w.status !== 'ACTIVE')
        throw new InputError(
          'input.workerId',
          'The case worker must be an active social worker of the same organization.',
          'WRONG_WORKER',
        );
    }
    if (input.siteId == null)
      throw new InputError('input.siteId', 'A case belongs to a resettlement site (安置点): give its id.', 'REQUIRED');
    const regionCode = await siteRegion(this.db, input.siteId);
    const inScope =
      regionCode != null &&
      (this.principal.role === 'ngo_member' || this.principal.regions.some((r) => regionCode.startsWith(r)));
    if (!inScope || !(await servesRegion(this.db, orgId, regionCode)))
      throw new NotFoundError('input.siteId', 'No such site among those the organization serves.');
    const id = await this.db.transaction(async (m) => {
      const [{ id }] = await m.query(
        `INSERT INTO social_case (organization_id, kind, title, household_id, site_id, worker_id, region_code,
           opened_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          orgId,
          input.kind,
          title,
          input.householdId ?? null,
          input.siteId,
          input.workerId ?? null,
          regionCode,
          this.clock.now(),
        ],
      );
      await audit(m, this.principal, {
        action: 'case.open',
        entityType: 'SocialCase',
        entityId: id,
        organizationId: orgId,
      });
      return id as string;
    });
    return (await this.casesByIds([id]))[0];
  }

  /** Refers a case to an agency with a due date for its outcome. */
  async refer(input: { caseId: string; agency: Agency; reason: string; dueOn: string }): Promise<ReferralRow> {
    const reason = requireText(input.reason, 'input.reason', 500);
    const dueOn = requireDate(input.dueOn, 'input.dueOn');
    if (dueOn < provinceDate(this.clock.now()))
      throw new InputError('input.dueOn', 'A due date cannot be in the past.', 'PAST');
    const id = await this.db.transaction(async (m) => {
      const c = await scopedRow<{ status: string; region_code: string }>(
        m,
        this.principal,
        'social_case',
        input.caseId,
        'input.caseId',
        { lock: true, what: 'case', placed: true },
      );
      if (c.status !== 'OPEN')
        throw new InputError('input.caseId', 'A closed case cannot be referred.', 'INVALID_TRANSITION');
      const [{ id }] = await m.query(
        `INSERT INTO referral (case_id, organization_id, region_code, agency, reason, due_on)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [c.id, c.organization_id, c.region_code, input.agency, reason, dueOn],
      );
      await audit(m, this.principal, {
        action: 'case.refer',
        entityType: 'Referral',
        entityId: id,
        organizationId: c.organization_id,
        detail: { caseId: c.id, agency: input.agency },
      });
      return id as string;
    });
    return (await this.referralsByIds([id]))[0];
  }

  /**
   * Records what the agency did (the outcome closes the follow-up). A referral once flagged overdue tells
   * governance, in the same transaction, so that the grid worker's follow-up task closes.
   */
  async recordOutcome(referralId: string, outcome: string): Promise<ReferralRow> {
    const text_ = requireText(outcome, 'outcome', 1000);
    await this.db.transaction(async (m) => {
      const f = await scopedRow<{ outcome: string | null; overdue_since: Date | null; case_id: string }>(
        m,
        this.principal,
        'referral',
        referralId,
        'referralId',
        { lock: true, what: 'referral', placed: true },
      );
      if (f.outcome) throw new InputError('referralId', 'This referral already has its outcome.', 'INVALID_TRANSITION');
      const now = this.clock.now();
      await m.query(`UPDATE referral SET outcome = $2, outcome_at = $3 WHERE id = $1`, [referralId, text_, now]);
      if (f.overdue_since) {
        await publish(m, 'referral.resolved', {
          referralId: f.id,
          caseId: f.case_id,
          organizationId: f.organization_id,
          resolvedAt: now.toISOString(),
        });
      }
      await audit(m, this.principal, {
        action: 'referral.outcome',
        entityType: 'Referral',
        entityId: f.id,
        organizationId: f.organization_id,
      });
    });
    return (await this.referralsByIds([referralId]))[0];
  }

  sessionsByCases(caseIds: readonly string[]): Promise<SessionRow[]> {
    const s = caseNotesScope(this.principal, 's', 2);
    return this.db.query(
      `SELECT ${SESSION_COLUMNS} FROM case_session s WHERE s.case_id = ANY($1::uuid[]) AND ${s.sql}
         ORDER BY s.held_at, s.seq`,
      [uuidsOf(caseIds), ...s.params],
    );
  }

  sessionsByIds(ids: readonly string[]): Promise<SessionRow[]> {
    const s = caseNotesScope(this.principal, 's', 2);
    return this.db.query(`SELECT ${SESSION_COLUMNS} FROM case_session s WHERE s.id = ANY($1::uuid[]) AND ${s.sql}`, [
      uuidsOf(ids),
      ...s.params,
    ]);
  }

  membersByCases(caseIds: readonly string[]): Promise<MemberRow[]> {
    const s = caseNotesScope(this.principal, 'b', 2);
    return this.db.query(
      `SELECT ${MEMBER_COLUMNS} FROM case_member b WHERE b.case_id = ANY($1::uuid[]) AND ${s.sql} ORDER BY b.seq`,
      [uuidsOf(caseIds), ...s.params],
    );
  }

  /** The open case a session or member change is for: the case's own organization writes its notes. */
  private async openCaseToNote(m: Queryable, caseId: string, field: string) {
    if (this.principal.role !== 'ngo_member')
      throw new ForbiddenError("Case notes are written by the case's organization (NGO members).");
    const c = await scopedRow<{
      status: string;
      kind: CaseKind;
      site_id: string;
      region_code: string;
      household_id: string | null;
    }>(m, this.principal, 'social_case', caseId, field, { lock: true, what: 'case', placed: true });
    if (c.status !== 'OPEN')
      throw new InputError(field, 'A closed case takes no more notes or members.', 'INVALID_TRANSITION');
    return c;
  }

  /**
   * 个案记录 — one session of a case: who held it (a social worker of the organization), when,
   * what was done, the next step and when it is due; for a group, which members attended.
   */
  async recordSession(input: {
    caseId: string;
    workerId?: string | null;
    heldAt: string;
    whatWasDone: string;
    nextStep?: string | null;
    nextStepDueOn?: string | null;
    attendeeResidentIds?: string[] | null;
  }): Promise<SessionRow> {
    const heldAt = requireInstant(input.heldAt, 'input.heldAt');
    const now = this.clock.now();
    if (heldAt.getTime() > now.getTime())
      throw new InputError('input.heldAt', 'A session is recorded after it was held, not before.', 'FUTURE');
    const whatWasDone = requireText(input.whatWasDone, 'input.whatWasDone', 4000);
    const nextStep = optionalText(input.nextStep, 'input.nextStep', 1000);
    const dueOn = input.nextStepDueOn == null ? null : requireDate(input.nextStepDueOn, 'input.nextStepDueOn');
    if (dueOn && !nextStep)
      throw new InputError('input.nextStepDueOn', 'A due date belongs to a next step: give nextStep too.', 'REQUIRED');
    if (dueOn && dueOn < provinceDate(heldAt))
      throw new InputError('input.nextStepDueOn', 'The next step falls due after the session.', 'ORDER');
    const attendees = [...new Set(input.attendeeResidentIds ?? [])];
    if (attendees.some((a) => !isUuid(a)))
      throw new InputError('input.attendeeResidentIds', 'Give resident ids.', 'FORMAT');
    const id = await this.db.transaction(async (m) => {
      const c = await this.openCaseToNote(m, input.caseId, 'input.caseId');
      if (input.workerId != null) {
        const [w] = isUuid(input.workerId)
          ? await m.query(`SELECT 1 FROM social_worker WHERE id = $1 AND organization_id = $2 AND status = 'ACTIVE'`, [
              input.workerId,
              c.organization_id,
            ])
          : [];
        if (!w)
          throw new InputError(
            'input.workerId',
            "The session is held by an active social worker of the case's organization.",
            'WRONG_WORKER',
          );
      }
      if (attendees.length) {
        const [{ n }] = await m.query(
          `SELECT count(*)::int AS n FROM case_member WHERE case_id = $1 AND resident_id = ANY($2::uuid[])
             AND left_at IS NULL`,
          [c.id, attendees],
        );
        if (n !== attendees.length)
          throw new InputError(
            'input.attendeeResidentIds',
            'Attendees are current members of the case.',
            'NOT_A_MEMBER',
          );
      }
      const [{ id }] = await m.query(
        `INSERT INTO case_session (case_id, organization_id, site_id, region_code, worker_id, held_at, what_was_done,
             next_step, next_step_due_on,
           attendee_resident_ids, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
           RETURNING id`,
        [
          c.id,
          c.organization_id,
          c.site_id,
          c.region_code,
          input.workerId ?? null,
          heldAt,
          whatWasDone,
          nextStep,
          dueOn,
          attendees,
          this.principal.subject,
          now,
        ],
      );
      await audit(m, this.principal, {
        action: 'case.session',
        entityType: 'SocialCase',
        entityId: c.id,
        organizationId: c.organization_id,
        detail: { sessionId: id, attendees: attendees.length },
      });
      return id as string;
    });
    return (await this.sessionsByIds([id]))[0];
  }

  /**
   * Adds residents of the case's site to the case: a mutual-aid group (邻里互助小组) has several
   * members and at most one leader; a family case, members of its household; individual support,
   * one person. Someone already a member → CONFLICT.
   */
  async addMembers(caseId: string, members: { residentId: string; role?: MemberRole | null }[]): Promise<MemberRow[]> {
    if (!members.length || members.length > 50)
      throw new InputError('members', 'Add 1 to 50 members at a time.', 'LENGTH');
    const ids = members.map((x) => x.residentId);
    if (ids.some((r) => !isUuid(r))) throw new InputError('members', 'Give resident ids.', 'FORMAT');
    if (new Set(ids).size !== ids.length) throw new InputError('members', 'A resident is named twice.', 'DUPLICATE');
    const leaders = members.filter((x) => x.role === 'LEADER').length;
    await this.db.transaction(async (m) => {
      const c = await this.openCaseToNote(m, caseId, 'caseId');
      const living: { resident_id: string; household_id: string }[] = await m.query(
        `SELECT resident_id, household_id FROM resident_directory WHERE resident_id = ANY($1::uuid[]) AND site_id = $2
           AND moved_out_on IS NULL`,
        [ids, c.site_id],
      );
      if (living.length !== ids.length)
        throw new NotFoundError('members', "Members are residents living at the case's site.");
      const [{ current, leader }] = await m.query(
        `SELECT count(*)::int AS current, count(*) FILTER (WHERE role = 'LEADER')::int AS leader FROM case_member
         WHERE case_id = $1 AND left_at IS NULL`,
        [c.id],
      );
      if (c.kind === 'INDIVIDUAL_SUPPORT' && current + ids.length > 1)
        throw new InputError(
          'members',
          'Individual support has one person; open a group case for more.',
          'MEMBER_LIMIT',
        );
      if (c.kind !== 'MUTUAL_AID_GROUP' && leaders)
        throw new InputError('members', 'Only a mutual-aid group has a leader.', 'ROLE');
      if (leader + leaders > 1) throw new InputError('members', 'A group has one leader.', 'ROLE');
      if (c.kind === 'FAMILY_THERAPY' && c.household_id && living.some((r) => r.household_id !== c.household_id)) {
        throw new InputError('members', 'A family case takes members of its household.', 'OTHER_HOUSEHOLD');
      }
      const roles = ids.map((r) => members.find((x) => x.residentId === r)!.role ?? 'MEMBER');
      const rows = await m.query(
        `INSERT INTO case_member (case_id, organization_id, site_id, resident_id, household_id, role, joined_at)
         SELECT $1, $2, $3, d.resident_id, d.household_id, r.role, $6 FROM unnest($4::uuid[], $5::text[]) AS r(id, role)
           JOIN resident_directory d ON d.resident_id = r.id
         ON CONFLICT (case_id, resident_id) DO NOTHING RETURNING id`,
        [c.id, c.organization_id, c.site_id, ids, roles, this.clock.now()],
      );
      if (rows.length !== ids.length)
        throw new ConflictError('members', 'A resident named is already a member of this case.', 'ALREADY_MEMBER');
      await audit(m, this.principal, {
        action: 'case.add_members',
        entityType: 'SocialCase',
        entityId: c.id,
        organizationId: c.organization_id,
        detail: { residentIds: ids },
      });
    });
    return this.membersByCases([caseId]);
  }

  /** A member leaves the group (kept on the case's record with the date they left). */
  async removeMember(caseId: string, residentId: string): Promise<MemberRow[]> {
    await this.db.transaction(async (m) => {
      const c = await this.openCaseToNote(m, caseId, 'caseId');
      const rows = isUuid(residentId)
        ? returning(
            await m.query(
              `UPDATE case_member SET left_at = $3 WHERE case_id = $1 AND resident_id = $2 AND left_at IS NULL
               RETURNING id`,
              [c.id, residentId, this.clock.now()],
            ),
          )
        : [];
      if (!rows.length) throw new NotFoundError('residentId', 'No current member of this case with this id.');
      await audit(m, this.principal, {
        action: 'case.remove_member',
        entityType: 'SocialCase',
        entityId: c.id,
        organizationId: c.organization_id,
        detail: { residentId },
      });
    });
    return this.membersByCases([caseId]);
  }

  /** Closes a case with its summary (结案小结) and why; every referral must have its outcome first. */
  async close(caseId: string, summary: string, reason: ClosingReason | null = null): Promise<CaseRow> {
    const s = requireText(summary, 'summary', 2000);
    await this.db.transaction(async (m) => {
      const c = await scopedRow<{ status: string }>(m, this.principal, 'social_case', caseId, 'caseId', {
        lock: true,
        what: 'case',
        placed: true,
      });
      if (c.status !== 'OPEN') throw new InputError('caseId', 'This case is already closed.', 'INVALID_TRANSITION');
      const [{ open }] = await m.query(
        `SELECT count(*)::int AS open FROM referral WHERE case_id = $1 AND outcome IS NULL`,
        [caseId],
      );
      if (open) throw new InputError('caseId', `${open} referral(s) still await an outcome.`, 'OPEN_REFERRALS');
      await m.query(
        `UPDATE social_case SET status = 'CLOSED', closing_summary = $2, closing_reason = $3, closed_at = $4
         WHERE id = $1`,
        [caseId, s, reason, this.clock.now()],
      );
      await audit(m, this.principal, {
        action: 'case.close',
        entityType: 'SocialCase',
        entityId: c.id,
        organizationId: c.organization_id,
      });
    });
    return (await this.casesByIds([caseId]))[0];
  }
}
