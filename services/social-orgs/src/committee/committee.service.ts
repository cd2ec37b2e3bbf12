import type { DataSource } from 'typeorm';
import {
  ConflictError,
  ForbiddenError,
  InputError,
  NotFoundError,
  requireRole,
  type Principal,
  uuidsOf,
  audit,
  isoSql,
  isUuid,
  optionalText,
  requireText,
  seqKeysetPage,
} from '@anju/kit';

export interface CommitteeRow {
  id: string;
  seq: string;
  name: string;
  field: string;
  regionCode: string;
}
export interface MemberRow {
  id: string;
  committeeId: string;
  name: string;
  expertise: string;
  affiliation: string | null;
  organizationId: string | null;
}
export interface ConsultationRow {
  id: string;
  seq: string;
  committeeId: string;
  organizationId: string | null;
  siteId: string | null;
  topic: string;
  problem: string;
  status: 'OPEN' | 'ADVISED';
  advice: string | null;
  advisedBy: string[];
  advisedAt: string | null;
  requestedAt: string;
}

const COMMITTEE_COLUMNS = `k.id, k.seq, k.name, k.field, k.region_code AS "regionCode"`;
const CONSULTATION_COLUMNS = `c.id, c.seq, c.committee_id AS "committeeId", c.organization_id AS "organizationId",
    c.site_id AS "siteId", c.topic, c.problem,
  c.status, c.advice, c.advised_by::text[] AS "advisedBy", ${isoSql('c.advised_at')} AS "advisedAt",
    ${isoSql('c.requested_at')} AS "requestedAt"`;

/**
 * Committees are open to the organizations of their region: officers see those in their regions;
 * an NGO member those whose region overlaps a region its organization serves.
 */
function committeeScope(p: Principal, alias: string, firstParam: number) {
  if (p.role === 'province' || p.role === 'county')
    return { sql: `${alias}.region_code LIKE ANY($${firstParam}::text[])`, params: [p.regions.map((r) => `${r}%`)] };
  if (p.role === 'ngo_member') {
    return {
      sql: `EXISTS (SELECT 1 FROM organization o, unnest(o.service_region_codes) rc WHERE o.id = $${firstParam}::uuid
              AND (rc LIKE ${alias}.region_code || '%' OR ${alias}.region_code LIKE rc || '%'))`,
      params: [p.organizationId],
    };
  }
  return { sql: 'false', params: [] };
}

/**
 * Consultations: officers, those of committees in their regions; an NGO member only its own organization's requests.
 */
function consultationScope(p: Principal, firstParam: number) {
  if (p.role === 'ngo_member') return { sql: `c.organization_id = $${firstParam}::uuid`, params: [p.organizationId] };
  const s = committeeScope(p, 'k', firstParam);
  return { sql: `EXISTS (SELECT 1 FROM committee k WHERE k.id = c.committee_id AND ${s.sql})`, params: s.params };
}

/** 专业委员会 — professional committees with expert members, consulted on complex community problems. */
export class CommitteeService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
  ) {}

  byIds(ids: readonly string[]): Promise<CommitteeRow[]> {
    const s = committeeScope(this.principal, 'k', 2);
    return this.db.query(`SELECT ${COMMITTEE_COLUMNS} FROM committee k WHERE k.id = ANY($1::uuid[]) AND ${s.sql}`, [
      uuidsOf(ids),
      ...s.params,
    ]);
  }

  async list(args: { first?: number | null; after?: string | null }) {
    const s = committeeScope(this.principal, 'k', 1);
    const list = { columns: COMMITTEE_COLUMNS, from: 'committee k', where: s.sql, params: s.params };
    return seqKeysetPage<CommitteeRow>(this.db, list, args, 'k.seq');
  }

  membersByCommittees(ids: readonly string[]): Promise<MemberRow[]> {
    const s = committeeScope(this.principal, 'k', 2);
    return this.db.query(
      `SELECT m.id, m.committee_id AS "committeeId", m.name, m.expertise, m.affiliation,
         m.organization_id AS "organizationId"
       FROM committee_member m JOIN committee k ON k.id = m.committee_id WHERE m.committee_id = ANY($1::uuid[])
         AND ${s.sql} ORDER BY m.seq`,
      [uuidsOf(ids), ...s.params],
    );
  }

  consultationsByIds(ids: readonly string[]): Promise<ConsultationRow[]> {
    const s = consultationScope(this.principal, 2);
    return this.db.query(
      `SELECT ${CONSULTATION_COLUMNS} FROM consultation c WHERE c.id = ANY($1::uuid[]) AND ${s.sql}`,
      [uuidsOf(ids), ...s.params],
    );
  }

  consultationsByCommittees(ids: readonly string[]): Promise<ConsultationRow[]> {
    const s = consultationScope(this.principal, 2);
    return this.db.query(
      `SELECT ${CONSULTATION_COLUMNS} FROM consultation c WHERE c.committee_id = ANY($1::uuid[]) AND ${s.sql}
         ORDER BY c.seq`,
      [uuidsOf(ids), ...s.params],
    );
  }

  /** Officers set up a committee for a region inside theirs. */
  async create(input: { name: string; field: string; regionCode: string }): Promise<CommitteeRow> {
    requireRole(this.principal, 'province', 'county');
    const name = requireText(input.name, 'input.name', 100);
    const field = requireText(input.field, 'input.field', 100);
    if (!/^\d{2}(\d{2}){0,2}$/.test(input.regionCode))
      throw new InputError('input.regionCode', 'A GB/T 2260 region code of 2, 4 or 6 digits.', 'FORMAT');
    if (!this.principal.regions.some((r) => input.regionCode.startsWith(r)))
      throw new ForbiddenError(`Region ${input.regionCode} is outside your scope.`);
    const id = await this.db.transaction(async (m) => {
      const rows = await m.query(
        `INSERT INTO committee (name, field, region_code, created_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING
         RETURNING id`,
        [name, field, input.regionCode, this.principal.subject],
      );
      if (!rows.length)
        throw new ConflictError('input.name', 'A committee with this name exists in this region.', 'DUPLICATE');
      await audit(m, this.principal, {
        action: 'committee.create',
        entityType: 'ProfessionalCommittee',
        entityId: rows[0].id,
        regionCode: input.regionCode,
        detail: { regionCode: input.regionCode },
      });
      return rows[0].id as string;
    });
    return (await this.byIds([id]))[0];
  }

  /** Officers appoint an expert member (optionally from a partner organization serving their regions). */
  async addMember(input: {
    committeeId: string;
    name: string;
    expertise: string;
    affiliation?: string | null;
    organizationId?: string | null;
  }): Promise<string> {
    requireRole(this.principal, 'province', 'county');
    const committee = await this.committeeInScope(input.committeeId, 'input.committeeId');
    const name = requireText(input.name, 'input.name', 50);
    const expertise = requireText(input.expertise, 'input.expertise', 200);
    const affiliation = optionalText(input.affiliation, 'input.affiliation', 200);
    if (input.organizationId != null && !isUuid(input.organizationId))
      throw new InputError('input.organizationId', 'Give an organization id.', 'FORMAT');
    if (
      input.organizationId != null &&
      !(await this.db.query(`SELECT 1 FROM organization WHERE id = $1`, [input.organizationId])).length
    ) {
      throw new NotFoundError('input.organizationId', 'No such organization.');
    }
    await this.db.transaction(async (m) => {
      const [{ id }] = await m.query(
        `INSERT INTO committee_member (committee_id, name, expertise, affiliation, organization_id)
         VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [committee.id, name, expertise, affiliation, input.organizationId ?? null],
      );
      await audit(m, this.principal, {
        action: 'committee.add_member',
        entityType: 'ProfessionalCommittee',
        entityId: committee.id,
        organizationId: input.organizationId ?? null,
        detail: { memberId: id },
      });
    });
    return committee.id;
  }

  /** An NGO member (for its organization) or an officer brings a complex community problem to a committee. */
  async request(input: {
    committeeId: string;
    topic: string;
    problem: string;
    siteId?: string | null;
  }): Promise<ConsultationRow> {
    const p = this.principal;
    if (p.role !== 'ngo_member' && p.role !== 'province' && p.role !== 'county')
      throw new ForbiddenError('This needs an NGO member or an officer.');
    const committee = await this.committeeInScope(input.committeeId, 'input.committeeId');
    const topic = requireText(input.topic, 'input.topic', 200);
    const problem = requireText(input.problem, 'input.problem', 4000);
    if (input.siteId != null && !isUuid(input.siteId))
      throw new InputError('input.siteId', 'Give a site id.', 'FORMAT');
    const id = await this.db.transaction(async (m) => {
      const orgId = p.role === 'ngo_member' ? p.organizationId! : null;
      const [{ id }] = await m.query(
        `INSERT INTO consultation (committee_id, organization_id, site_id, topic, problem, requested_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [committee.id, orgId, input.siteId ?? null, topic, problem, p.subject],
      );
      await audit(m, p, {
        action: 'consultation.request',
        entityType: 'Consultation',
        entityId: id,
        organizationId: orgId,
        detail: { committeeId: committee.id },
      });
      return id as string;
    });
    return (await this.consultationsByIds([id]))[0];
  }

  /** Officers (the committee's secretariat) record the advice and which members gave it; once. */
  async recordAdvice(input: { consultationId: string; advice: string; memberIds: string[] }): Promise<ConsultationRow> {
    requireRole(this.principal, 'province', 'county');
    const advice = requireText(input.advice, 'input.advice', 8000);
    if (!input.memberIds.length)
      throw new InputError('input.memberIds', 'Name the members who gave the advice.', 'REQUIRED');
    await this.db.transaction(async (m) => {
      const s = consultationScope(this.principal, 2);
      const [c] = isUuid(input.consultationId)
        ? await m.query(
            `SELECT c.id, c.committee_id, c.organization_id, c.status FROM consultation c WHERE c.id = $1 AND ${s.sql}
             FOR UPDATE`,
            [input.consultationId, ...s.params],
          )
        : [];
      if (!c) throw new NotFoundError('input.consultationId', 'No such consultation in your scope.');
      if (c.status !== 'OPEN')
        throw new InputError('input.consultationId', 'This consultation already has its advice.', 'INVALID_TRANSITION');
      const ids = [...new Set(input.memberIds)];
      const ok = ids.every(isUuid)
        ? await m.query(`SELECT id FROM committee_member WHERE committee_id = $1 AND id = ANY($2::uuid[])`, [
            c.committee_id,
            ids,
          ])
        : [];
      if (ok.length !== ids.length)
        throw new InputError('input.memberIds', 'Every adviser must be a member of this committee.', 'NOT_A_MEMBER');
      await m.query(
        `UPDATE consultation SET status = 'ADVISED', advice = $2, advised_by = $3, advised_at = now() WHERE id = $1`,
        [c.id, advice, ids],
      );
      await audit(m, this.principal, {
        action: 'consultation.advice',
        entityType: 'Consultation',
        entityId: c.id,
        organizationId: c.organization_id,
        detail: { memberIds: ids },
      });
    });
    return (await this.consultationsByIds([input.consultationId]))[0];
  }

  private async committeeInScope(id: string, field: string): Promise<CommitteeRow> {
    const [k] = isUuid(id) ? await this.byIds([id]) : [];
    if (!k) throw new NotFoundError(field, 'No such committee in your scope.');
    return k;
  }
}
