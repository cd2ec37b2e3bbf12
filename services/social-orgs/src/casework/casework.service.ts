import type { DataSource } from 'typeorm';
import {
  InputError, NotFoundError, provinceDate, type Clock, type Principal, uuidsOf, uuidParam, audit,
} from '@anju/kit';
import { iso, isoDate, isUuid, organizationToManage, pageArgs, placedScope, scopedRow, servesRegion, siteRegion, text, toPage } from '../shared/scope';

export type CaseKind = 'FAMILY_THERAPY' | 'MUTUAL_AID_GROUP' | 'INDIVIDUAL_SUPPORT';
export type Agency = 'CIVIL_AFFAIRS' | 'JUSTICE' | 'TRADE_UNION' | 'YOUTH_LEAGUE' | 'WOMENS_FEDERATION';

export interface CaseRow {
  id: string; seq: string; organizationId: string; kind: CaseKind; title: string; householdId: string | null; siteId: string | null;
  workerId: string | null; status: 'OPEN' | 'CLOSED'; closingSummary: string | null; openedAt: string; closedAt: string | null;
}
export interface ReferralRow {
  id: string; seq: string; caseId: string; organizationId: string; agency: Agency; reason: string; dueOn: string;
  outcome: string | null; outcomeAt: string | null; overdueSince: string | null; referredAt: string;
}

const CASE_COLUMNS = `c.id, c.seq, c.organization_id AS "organizationId", c.kind, c.title, c.household_id AS "householdId", c.site_id AS "siteId",
  c.worker_id AS "workerId", c.status, c.closing_summary AS "closingSummary", ${iso('c.opened_at')} AS "openedAt", ${iso('c.closed_at')} AS "closedAt"`;
const REFERRAL_COLUMNS = `f.id, f.seq, f.case_id AS "caseId", f.organization_id AS "organizationId", f.agency, f.reason, f.due_on::text AS "dueOn",
  f.outcome, ${iso('f.outcome_at')} AS "outcomeAt", ${iso('f.overdue_since')} AS "overdueSince", ${iso('f.referred_at')} AS "referredAt"`;

/** 社会支持网络 — casework for families and referrals to the agencies that can help, each followed to an outcome by a deadline. */
export class CaseworkService {
  constructor(private readonly db: DataSource, private readonly principal: Principal, private readonly clock: Clock) {}

  casesByIds(ids: readonly string[]): Promise<CaseRow[]> {
    const s = placedScope(this.principal, 'c', 2);
    return this.db.query(`SELECT ${CASE_COLUMNS} FROM social_case c WHERE c.id = ANY($1::uuid[]) AND ${s.sql}`, [uuidsOf(ids), ...s.params]);
  }

  referralsByIds(ids: readonly string[]): Promise<ReferralRow[]> {
    const s = placedScope(this.principal, 'f', 2);
    return this.db.query(`SELECT ${REFERRAL_COLUMNS} FROM referral f WHERE f.id = ANY($1::uuid[]) AND ${s.sql}`, [uuidsOf(ids), ...s.params]);
  }

  referralsByCases(caseIds: readonly string[]): Promise<ReferralRow[]> {
    const s = placedScope(this.principal, 'f', 2);
    return this.db.query(`SELECT ${REFERRAL_COLUMNS} FROM referral f WHERE f.case_id = ANY($1::uuid[]) AND ${s.sql} ORDER BY f.seq`, [uuidsOf(caseIds), ...s.params]);
  }

  async listCases(args: { organizationId?: string | null; status?: string | null; first?: number | null; after?: string | null }) {
    const { limit, afterSeq } = pageArgs(args.first, args.after);
    const s = placedScope(this.principal, 'c', 3);
    const filter = `($1::text IS NULL OR c.organization_id = ${uuidParam(1)}) AND ($2::text IS NULL OR c.status = $2) AND ${s.sql}`;
    const params = [args.organizationId ?? null, args.status ?? null, ...s.params];
    const [{ count }] = await this.db.query(`SELECT count(*)::int AS count FROM social_case c WHERE ${filter}`, params);
    const rows = await this.db.query(`SELECT ${CASE_COLUMNS} FROM social_case c WHERE ${filter} AND c.seq > $${params.length + 1}::bigint ORDER BY c.seq LIMIT $${params.length + 2}`, [...params, afterSeq, limit + 1]);
    return toPage<CaseRow>(rows, limit, count);
  }

  /** Referrals past their due date without an outcome, as flagged by the scheduled check. */
  async overdueReferrals(args: { first?: number | null; after?: string | null }) {
    const { limit, afterSeq } = pageArgs(args.first, args.after);
    const s = placedScope(this.principal, 'f', 1);
    const filter = `f.overdue_since IS NOT NULL AND f.outcome IS NULL AND ${s.sql}`;
    const [{ count }] = await this.db.query(`SELECT count(*)::int AS count FROM referral f WHERE ${filter}`, s.params);
    const n = s.params.length;
    const rows = await this.db.query(`SELECT ${REFERRAL_COLUMNS} FROM referral f WHERE ${filter} AND f.seq > $${n + 1}::bigint ORDER BY f.seq LIMIT $${n + 2}`, [...s.params, afterSeq, limit + 1]);
    return toPage<ReferralRow>(rows, limit, count);
  }

  /**
   * Opens a case for a family at a site the organization serves (and, for officers, in their scope).
   * Only ids of the household and site are kept, never personal data; the case is reached through
   * its site's region.
   */
  async open(input: { organizationId?: string | null; kind: CaseKind; title: string; householdId?: string | null; siteId?: string | null; workerId?: string | null }): Promise<CaseRow> {
    const orgId = await organizationToManage(this.db, this.principal, input.organizationId);
    const title = text(input.title, 'input.title', 100);
    for (const f of ['householdId', 'siteId'] as const) {
      if (input[f] != null && !isUuid(input[f])) throw new InputError(`input.${f}`, 'Give an id.', 'FORMAT');
    }
    if (input.workerId != null) {
      const w = await scopedRow<{ status: string }>(this.db, this.principal, 'social_worker', input.workerId, 'input.workerId', { what: 'social worker' });
      if (w.organization_id !== orgId || w.status !== 'ACTIVE') throw new InputError('input.workerId', 'The case worker must be an active social worker of the same organization.', 'WRONG_WORKER');
    }
    if (input.siteId == null) throw new InputError('input.siteId', 'A case belongs to a resettlement site (安置点): give its id.', 'REQUIRED');
    const regionCode = await siteRegion(this.db, input.siteId);
    const inScope = regionCode != null && (this.principal.role === 'ngo_member' || this.principal.regions.some((r) => regionCode.startsWith(r)));
    if (!inScope || !(await servesRegion(this.db, orgId, regionCode))) throw new NotFoundError('input.siteId', 'No such site among those the organization serves.');
    const id = await this.db.transaction(async (m) => {
      const [{ id }] = await m.query(
        `INSERT INTO social_case (organization_id, kind, title, household_id, site_id, worker_id, region_code) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [orgId, input.kind, title, input.householdId ?? null, input.siteId, input.workerId ?? null, regionCode],
      );
      await audit(m, this.principal, { action: 'case.open', entityType: 'SocialCase', entityId: id, organizationId: orgId });
      return id as string;
    });
    return (await this.casesByIds([id]))[0];
  }

  /** Refers a case to an agency with a due date for its outcome. */
  async refer(input: { caseId: string; agency: Agency; reason: string; dueOn: string }): Promise<ReferralRow> {
    const reason = text(input.reason, 'input.reason', 500);
    const dueOn = isoDate(input.dueOn, 'input.dueOn');
    if (dueOn < provinceDate(this.clock.now())) throw new InputError('input.dueOn', 'A due date cannot be in the past.', 'PAST');
    const id = await this.db.transaction(async (m) => {
      const c = await scopedRow<{ status: string; region_code: string }>(m, this.principal, 'social_case', input.caseId, 'input.caseId', { lock: true, what: 'case', placed: true });
      if (c.status !== 'OPEN') throw new InputError('input.caseId', 'A closed case cannot be referred.', 'INVALID_TRANSITION');
      const [{ id }] = await m.query(
        `INSERT INTO referral (case_id, organization_id, region_code, agency, reason, due_on) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [c.id, c.organization_id, c.region_code, input.agency, reason, dueOn],
      );
      await audit(m, this.principal, { action: 'case.refer', entityType: 'Referral', entityId: id, organizationId: c.organization_id, detail: { caseId: c.id, agency: input.agency } });
      return id as string;
    });
    return (await this.referralsByIds([id]))[0];
  }

  /** Records what the agency did (the outcome closes the follow-up). */
  async recordOutcome(referralId: string, outcome: string): Promise<ReferralRow> {
    const text_ = text(outcome, 'outcome', 1000);
    await this.db.transaction(async (m) => {
      const f = await scopedRow<{ outcome: string | null }>(m, this.principal, 'referral', referralId, 'referralId', { lock: true, what: 'referral', placed: true });
      if (f.outcome) throw new InputError('referralId', 'This referral already has its outcome.', 'INVALID_TRANSITION');
      await m.query(`UPDATE referral SET outcome = $2, outcome_at = now() WHERE id = $1`, [referralId, text_]);
      await audit(m, this.principal, { action: 'referral.outcome', entityType: 'Referral', entityId: f.id, organizationId: f.organization_id });
    });
    return (await this.referralsByIds([referralId]))[0];
  }

  /** Closes a case; every referral must have its outcome first. */
  async close(caseId: string, summary: string): Promise<CaseRow> {
    const s = text(summary, 'summary', 2000);
    await this.db.transaction(async (m) => {
      const c = await scopedRow<{ status: string }>(m, this.principal, 'social_case', caseId, 'caseId', { lock: true, what: 'case', placed: true });
      if (c.status !== 'OPEN') throw new InputError('caseId', 'This case is already closed.', 'INVALID_TRANSITION');
      const [{ open }] = await m.query(`SELECT count(*)::int AS open FROM referral WHERE case_id = $1 AND outcome IS NULL`, [caseId]);
      if (open) throw new InputError('caseId', `${open} referral(s) still await an outcome.`, 'OPEN_REFERRALS');
      await m.query(`UPDATE social_case SET status = 'CLOSED', closing_summary = $2, closed_at = now() WHERE id = $1`, [caseId, s]);
      await audit(m, this.principal, { action: 'case.close', entityType: 'SocialCase', entityId: c.id, organizationId: c.organization_id });
    });
    return (await this.casesByIds([caseId]))[0];
  }
}

