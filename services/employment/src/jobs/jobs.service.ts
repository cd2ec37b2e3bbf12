import type { DataSource } from 'typeorm';
import {
  ConflictError,
  InputError,
  type Principal,
  uuidsOf,
  uuidParam,
  num,
  requireAmount,
  requireDate,
  requireText,
  keysetPage,
  asc,
} from '@anju/kit';
import { publish } from '@anju/contracts';
import { residentForWrite, rowForWrite, scopeSql, siteForWrite } from '../scope';
import { auditWrite } from '../audit';
import { changeAndRecheck } from '../monitoring/recheck';
import type { EmploymentKind } from '../monitoring/rules';

export const EMPLOYER_KINDS = ['poverty_workshop', 'enterprise', 'cooperative', 'public_institution', 'other'] as const;
export const EMPLOYMENT_KINDS: readonly EmploymentKind[] = [
  'workshop',
  'public_welfare_post',
  'migrant_work',
  'self_employed',
  'flexible',
];

export interface EmployerRow {
  id: string;
  name: string;
  kind: (typeof EMPLOYER_KINDS)[number];
  siteId: string;
  regionCode: string;
  address: string | null;
}
export interface PostingRow {
  id: string;
  employerId: string | null;
  siteId: string;
  regionCode: string;
  title: string;
  kind: 'regular' | 'public_welfare_post';
  fundingSource: string | null;
  termStartsOn: string | null;
  termEndsOn: string | null;
  capacity: number;
  filled: number;
  monthlyWage: number;
}
export interface EmploymentRow {
  id: string;
  residentId: string;
  householdId: string;
  siteId: string;
  regionCode: string;
  kind: EmploymentKind;
  employerId: string | null;
  postingId: string | null;
  destination: string | null;
  startedOn: string;
  endedOn: string | null;
  endReason: string | null;
  monthlyIncome: number;
}

const EMPLOYER = `x.id, x.name, x.kind, x.site_id AS "siteId", x.region_code AS "regionCode", x.address`;
const POSTING = `j.id, j.employer_id AS "employerId", j.site_id AS "siteId", j.region_code AS "regionCode", j.title,
    j.kind,
  j.funding_source AS "fundingSource", to_char(j.term_starts_on, 'YYYY-MM-DD') AS "termStartsOn",
    to_char(j.term_ends_on, 'YYYY-MM-DD') AS "termEndsOn",
  j.capacity, j.filled, j.monthly_wage::float8 AS "monthlyWage"`;
const EMPLOYMENT = `r.id, r.resident_id AS "residentId", r.household_id AS "householdId", r.site_id AS "siteId",
    r.region_code AS "regionCode",
  r.kind, r.employer_id AS "employerId", r.posting_id AS "postingId", r.destination,
    to_char(r.started_on, 'YYYY-MM-DD') AS "startedOn",
  to_char(r.ended_on, 'YYYY-MM-DD') AS "endedOn", r.end_reason AS "endReason",
    r.monthly_income::float8 AS "monthlyIncome"`;

export interface RegisterEmployerInput {
  name: string;
  kind: EmployerRow['kind'];
  siteId: string;
  address?: string | null;
}
export interface CreatePostingInput {
  employerId?: string | null;
  siteId: string;
  title: string;
  kind: PostingRow['kind'];
  fundingSource?: string | null;
  termStartsOn?: string | null;
  termEndsOn?: string | null;
  capacity: number;
  monthlyWage: number;
}
export interface StartEmploymentInput {
  residentId: string;
  kind: EmploymentKind;
  postingId?: string | null;
  employerId?: string | null;
  destination?: string | null;
  startedOn: string;
  monthlyIncome: number;
}
export interface EndEmploymentInput {
  employmentId: string;
  endedOn: string;
  reason: string;
}

/** Employers (incl. 扶贫车间), postings (incl. 公益性岗位) and employment records of every kind. */
export class JobsService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly now: () => Date,
  ) {}

  employersByIds(ids: readonly string[]): Promise<EmployerRow[]> {
    const s = scopeSql(this.principal, 'x', 2, 'site');
    return this.db.query(`SELECT ${EMPLOYER} FROM employer x WHERE x.id = ANY($1::uuid[]) AND ${s.sql}`, [
      uuidsOf(ids),
      ...s.params,
    ]);
  }

  postingsByIds(ids: readonly string[]): Promise<PostingRow[]> {
    const s = scopeSql(this.principal, 'j', 2, 'site');
    return this.db.query(`SELECT ${POSTING} FROM job_posting j WHERE j.id = ANY($1::uuid[]) AND ${s.sql}`, [
      uuidsOf(ids),
      ...s.params,
    ]);
  }

  async employers(siteId: string, first?: number | null, after?: string | null) {
    return this.page<EmployerRow>('employer x', EMPLOYER, 'x', siteId, 'x.name', first, after, 'name');
  }

  async postings(
    siteId: string,
    kind: PostingRow['kind'] | null | undefined,
    first?: number | null,
    after?: string | null,
  ) {
    return this.page<PostingRow>(
      'job_posting j',
      POSTING,
      'j',
      siteId,
      'j.title',
      first,
      after,
      'title',
      kind ? { sql: `j.kind = `, value: kind } : null,
    );
  }

  employmentsOfResidents(residentIds: readonly string[]): Promise<EmploymentRow[]> {
    const s = scopeSql(this.principal, 'r', 2);
    return this.db.query(
      `SELECT ${EMPLOYMENT} FROM employment_record r WHERE r.resident_id = ANY($1::uuid[]) AND ${s.sql}
         ORDER BY r.started_on DESC, r.id`,
      [uuidsOf(residentIds), ...s.params],
    );
  }

  private async page<T extends { id: string }>(
    table: string,
    cols: string,
    alias: string,
    siteId: string,
    sortCol: string,
    first: number | null | undefined,
    after: string | null | undefined,
    sortField: keyof T & string,
    extra: { sql: string; value: unknown } | null = null,
  ) {
    const s = scopeSql(this.principal, alias, 2, 'site');
    const params: unknown[] = [siteId, ...s.params];
    let where = `${alias}.site_id = ${uuidParam(1)} AND ${s.sql}`;
    if (extra) {
      params.push(extra.value);
      where += ` AND ${extra.sql}$${params.length}`;
    }
    const list = { columns: cols, from: table, where, params };
    const sort = asc<T>([sortCol, 'text', sortField], [`${alias}.id`, 'uuid', 'id']);
    return keysetPage(this.db, list, { first, after }, sort);
  }

  async registerEmployer(input: RegisterEmployerInput): Promise<EmployerRow> {
    const site = await siteForWrite(this.db, this.principal, input.siteId, 'input.siteId');
    const name = requireText(input.name, 'input.name', 100);
    if (!(EMPLOYER_KINDS as readonly string[]).includes(input.kind))
      throw new InputError('input.kind', 'Unknown employer kind.', 'FORMAT');
    return this.db.transaction(async (m) => {
      const [row]: EmployerRow[] = await m.query(
        `INSERT INTO employer AS x (name, kind, site_id, region_code, address) VALUES ($1, $2, $3, $4, $5)
         RETURNING ${EMPLOYER}`,
        [name, input.kind, site.siteId, site.regionCode, input.address?.trim() || null],
      );
      await auditWrite(m, this.principal, 'employer.register', row, { fields: ['name', 'kind', 'address'] });
      return row;
    });
  }

  async createPosting(input: CreatePostingInput): Promise<PostingRow> {
    const site = await siteForWrite(this.db, this.principal, input.siteId, 'input.siteId');
    const title = requireText(input.title, 'input.title', 100);
    if (input.employerId) await this.employerForWrite(input.employerId, 'input.employerId');
    if (!Number.isInteger(input.capacity) || input.capacity < 1 || input.capacity > 10_000) {
      throw new InputError('input.capacity', 'Capacity is a whole number of places, 1 to 10000.', 'RANGE');
    }
    const wage = requireAmount(input.monthlyWage, 'input.monthlyWage', 'The monthly wage');
    const termStartsOn = input.termStartsOn ? requireDate(input.termStartsOn, 'input.termStartsOn') : null;
    const termEndsOn = input.termEndsOn ? requireDate(input.termEndsOn, 'input.termEndsOn') : null;
    if (termStartsOn && termEndsOn && termEndsOn < termStartsOn)
      throw new InputError('input.termEndsOn', 'A term cannot end before it starts.', 'ENDS_BEFORE_START');
    const fundingSource = input.fundingSource?.trim() || null;
    if (input.kind === 'public_welfare_post') {
      if (!fundingSource)
        throw new InputError(
          'input.fundingSource',
          'A public-welfare post (公益性岗位) names its funding source.',
          'REQUIRED',
        );
      if (!termStartsOn || !termEndsOn)
        throw new InputError(
          termStartsOn ? 'input.termEndsOn' : 'input.termStartsOn',
          'A public-welfare post has a term (start and end).',
          'REQUIRED',
        );
    }
    return this.db.transaction(async (m) => {
      const [row]: PostingRow[] = await m.query(
        `INSERT INTO job_posting AS j (employer_id, site_id, region_code, title, kind, funding_source, term_starts_on,
           term_ends_on, capacity, monthly_wage)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${POSTING}`,
        [
          input.employerId || null,
          site.siteId,
          site.regionCode,
          title,
          input.kind,
          fundingSource,
          termStartsOn,
          termEndsOn,
          input.capacity,
          wage,
        ],
      );
      // A public-welfare post (公益性岗位) is a posting of kind public_welfare_post: audited as every posting.
      await auditWrite(m, this.principal, 'job_posting.create', row, {
        kind: row.kind,
        fields: ['employerId', 'title', 'fundingSource', 'termStartsOn', 'termEndsOn', 'capacity', 'monthlyWage'],
      });
      return row;
    });
  }

  /**
   * Records a job start. A posting's places are taken with one conditional UPDATE (filled <
   * capacity), so concurrent starts can never over-fill it: the loser gets CONFLICT POST_FULL.
   */
  async start(input: StartEmploymentInput): Promise<EmploymentRow> {
    const resident = await residentForWrite(this.db, this.principal, input.residentId, 'input.residentId');
    if (!EMPLOYMENT_KINDS.includes(input.kind))
      throw new InputError('input.kind', 'Unknown kind of employment.', 'FORMAT');
    const startedOn = requireDate(input.startedOn, 'input.startedOn');
    const income = requireAmount(input.monthlyIncome, 'input.monthlyIncome', 'Monthly income');
    const destination = input.destination?.trim() || null;
    if (input.kind === 'migrant_work' && !destination)
      throw new InputError('input.destination', 'Migrant work (外出务工) records its destination.', 'REQUIRED');
    let posting: PostingRow | null = null;
    if (input.postingId)
      posting = await rowForWrite<PostingRow>(
        this.db,
        this.principal,
        `SELECT ${POSTING} FROM job_posting j WHERE j.id = $1`,
        input.postingId,
        'input.postingId',
        'a job posting',
      );
    if (input.kind === 'public_welfare_post' && posting?.kind !== 'public_welfare_post') {
      throw new InputError(
        'input.postingId',
        'A public-welfare post job is taken on a public-welfare posting.',
        'REQUIRED',
      );
    }
    if (posting?.kind === 'public_welfare_post' && input.kind !== 'public_welfare_post') {
      throw new InputError('input.kind', 'A public-welfare posting is taken as kind PUBLIC_WELFARE_POST.', 'MISMATCH');
    }
    if (posting?.termStartsOn && startedOn < posting.termStartsOn)
      throw new InputError('input.startedOn', 'The post’s term has not begun on that day.', 'OUTSIDE_TERM');
    if (posting?.termEndsOn && startedOn > posting.termEndsOn)
      throw new InputError('input.startedOn', 'The post’s term has ended by that day.', 'OUTSIDE_TERM');
    const employerId = input.employerId || posting?.employerId || null;
    if (input.employerId) await this.employerForWrite(input.employerId, 'input.employerId');

    return changeAndRecheck(
      this.db,
      () => this.now(),
      async (m, mark) => {
        if (posting) {
          const taken = await m.query(
            `WITH u AS (UPDATE job_posting SET filled = filled + 1 WHERE id = $1 AND filled < capacity RETURNING id)
             SELECT * FROM u`,
            [posting.id],
          );
          if (!taken.length)
            throw new ConflictError('input.postingId', 'Every place of this post is filled.', 'POST_FULL');
        }
        let row: EmploymentRow;
        try {
          [row] = await m.query(
            `INSERT INTO employment_record AS r (resident_id, household_id, site_id, region_code, kind, employer_id,
             posting_id, destination, started_on, monthly_income)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${EMPLOYMENT}`,
            [
              resident.residentId,
              resident.householdId,
              resident.siteId,
              resident.regionCode,
              input.kind,
              employerId,
              posting?.id ?? null,
              destination,
              startedOn,
              income,
            ],
          );
        } catch (err) {
          if ((err as { code?: string }).code === '23505')
            throw new ConflictError('input.postingId', 'The resident already holds this post.', 'ALREADY_HOLDS_POST');
          throw err;
        }
        await publish(m, 'employment.started', {
          employmentId: row.id,
          residentId: row.residentId,
          householdId: row.householdId,
          siteId: row.siteId,
          kind: row.kind,
          startedOn: row.startedOn,
          monthlyIncome: num(row.monthlyIncome),
        });
        await mark([row.householdId]);
        await auditWrite(m, this.principal, 'employment_record.start', row, {
          kind: row.kind,
          postingId: row.postingId,
          fields: ['employerId', 'destination', 'startedOn', 'monthlyIncome'],
        });
        return row;
      },
    );
  }

  async end(input: EndEmploymentInput): Promise<EmploymentRow> {
    const current = await rowForWrite<EmploymentRow>(
      this.db,
      this.principal,
      `SELECT ${EMPLOYMENT} FROM employment_record r WHERE r.id = $1`,
      input.employmentId,
      'input.employmentId',
      'an employment record',
    );
    const endedOn = requireDate(input.endedOn, 'input.endedOn');
    if (endedOn < current.startedOn)
      throw new InputError('input.endedOn', 'A job cannot end before it started.', 'ENDS_BEFORE_START');
    const reason = requireText(input.reason, 'input.reason', 200);
    return changeAndRecheck(
      this.db,
      () => this.now(),
      async (m, mark) => {
        const rows: EmploymentRow[] = await m.query(
          `WITH u AS (UPDATE employment_record r SET ended_on = $2, end_reason = $3 WHERE r.id = $1
             AND r.ended_on IS NULL RETURNING ${EMPLOYMENT}) SELECT * FROM u`,
          [current.id, endedOn, reason],
        );
        if (!rows.length) throw new ConflictError('input.employmentId', 'The job has already ended.', 'ALREADY_ENDED');
        const row = rows[0];
        if (row.postingId) await m.query(`UPDATE job_posting SET filled = filled - 1 WHERE id = $1`, [row.postingId]);
        await publish(m, 'employment.ended', {
          employmentId: row.id,
          residentId: row.residentId,
          householdId: row.householdId,
          siteId: row.siteId,
          kind: row.kind,
          endedOn,
          reason,
        });
        await mark([row.householdId]);
        await auditWrite(m, this.principal, 'employment_record.end', row, { fields: ['endedOn', 'endReason'] });
        return row;
      },
    );
  }

  private employerForWrite(id: string, field: string) {
    return rowForWrite<EmployerRow>(
      this.db,
      this.principal,
      `SELECT ${EMPLOYER} FROM employer x WHERE x.id = $1`,
      id,
      field,
      'an employer',
    );
  }
}
