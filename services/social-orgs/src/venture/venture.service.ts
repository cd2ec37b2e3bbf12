import type { DataSource } from 'typeorm';
import {
  ConflictError,
  ForbiddenError,
  InputError,
  NotFoundError,
  provinceDate,
  requireRole,
  type Clock,
  type Principal,
  uuidsOf,
  uuidParam,
  audit,
  isoSql,
  requireDate,
  isUuid,
  optionalText,
  requireText,
  seqKeysetPage,
} from '@anju/kit';
import { payFromFund } from '../aid-fund/aid-fund.service';
import { placedScope, scopedRow } from '../scope';
import { checkScore, gradeOf } from './grade';
import { canMove, VENTURE_TRANSITIONS, type VentureStatus } from './venture.rules';

export interface CallRow {
  id: string;
  seq: string;
  title: string;
  regionCode: string;
  budgetYuan: number;
  applicationsCloseOn: string;
  fundedYuan: number;
}
export interface ApplicationRow {
  id: string;
  seq: string;
  callId: string;
  organizationId: string;
  title: string;
  summary: string;
  requestedYuan: number;
  status: VentureStatus;
  reviewScore: number | null;
  reviewCount: number;
  noticeEndsOn: string | null;
  fundedYuan: number | null;
  fundId: string | null;
  midtermScore: number | null;
  midtermGrade: string | null;
  finalScore: number | null;
  finalGrade: string | null;
  appliedAt: string;
}

const CALL_COLUMNS = `v.id, v.seq, v.title, v.region_code AS "regionCode", v.budget_yuan::float8 AS "budgetYuan",
    v.applications_close_on::text AS "applicationsCloseOn",
  (SELECT coalesce(sum(a.funded_yuan), 0)::float8 FROM venture_application a WHERE a.call_id = v.id) AS "fundedYuan"`;
const APP_COLUMNS = `a.id, a.seq, a.call_id AS "callId", a.organization_id AS "organizationId", a.title, a.summary,
    a.requested_yuan::float8 AS "requestedYuan", a.status,
  (SELECT round(avg(r.score), 2)::float8 FROM venture_review r WHERE r.application_id = a.id) AS "reviewScore",
  (SELECT count(*) FROM venture_review r WHERE r.application_id = a.id)::int AS "reviewCount",
  a.notice_ends_on::text AS "noticeEndsOn", a.funded_yuan::float8 AS "fundedYuan", a.fund_id AS "fundId",
    a.midterm_score::float8 AS "midtermScore", a.midterm_grade AS "midtermGrade",
  a.final_score::float8 AS "finalScore", a.final_grade AS "finalGrade", ${isoSql('a.applied_at')} AS "appliedAt"`;

/**
 * Calls are public to the organizations they concern: officers see calls in their regions; an NGO
 * member sees calls whose region overlaps a region its organization serves.
 */
function callScope(p: Principal, firstParam: number) {
  if (p.role === 'province' || p.role === 'county')
    return { sql: `v.region_code LIKE ANY($${firstParam}::text[])`, params: [p.regions.map((r) => `${r}%`)] };
  if (p.role === 'ngo_member') {
    return {
      sql: `EXISTS (SELECT 1 FROM organization o, unnest(o.service_region_codes) c WHERE o.id = $${firstParam}::uuid
              AND (c LIKE v.region_code || '%' OR v.region_code LIKE c || '%'))`,
      params: [p.organizationId],
    };
  }
  return { sql: 'false', params: [] };
}

const money = (v: number, field: string) => {
  if (!Number.isFinite(v) || v <= 0 || v >= 1e12) throw new InputError(field, 'An amount in yuan above zero.', 'RANGE');
  return v;
};

/** 公益创投 — public-interest venture projects: call → application → review → public notice → funding → evaluations. */
export class VentureService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
  ) {}

  callsByIds(ids: readonly string[]): Promise<CallRow[]> {
    const s = callScope(this.principal, 2);
    return this.db.query(`SELECT ${CALL_COLUMNS} FROM venture_call v WHERE v.id = ANY($1::uuid[]) AND ${s.sql}`, [
      uuidsOf(ids),
      ...s.params,
    ]);
  }

  async listCalls(args: { first?: number | null; after?: string | null }) {
    const s = callScope(this.principal, 1);
    const list = { columns: CALL_COLUMNS, from: 'venture_call v', where: s.sql, params: s.params };
    return seqKeysetPage<CallRow>(this.db, list, args, 'v.seq');
  }

  applicationsByIds(ids: readonly string[]): Promise<ApplicationRow[]> {
    const s = placedScope(this.principal, 'a', 2);
    return this.db.query(`SELECT ${APP_COLUMNS} FROM venture_application a WHERE a.id = ANY($1::uuid[]) AND ${s.sql}`, [
      uuidsOf(ids),
      ...s.params,
    ]);
  }

  applicationsByCalls(ids: readonly string[]): Promise<ApplicationRow[]> {
    const s = placedScope(this.principal, 'a', 2);
    return this.db.query(
      `SELECT ${APP_COLUMNS} FROM venture_application a WHERE a.call_id = ANY($1::uuid[]) AND ${s.sql} ORDER BY a.seq`,
      [uuidsOf(ids), ...s.params],
    );
  }

  /** Officers open a call for a region inside theirs. */
  async openCall(input: {
    title: string;
    regionCode: string;
    budgetYuan: number;
    applicationsCloseOn: string;
  }): Promise<CallRow> {
    requireRole(this.principal, 'province', 'county');
    const title = requireText(input.title, 'input.title', 200);
    if (!/^\d{2}(\d{2}){0,2}$/.test(input.regionCode))
      throw new InputError('input.regionCode', 'A GB/T 2260 region code of 2, 4 or 6 digits.', 'FORMAT');
    if (!this.principal.regions.some((r) => input.regionCode.startsWith(r)))
      throw new ForbiddenError(`Region ${input.regionCode} is outside your scope.`);
    const budget = money(input.budgetYuan, 'input.budgetYuan');
    const closes = requireDate(input.applicationsCloseOn, 'input.applicationsCloseOn');
    const id = await this.db.transaction(async (m) => {
      const [{ id }] = await m.query(
        `INSERT INTO venture_call (title, region_code, budget_yuan, applications_close_on, created_by)
         VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [title, input.regionCode, budget, closes, this.principal.subject],
      );
      await audit(m, this.principal, {
        action: 'venture.open_call',
        entityType: 'VentureCall',
        entityId: id,
        detail: { regionCode: input.regionCode },
      });
      return id as string;
    });
    return (await this.callsByIds([id]))[0];
  }

  /** An NGO applies to a call it can see, before it closes. */
  async apply(input: {
    callId: string;
    title: string;
    summary: string;
    requestedYuan: number;
  }): Promise<ApplicationRow> {
    requireRole(this.principal, 'ngo_member');
    const title = requireText(input.title, 'input.title', 200);
    const summary = requireText(input.summary, 'input.summary', 4000);
    const requested = money(input.requestedYuan, 'input.requestedYuan');
    const [call] = isUuid(input.callId) ? await this.callsByIds([input.callId]) : [];
    if (!call) throw new NotFoundError('input.callId', 'No such call open to your organization.');
    if (call.applicationsCloseOn < provinceDate(this.clock.now()))
      throw new InputError('input.callId', 'Applications to this call are closed.', 'CLOSED');
    if (requested > call.budgetYuan)
      throw new InputError('input.requestedYuan', 'More than the whole call budget.', 'OVER_BUDGET');
    const id = await this.db.transaction(async (m) => {
      const rows = await m.query(
        `INSERT INTO venture_application (call_id, organization_id, title, summary, requested_yuan, region_code)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id`,
        [call.id, this.principal.organizationId, title, summary, requested, call.regionCode],
      );
      if (!rows.length)
        throw new ConflictError('input.title', 'Your organization already applied with this title.', 'DUPLICATE');
      await audit(m, this.principal, {
        action: 'venture.apply',
        entityType: 'VentureApplication',
        entityId: rows[0].id,
        organizationId: this.principal.organizationId,
        detail: { callId: call.id },
      });
      return rows[0].id as string;
    });
    return (await this.applicationsByIds([id]))[0];
  }

  /** A reviewer (officer) scores an application 0–100; one score per reviewer. */
  async review(input: { applicationId: string; score: number; comment?: string | null }): Promise<string> {
    requireRole(this.principal, 'province', 'county');
    checkScore(input.score, 'input.score');
    const comment = optionalText(input.comment, 'input.comment', 1000);
    await this.db.transaction(async (m) => {
      const a = await this.move(m, input.applicationId, 'UNDER_REVIEW', 'input.applicationId');
      const rows = await m.query(
        `INSERT INTO venture_review (application_id, organization_id, region_code, reviewer, score, comment)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id`,
        [a.id, a.organization_id, a.region_code, this.principal.subject, input.score, comment],
      );
      if (!rows.length)
        throw new ConflictError('input.applicationId', 'You already scored this application.', 'DUPLICATE');
    });
    return input.applicationId;
  }

  /** 公示 — the reviewed application is published for public notice until a date. */
  async publishNotice(applicationId: string, noticeEndsOn: string): Promise<string> {
    requireRole(this.principal, 'province', 'county');
    const ends = requireDate(noticeEndsOn, 'noticeEndsOn');
    await this.db.transaction(async (m) => {
      await this.move(m, applicationId, 'PUBLIC_NOTICE', 'applicationId');
      await m.query(`UPDATE venture_application SET notice_ends_on = $2 WHERE id = $1`, [applicationId, ends]);
    });
    return applicationId;
  }

  /**
   * Funding after public notice, paid out of an aid fund (帮扶资金) today: never more than requested,
   * nor beyond what is left of the call's budget or of the fund's balance.
   */
  async fund(applicationId: string, amountYuan: number, fundId: string): Promise<string> {
    requireRole(this.principal, 'province', 'county');
    const amount = money(amountYuan, 'amountYuan');
    await this.db.transaction(async (m) => {
      const a = await this.move(m, applicationId, 'FUNDED', 'applicationId');
      if (amount > Number(a.requested_yuan))
        throw new InputError('amountYuan', 'More than the application requested.', 'OVER_REQUEST');
      const [call] = await m.query(`SELECT budget_yuan::float8 AS budget FROM venture_call WHERE id = $1 FOR UPDATE`, [
        a.call_id,
      ]);
      const [{ funded }] = await m.query(
        `SELECT coalesce(sum(funded_yuan), 0)::float8 AS funded FROM venture_application WHERE call_id = $1`,
        [a.call_id],
      );
      if (funded + amount > call.budget + 1e-9)
        throw new InputError('amountYuan', `The call has ${call.budget - funded} yuan left.`, 'OVER_BUDGET');
      await m.query(`UPDATE venture_application SET funded_yuan = $2, fund_id = ${uuidParam(3)} WHERE id = $1`, [
        applicationId,
        amount,
        fundId,
      ]);
      await payFromFund(m, this.principal, this.clock, {
        fundId,
        field: 'fundId',
        amountYuan: amount,
        use: 'VENTURE_GRANT',
        organizationId: a.organization_id,
        recordRegion: a.region_code,
        paidOn: provinceDate(this.clock.now()),
        ventureApplicationId: applicationId,
      });
    });
    return applicationId;
  }

  async reject(applicationId: string): Promise<string> {
    requireRole(this.principal, 'province', 'county');
    await this.db.transaction((m) => this.move(m, applicationId, 'REJECTED', 'applicationId'));
    return applicationId;
  }

  /** Mid-term, then final evaluation, each scored 0–100 and graded A (≥85) / B (60–84) / C (<60). */
  async evaluate(input: { applicationId: string; stage: 'MIDTERM' | 'FINAL'; score: number }): Promise<string> {
    requireRole(this.principal, 'province', 'county');
    checkScore(input.score, 'input.score');
    const to: VentureStatus = input.stage === 'MIDTERM' ? 'MIDTERM_EVALUATED' : 'FINAL_EVALUATED';
    await this.db.transaction(async (m) => {
      await this.move(m, input.applicationId, to, 'input.applicationId');
      const col = input.stage === 'MIDTERM' ? 'midterm' : 'final';
      await m.query(`UPDATE venture_application SET ${col}_score = $2, ${col}_grade = $3 WHERE id = $1`, [
        input.applicationId,
        input.score,
        gradeOf(input.score),
      ]);
    });
    return input.applicationId;
  }

  /** Locks the application in scope and moves it, or a typed INVALID_TRANSITION. */
  private async move(m: Pick<DataSource, 'query'>, id: string, to: VentureStatus, field: string) {
    const a = await scopedRow<{ status: VentureStatus; call_id: string; requested_yuan: string; region_code: string }>(
      m,
      this.principal,
      'venture_application',
      id,
      field,
      { lock: true, what: 'venture application', placed: true },
    );
    if (!canMove(a.status, to)) {
      const next = VENTURE_TRANSITIONS[a.status];
      throw new InputError(
        field,
        `An application that is ${a.status} can move to ` +
          `${next.length ? next.join(' or ') : 'nothing further'}, not ${to}.`,
        'INVALID_TRANSITION',
      );
    }
    if (to === 'PUBLIC_NOTICE') {
      const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM venture_review WHERE application_id = $1`, [id]);
      if (!n) throw new InputError(field, 'Publish only a reviewed application.', 'NOT_REVIEWED');
    }
    await m.query(`UPDATE venture_application SET status = $2 WHERE id = $1`, [id, to]);
    await audit(m, this.principal, {
      action: `venture.${to.toLowerCase()}`,
      entityType: 'VentureApplication',
      entityId: id,
      organizationId: a.organization_id,
      detail: { from: a.status },
    });
    return a;
  }
}
