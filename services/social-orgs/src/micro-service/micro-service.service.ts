import type { DataSource } from 'typeorm';
import {
  ForbiddenError,
  InputError,
  type Principal,
  uuidsOf,
  uuidParam,
  audit,
  isUuid,
  requireText,
  seqKeysetPage,
} from '@anju/kit';
import { organizationToManage, ownedScope, scopedRow } from '../scope';

export type MicroServiceKind = 'AFTER_SCHOOL_CLASS' | 'ELDERLY_CARE' | 'HEALTH_CHECK' | 'MICRO_MARKET' | 'MICRO_STAGE';

export interface MicroServiceRow {
  id: string;
  seq: string;
  organizationId: string;
  organizationName: string;
  siteId: string;
  kind: MicroServiceKind;
  name: string;
  weekdays: number[];
  startTime: string;
  endTime: string;
  capacity: number;
  runnerWorkerId: string | null;
  runnerName: string;
  active: boolean;
}

const COLUMNS = `m.id, m.seq, m.organization_id AS "organizationId", o.name AS "organizationName",
    m.site_id AS "siteId", m.kind, m.name,
  m.weekdays::int[] AS weekdays, to_char(m.start_time, 'HH24:MI') AS "startTime",
    to_char(m.end_time, 'HH24:MI') AS "endTime",
  m.capacity, m.runner_worker_id AS "runnerWorkerId", m.runner_name AS "runnerName", m.active`;

/**
 * Organizers see their organization's (NGO) or those in their regions (officers); site officers and grid workers those
 * at their sites; residents the active ones there.
 */
function scope(p: Principal, firstParam: number) {
  if (p.role === 'resident')
    return { sql: `m.active AND m.site_id = ANY($${firstParam}::uuid[])`, params: [uuidsOf(p.sites)] };
  if (p.role === 'site_officer' || p.role === 'grid_worker')
    return { sql: `m.site_id = ANY($${firstParam}::uuid[])`, params: [uuidsOf(p.sites)] };
  return ownedScope(p, 'm.organization_id', firstParam);
}

export interface MicroServiceInput {
  organizationId?: string | null;
  siteId: string;
  kind: MicroServiceKind;
  name: string;
  weekdays: number[];
  startTime: string;
  endTime: string;
  capacity: number;
  runnerWorkerId?: string | null;
  runnerName?: string | null;
}

/** 微服务 — recurring services at a site: 四点半课堂, elderly care, health checks, micro-market, micro-stage. */
export class MicroServiceService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
  ) {}

  byIds(ids: readonly string[]): Promise<MicroServiceRow[]> {
    const s = scope(this.principal, 2);
    return this.db.query(
      `SELECT ${COLUMNS} FROM micro_service m JOIN organization o ON o.id = m.organization_id
       WHERE m.id = ANY($1::uuid[]) AND ${s.sql}`,
      [uuidsOf(ids), ...s.params],
    );
  }

  async list(args: {
    organizationId?: string | null;
    siteId?: string | null;
    kind?: string | null;
    first?: number | null;
    after?: string | null;
  }) {
    const s = scope(this.principal, 4);
    const filter = `($1::text IS NULL OR m.organization_id = ${uuidParam(1)}) AND ($2::text IS NULL
                      OR m.site_id = ${uuidParam(2)}) AND ($3::text IS NULL OR m.kind = $3) AND ${s.sql}`;
    const params = [args.organizationId ?? null, args.siteId ?? null, args.kind ?? null, ...s.params];
    const from = 'micro_service m JOIN organization o ON o.id = m.organization_id';
    const list = { columns: COLUMNS, from, countFrom: 'micro_service m', where: filter, params };
    return seqKeysetPage<MicroServiceRow>(this.db, list, args, 'm.seq');
  }

  async create(input: MicroServiceInput): Promise<MicroServiceRow> {
    const orgId = await organizationToManage(this.db, this.principal, input.organizationId);
    if (!isUuid(input.siteId))
      throw new InputError('input.siteId', 'Give the id of a resettlement site (安置点).', 'FORMAT');
    const v = await this.check(orgId, input, 'input');
    const id = await this.db.transaction(async (m) => {
      const [{ id }] = await m.query(
        `INSERT INTO micro_service (organization_id, site_id, kind, name, weekdays, start_time, end_time, capacity,
           runner_worker_id, runner_name)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [
          orgId,
          input.siteId,
          input.kind,
          v.name,
          v.weekdays,
          input.startTime,
          input.endTime,
          input.capacity,
          v.runnerWorkerId,
          v.runnerName,
        ],
      );
      await audit(m, this.principal, {
        action: 'micro_service.create',
        entityType: 'MicroService',
        entityId: id,
        organizationId: orgId,
      });
      return id as string;
    });
    return (await this.byIds([id]))[0];
  }

  /** Changes the schedule, capacity or who runs it, or pauses it (`active: false`). */
  async update(
    id: string,
    input: Omit<MicroServiceInput, 'organizationId' | 'siteId' | 'kind'> & { active: boolean },
  ): Promise<MicroServiceRow> {
    if (this.principal.role === 'resident') throw new ForbiddenError('Residents cannot change a micro-service.');
    await this.db.transaction(async (m) => {
      const row = await scopedRow(m, this.principal, 'micro_service', id, 'id', { lock: true, what: 'micro-service' });
      const v = await this.check(row.organization_id, input, 'input');
      await m.query(
        `UPDATE micro_service SET name = $2, weekdays = $3, start_time = $4, end_time = $5, capacity = $6,
           runner_worker_id = $7, runner_name = $8, active = $9 WHERE id = $1`,
        [
          id,
          v.name,
          v.weekdays,
          input.startTime,
          input.endTime,
          input.capacity,
          v.runnerWorkerId,
          v.runnerName,
          input.active,
        ],
      );
      await audit(m, this.principal, {
        action: 'micro_service.update',
        entityType: 'MicroService',
        entityId: id,
        organizationId: row.organization_id,
      });
    });
    return (await this.byIds([id]))[0];
  }

  private async check(orgId: string, input: Omit<MicroServiceInput, 'organizationId' | 'siteId' | 'kind'>, f: string) {
    const name = requireText(input.name, `${f}.name`, 100);
    const weekdays = [...new Set(input.weekdays)].sort();
    if (!weekdays.length || weekdays.some((d) => !Number.isInteger(d) || d < 1 || d > 7))
      throw new InputError(`${f}.weekdays`, 'Weekdays are 1 (Monday) to 7 (Sunday), at least one.', 'RANGE');
    const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;
    if (!hhmm.test(input.startTime)) throw new InputError(`${f}.startTime`, 'A time is HH:MM.', 'FORMAT');
    if (!hhmm.test(input.endTime)) throw new InputError(`${f}.endTime`, 'A time is HH:MM.', 'FORMAT');
    if (input.endTime <= input.startTime) throw new InputError(`${f}.endTime`, 'It ends after it starts.', 'ORDER');
    if (!Number.isInteger(input.capacity) || input.capacity < 1 || input.capacity > 10_000)
      throw new InputError(`${f}.capacity`, 'Capacity is a whole number from 1 to 10000.', 'RANGE');
    let runnerName: string;
    let runnerWorkerId: string | null = null;
    if (input.runnerWorkerId) {
      const [w] = isUuid(input.runnerWorkerId)
        ? await this.db.query(
            `SELECT id, name FROM social_worker WHERE id = $1 AND organization_id = $2 AND status = 'ACTIVE'`,
            [input.runnerWorkerId, orgId],
          )
        : [];
      if (!w)
        throw new InputError(
          `${f}.runnerWorkerId`,
          'The runner must be an active social worker of the same organization.',
          'WRONG_WORKER',
        );
      runnerWorkerId = w.id;
      runnerName = w.name;
    } else {
      runnerName = requireText(input.runnerName, `${f}.runnerName`, 100);
    }
    return { name, weekdays, runnerWorkerId, runnerName };
  }
}
