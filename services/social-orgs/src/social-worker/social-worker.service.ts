import type { DataSource } from 'typeorm';
import {
  ConflictError,
  ForbiddenError,
  InputError,
  NotFoundError,
  provinceMonth,
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
import { organizationToManage, ownedScope, scopedRow } from '../scope';

export type Qualification = 'NONE' | 'ASSISTANT_SOCIAL_WORKER' | 'SOCIAL_WORKER' | 'SENIOR_SOCIAL_WORKER';

export interface SocialWorkerRow {
  id: string;
  seq: string;
  organizationId: string;
  name: string;
  qualification: Qualification;
  certificateNumber: string | null;
  siteIds: string[];
  status: 'ACTIVE' | 'EXITED';
  joinedOn: string;
  exitedOn: string | null;
  exitReason: string | null;
  averageScore: number | null;
  averageRating: number | null;
}

export interface AssessmentRow {
  id: string;
  workerId: string;
  period: string;
  score: number;
  comments: string | null;
  assessedAt: string;
}
export interface FeedbackRow {
  id: string;
  workerId: string;
  rating: number;
  comment: string | null;
  givenAt: string;
}
export interface AssignmentRow {
  id: string;
  workerId: string;
  siteIds: string[];
  assignedAt: string;
}

const COLUMNS = `w.id, w.seq, w.organization_id AS "organizationId", w.name, w.qualification,
    w.certificate_number AS "certificateNumber",
  w.site_ids::text[] AS "siteIds", w.status, w.joined_on::text AS "joinedOn", w.exited_on::text AS "exitedOn",
    w.exit_reason AS "exitReason",
  (SELECT round(avg(x.score), 2)::float8 FROM worker_assessment x WHERE x.worker_id = w.id) AS "averageScore",
  (SELECT round(avg(f.rating), 2)::float8 FROM worker_feedback f WHERE f.worker_id = w.id) AS "averageRating"`;

const PERIOD = /^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$/;

/** 进、管、考、出 — entry, management, assessment and exit of the social workers (社工) an organization employs. */
export class SocialWorkerService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
  ) {}

  byIds(ids: readonly string[]): Promise<SocialWorkerRow[]> {
    const s = ownedScope(this.principal, 'w.organization_id', 2);
    return this.db.query(`SELECT ${COLUMNS} FROM social_worker w WHERE w.id = ANY($1::uuid[]) AND ${s.sql}`, [
      uuidsOf(ids),
      ...s.params,
    ]);
  }

  async list(args: {
    organizationId?: string | null;
    status?: string | null;
    first?: number | null;
    after?: string | null;
  }) {
    const s = ownedScope(this.principal, 'w.organization_id', 3);
    const filter = `($1::text IS NULL OR w.organization_id = ${uuidParam(1)}) AND ($2::text IS NULL OR w.status = $2)
                      AND ${s.sql}`;
    const params = [args.organizationId ?? null, args.status ?? null, ...s.params];
    const list = { columns: COLUMNS, from: 'social_worker w', where: filter, params };
    return seqKeysetPage<SocialWorkerRow>(this.db, list, args, 'w.seq');
  }

  assessmentsByWorkers(ids: readonly string[]): Promise<AssessmentRow[]> {
    const s = ownedScope(this.principal, 'x.organization_id', 2);
    return this.db.query(
      `SELECT x.id, x.worker_id AS "workerId", x.period, x.score::float8 AS score, x.comments,
         ${isoSql('x.assessed_at')} AS "assessedAt"
       FROM worker_assessment x WHERE x.worker_id = ANY($1::uuid[]) AND ${s.sql} ORDER BY x.period`,
      [uuidsOf(ids), ...s.params],
    );
  }

  feedbackByWorkers(ids: readonly string[]): Promise<FeedbackRow[]> {
    const s = ownedScope(this.principal, 'f.organization_id', 2);
    return this.db.query(
      `SELECT f.id, f.worker_id AS "workerId", f.rating, f.comment, ${isoSql('f.given_at')} AS "givenAt"
       FROM worker_feedback f WHERE f.worker_id = ANY($1::uuid[]) AND ${s.sql} ORDER BY f.seq`,
      [uuidsOf(ids), ...s.params],
    );
  }

  /** 管 as history: each change of the worker's sites, oldest first. */
  assignmentsByWorkers(ids: readonly string[]): Promise<AssignmentRow[]> {
    const s = ownedScope(this.principal, 'x.organization_id', 2);
    return this.db.query(
      `SELECT x.id, x.worker_id AS "workerId", x.site_ids::text[] AS "siteIds",
         ${isoSql('x.assigned_at')} AS "assignedAt"
       FROM worker_assignment x WHERE x.worker_id = ANY($1::uuid[]) AND ${s.sql} ORDER BY x.seq`,
      [uuidsOf(ids), ...s.params],
    );
  }

  /** 进 — a social worker joins an organization, with their qualification. */
  async hire(input: {
    organizationId?: string | null;
    name: string;
    qualification: Qualification;
    certificateNumber?: string | null;
    joinedOn: string;
    siteIds?: string[] | null;
  }): Promise<SocialWorkerRow> {
    const orgId = await organizationToManage(this.db, this.principal, input.organizationId);
    const name = requireText(input.name, 'input.name', 50);
    const cert = optionalText(input.certificateNumber, 'input.certificateNumber', 50);
    if (input.qualification !== 'NONE' && !cert)
      throw new InputError(
        'input.certificateNumber',
        'A qualified social worker has a certificate number (职业水平证书).',
        'REQUIRED',
      );
    const joinedOn = requireDate(input.joinedOn, 'input.joinedOn');
    const sites = checkSites(input.siteIds ?? [], 'input.siteIds');
    const id = await this.db.transaction(async (m) => {
      const [{ id }] = await m.query(
        `INSERT INTO social_worker (organization_id, name, qualification, certificate_number, joined_on, site_ids)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [orgId, name, input.qualification, cert, joinedOn, sites],
      );
      if (sites.length) await this.recordAssignment(m, id, orgId, sites);
      await audit(m, this.principal, {
        action: 'social_worker.hire',
        entityType: 'SocialWorker',
        entityId: id,
        organizationId: orgId,
      });
      return id as string;
    });
    return (await this.byIds([id]))[0];
  }

  /** 管 — the sites a social worker serves (replaces the list). */
  async assignSites(workerId: string, siteIds: string[]): Promise<SocialWorkerRow> {
    const sites = checkSites(siteIds, 'siteIds');
    await this.db.transaction(async (m) => {
      const w = await scopedRow<{ status: string }>(m, this.principal, 'social_worker', workerId, 'workerId', {
        lock: true,
        what: 'social worker',
      });
      if (w.status !== 'ACTIVE')
        throw new InputError('workerId', 'A social worker who has left cannot be assigned.', 'INVALID_TRANSITION');
      await m.query(`UPDATE social_worker SET site_ids = $2 WHERE id = $1`, [workerId, sites]);
      await this.recordAssignment(m, w.id, w.organization_id, sites);
      await audit(m, this.principal, {
        action: 'social_worker.assign_sites',
        entityType: 'SocialWorker',
        entityId: w.id,
        organizationId: w.organization_id,
        detail: { siteIds: sites },
      });
    });
    return (await this.byIds([workerId]))[0];
  }

  /** 考 — a periodic assessment, scored 0–100, one per worker and period. */
  async assess(input: {
    workerId: string;
    period: string;
    score: number;
    comments?: string | null;
  }): Promise<AssessmentRow> {
    if (this.principal.role === 'resident') throw new ForbiddenError('Residents give feedback, not assessments.');
    if (!Number.isFinite(input.score) || input.score < 0 || input.score > 100)
      throw new InputError('input.score', 'A score is from 0 to 100.', 'RANGE');
    if (!PERIOD.test(input.period))
      throw new InputError(
        'input.period',
        'A period is a year (2026), a half (2026-H1), a quarter (2026-Q3) or a month (2026-09).',
        'FORMAT',
      );
    const comments = optionalText(input.comments, 'input.comments');
    const id = await this.db.transaction(async (m) => {
      const w = await scopedRow<{ status: string }>(
        m,
        this.principal,
        'social_worker',
        input.workerId,
        'input.workerId',
        { lock: true, what: 'social worker' },
      );
      if (w.status !== 'ACTIVE')
        throw new InputError(
          'input.workerId',
          'A social worker who has left is no longer assessed.',
          'INVALID_TRANSITION',
        );
      const rows = await m.query(
        `INSERT INTO worker_assessment (worker_id, organization_id, period, score, comments, assessed_by, assessed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (worker_id, period) DO NOTHING RETURNING id`,
        [w.id, w.organization_id, input.period, input.score, comments, this.principal.subject, this.clock.now()],
      );
      if (!rows.length)
        throw new ConflictError('input.period', 'This worker is already assessed for this period.', 'DUPLICATE');
      await audit(m, this.principal, {
        action: 'social_worker.assess',
        entityType: 'SocialWorker',
        entityId: w.id,
        organizationId: w.organization_id,
        detail: { period: input.period },
      });
      return rows[0].id as string;
    });
    return (await this.assessmentsByWorkers([input.workerId])).find((a) => a.id === id)!;
  }

  /**
   * A resident's feedback on a social worker (1–5). A resident gives it for themselves about a
   * worker serving one of their sites; an NGO member or officer records it on a named resident's
   * behalf, a resident living at a site the worker serves. One per resident, worker and quarter
   * (in the province's calendar), so nobody grades a worker up by repetition.
   */
  async feedback(input: {
    workerId: string;
    residentId?: string | null;
    rating: number;
    comment?: string | null;
  }): Promise<FeedbackRow> {
    const now = this.clock.now();
    if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5)
      throw new InputError('input.rating', 'A rating is a whole number from 1 to 5.', 'RANGE');
    const comment = optionalText(input.comment, 'input.comment', 500);
    const p = this.principal;
    let worker: { id: string; organization_id: string } | undefined;
    let residentId: string;
    if (p.role === 'resident') {
      if (input.residentId && input.residentId !== p.residentId)
        throw new ForbiddenError('A resident gives feedback only for themselves.');
      if (isUuid(input.workerId)) {
        [worker] = await this.db.query(
          `SELECT id, organization_id FROM social_worker WHERE id = $1 AND status = 'ACTIVE'
             AND site_ids && $2::uuid[]`,
          [input.workerId, p.sites],
        );
      }
      if (!worker) throw new NotFoundError('input.workerId', 'No social worker serving your site with this id.');
      residentId = p.residentId!;
    } else {
      worker = await scopedRow(this.db, p, 'social_worker', input.workerId, 'input.workerId', {
        what: 'social worker',
      });
      if (!isUuid(input.residentId))
        throw new InputError('input.residentId', 'Name the resident whose feedback this is.', 'REQUIRED');
      const [served] = await this.db.query(
        `SELECT 1 FROM resident_directory d JOIN social_worker w ON d.site_id = ANY(w.site_ids) WHERE d.resident_id = $1
           AND w.id = $2 AND d.moved_out_on IS NULL`,
        [input.residentId, worker!.id],
      );
      if (!served)
        throw new NotFoundError('input.residentId', 'No resident living at a site this social worker serves.');
      residentId = input.residentId;
    }
    const period = quarterOf(provinceMonth(now));
    let id: string;
    try {
      id = await this.db.transaction(async (m) => {
        const [{ id }] = await m.query(
          `INSERT INTO worker_feedback (worker_id, organization_id, resident_id, rating, comment, period, given_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
          [worker!.id, worker!.organization_id, residentId, input.rating, comment, period, now],
        );
        await audit(m, p, {
          action: 'social_worker.feedback',
          entityType: 'SocialWorker',
          entityId: worker!.id,
          organizationId: worker!.organization_id,
          detail: { period },
        });
        return id as string;
      });
    } catch (err) {
      if ((err as { code?: string }).code === '23505')
        throw new ConflictError(
          'input.workerId',
          `This resident already gave feedback on this social worker in ${period}.`,
          'ALREADY_GIVEN',
        );
      throw err;
    }
    const [row] = await this.db.query(
      `SELECT f.id, f.worker_id AS "workerId", f.rating, f.comment, ${isoSql('f.given_at')} AS "givenAt"
       FROM worker_feedback f WHERE f.id = $1`,
      [id],
    );
    return row;
  }

  private async recordAssignment(m: Pick<DataSource, 'query'>, workerId: string, orgId: string, sites: string[]) {
    await m.query(
      `INSERT INTO worker_assignment (worker_id, organization_id, site_ids, assigned_at, assigned_by)
       VALUES ($1, $2, $3, $4, $5)`,
      [workerId, orgId, sites, this.clock.now(), this.principal.subject],
    );
  }

  /** 出 — a social worker leaves, with the date and reason. */
  async exit(input: { workerId: string; exitedOn: string; reason: string }): Promise<SocialWorkerRow> {
    const reason = requireText(input.reason, 'input.reason', 500);
    const exitedOn = requireDate(input.exitedOn, 'input.exitedOn');
    await this.db.transaction(async (m) => {
      const w = await scopedRow<{ status: string; joined_on: Date }>(
        m,
        this.principal,
        'social_worker',
        input.workerId,
        'input.workerId',
        { lock: true, what: 'social worker' },
      );
      if (w.status !== 'ACTIVE')
        throw new InputError('input.workerId', 'This social worker has already left.', 'INVALID_TRANSITION');
      const [{ before }] = await m.query(`SELECT $2::date < joined_on AS before FROM social_worker WHERE id = $1`, [
        w.id,
        exitedOn,
      ]);
      if (before) throw new InputError('input.exitedOn', 'A worker cannot leave before joining.', 'ORDER');
      // Leaving ends the assignments; the timeline's EXIT says so, no assignment row is written for it.
      await m.query(
        `UPDATE social_worker SET status = 'EXITED', exited_on = $2, exit_reason = $3, site_ids = '{}' WHERE id = $1`,
        [w.id, exitedOn, reason],
      );
      await audit(m, this.principal, {
        action: 'social_worker.exit',
        entityType: 'SocialWorker',
        entityId: w.id,
        organizationId: w.organization_id,
      });
    });
    return (await this.byIds([input.workerId]))[0];
  }
}

function checkSites(ids: string[], field: string): string[] {
  const bad = ids.find((s) => !isUuid(s));
  if (bad !== undefined) throw new InputError(field, 'Give the ids of resettlement sites (安置点).', 'FORMAT');
  return [...new Set(ids)];
}

/** 2026-11 → 2026-Q4. */
function quarterOf(month: string): string {
  return `${month.slice(0, 4)}-Q${Math.ceil(Number(month.slice(5, 7)) / 3)}`;
}
