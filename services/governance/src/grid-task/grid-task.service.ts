import type { DataSource, EntityManager } from 'typeorm';
import {
  ConflictError,
  InputError,
  NotFoundError,
  coversPlace,
  placeFilter,
  requireRole,
  type Principal,
  uuidsOf,
  audit,
  returning,
  isUuid,
  provinceDate,
  type Clock,
  keysetPage,
  asc,
} from '@anju/kit';
import { insertVisit } from '../household-visit/household-visit.service';
import type { GridTaskStatus } from './grid-task.types';
import { notifySelect } from '../notification/notify';
import { channelsOf } from '../notification/notification-kinds';

export interface GridTaskRow {
  id: string;
  siteId: string;
  regionCode: string;
  gridId: string | null;
  householdId: string | null;
  kind: string;
  title: string;
  detail: Record<string, unknown>;
  status: GridTaskStatus;
  sourceEvent: string;
  sourceEventId: string;
  openedAt: Date;
  dueOn: string | null;
  doneAt: Date | null;
  note: string | null;
  closedAt: Date | null;
}

const COLUMNS = `t.id, t.site_id AS "siteId", t.region_code AS "regionCode", t.grid_id AS "gridId",
    t.household_id AS "householdId", t.kind, t.title,
  t.detail, t.status, t.source_event AS "sourceEvent", t.source_event_id AS "sourceEventId", t.opened_at AS "openedAt",
  to_char(t.due_on, 'YYYY-MM-DD') AS "dueOn", t.done_at AS "doneAt", t.note, t.closed_at AS "closedAt"`;

/** Days a grid worker has to follow up a household gap. */
export const GAP_FOLLOW_UP_DAYS = 14;

/** A grid task an event asks for: one per kind + source key (the cause, e.g. a gap id). */
export interface TaskFromEvent {
  kind: string;
  title: string;
  siteId: string;
  regionCode: string;
  householdId: string | null;
  sourceEvent: string;
  sourceEventId: string;
  sourceKey: string;
  detail: Record<string, unknown>;
  dueOn: string | null;
}

/**
 * Opens tasks from events in one statement, idempotent (one task per source event and per kind +
 * source key: a redelivery, or the same cause published again, opens nothing). The grid is the
 * one the household's building is in when the task opens. A cause already gone (its closing event
 * came first: `closed_task_source`) opens its task closed, as in-order delivery leaves it.
 */
export async function openTasksFromEvents(m: EntityManager, tasks: TaskFromEvent[], now: Date): Promise<void> {
  if (!tasks.length) return;
  const col = <K extends keyof TaskFromEvent>(k: K) => tasks.map((t) => t[k]);
  // 网格任务: the grid worker in charge hears of each task opened, in the same statement.
  await notifySelect(
    m,
    `SELECT 'subject:' || g.grid_worker_subject AS recipient, 'grid_task_assigned' AS kind,
              'grid_task:' || o.id AS dedupe_key,
            '新的网格任务：' || o.title AS title,
            coalesce('住户' || h.household_number || '（' || h.address || '）', '') || '需要走访跟进，请在'
              || to_char(o.due_on, 'FMMM"月"FMDD"日"') || '前完成并登记。' AS body,
            jsonb_build_object('what', o.title, 'when', to_char(o.due_on, 'YYYY-MM-DD'), 'where', h.address) AS details,
            'GridTask' AS entity_type, o.id::text AS entity_id, o.site_id, $11::text[] AS channels
       FROM opened o JOIN grid g ON g.id = o.grid_id LEFT JOIN household h ON h.id = o.household_id
      WHERE o.status = 'open' AND g.grid_worker_subject IS NOT NULL`,
    [
      col('siteId'),
      col('regionCode'),
      col('householdId'),
      col('kind'),
      col('title'),
      tasks.map((t) => JSON.stringify(t.detail)),
      col('sourceEvent'),
      col('sourceEventId'),
      col('sourceKey'),
      col('dueOn'),
      channelsOf('grid_task_assigned'),
    ],
    now,
    {
      with: `opened AS (
     INSERT INTO grid_task (site_id, region_code, grid_id, household_id, kind, title, detail, source_event,
       source_event_id, source_key, due_on,
                            status, closed_at, closed_by_event_id)
     SELECT x.site_id, x.region_code, b.grid_id, h.id, x.kind, x.title, x.detail, x.source_event, x.source_event_id,
       x.source_key, x.due_on,
            CASE WHEN c.kind IS NULL THEN 'open' ELSE 'closed' END, c.closed_at, c.closed_by_event_id
       FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::jsonb[], $7::text[], $8::uuid[],
         $9::text[], $10::date[])
            AS x(site_id, region_code, household_id, kind, title, detail, source_event, source_event_id, source_key,
              due_on)
       LEFT JOIN household h ON h.id = x.household_id
       LEFT JOIN building b ON b.id = h.building_id
       LEFT JOIN closed_task_source c ON c.kind = x.kind AND c.source_key = x.source_key
      ORDER BY x.kind, x.source_key
     ON CONFLICT DO NOTHING
     RETURNING id, site_id, grid_id, household_id, title, due_on, status)`,
    },
  );
}

/**
 * Closes the tasks of causes that went away (e.g. gaps closed), in one statement, and remembers
 * each cause as gone (`closed_task_source`), so that a task its late opening event asks for is
 * born closed. A cause closed twice keeps its first close.
 */
export async function closeTasksFromEvents(
  m: EntityManager,
  kind: string,
  closes: { sourceKey: string; eventId: string }[],
): Promise<void> {
  if (!closes.length) return;
  await m.query(
    `WITH x AS (SELECT DISTINCT ON (k) k, e FROM unnest($2::text[], $3::uuid[]) AS u(k, e) ORDER BY k),
     gone AS (INSERT INTO closed_task_source (kind, source_key, closed_by_event_id) SELECT $1, k, e FROM x ON CONFLICT
       DO NOTHING)
     UPDATE grid_task t SET status = 'closed', closed_at = now(), closed_by_event_id = x.e
       FROM x WHERE t.kind = $1 AND t.source_key = x.k AND t.status <> 'closed'`,
    [kind, closes.map((c) => c.sourceKey), closes.map((c) => c.eventId)],
  );
}

export class GridTaskService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
  ) {}

  /** Grid workers: tasks of their grids; officers: of their sites and regions; nobody else. */
  private scope(n: number): { sql: string; params: unknown[] } {
    const p = this.principal;
    if (p.role === 'grid_worker' && p.grids.length)
      return { sql: `t.grid_id = ANY($${n}::uuid[])`, params: [uuidsOf(p.grids)] };
    return placeFilter(p, { site: 't.site_id', region: 't.region_code' }, n);
  }

  byIds(ids: readonly string[]): Promise<GridTaskRow[]> {
    const scope = this.scope(2);
    return this.db.query(`SELECT ${COLUMNS} FROM grid_task t WHERE t.id = ANY(as_uuids($1)) AND ${scope.sql}`, [
      ids,
      ...scope.params,
    ]);
  }

  /** Tasks in the caller's scope (a grid worker: their grids), oldest first. */
  async list(args: {
    siteId?: string | null;
    gridId?: string | null;
    status?: GridTaskStatus | null;
    householdId?: string | null;
    first?: number | null;
    after?: string | null;
  }) {
    requireRole(this.principal, 'province', 'county', 'site_officer', 'grid_worker');
    const scope = this.scope(5);
    const params: unknown[] = [
      args.siteId ?? null,
      args.gridId ?? null,
      args.status ?? null,
      args.householdId ?? null,
      ...scope.params,
    ];
    const where = `($1::text IS NULL OR t.site_id = as_uuid($1)) AND ($2::text IS NULL OR t.grid_id = as_uuid($2))
        AND ($3::text IS NULL OR t.status = $3)
      AND ($4::text IS NULL OR t.household_id = as_uuid($4)) AND ${scope.sql}`;
    const list = { columns: COLUMNS, from: 'grid_task t', where, params };
    const sort = asc<GridTaskRow>(['t.opened_at', 'timestamp', 'openedAt'], ['t.id', 'uuid', 'id']);
    return keysetPage(this.db, list, args, sort);
  }

  /** The grid worker records the follow-up as done, with a note; the task closes when its cause does. */
  async complete(id: string, note: string): Promise<GridTaskRow> {
    requireRole(this.principal, 'site_officer', 'grid_worker');
    if (!isUuid(id)) throw new InputError('id', 'Not a task id.', 'FORMAT');
    const text = note.trim();
    if (text.length < 2 || text.length > 1000)
      throw new InputError('note', 'Say what was done (2 to 1000 characters).');
    const [task]: GridTaskRow[] = await this.db.query(`SELECT ${COLUMNS} FROM grid_task t WHERE t.id = $1`, [id]);
    if (
      !task ||
      !coversPlace(this.principal, { siteId: task.siteId, regionCode: task.regionCode, gridId: task.gridId })
    )
      throw new NotFoundError('id', 'No such task.');
    if (task.status !== 'open')
      throw new ConflictError(
        'id',
        `The task is ${task.status}; only an open task can be completed.`,
        'BAD_TRANSITION',
      );
    return this.db.transaction(async (m) => {
      const [row] = returning<GridTaskRow>(
        await m.query(
          `UPDATE grid_task t SET status = 'done', done_at = $4, done_by = $2, note = $3 WHERE t.id = $1
             AND t.status = 'open' RETURNING ${COLUMNS}`,
          [id, this.principal.subject, text, this.clock.now()],
        ),
      );
      if (!row)
        throw new ConflictError(
          'id',
          'The task changed meanwhile; only an open task can be completed.',
          'BAD_TRANSITION',
        );
      // Following up a household not visited for too long is a visit (入户走访): the next lapse counts from today.
      if (row.kind === 'household_unvisited' && row.householdId) {
        await insertVisit(
          m,
          { id: row.householdId, siteId: row.siteId, regionCode: row.regionCode, gridId: row.gridId },
          { visitedOn: provinceDate(this.clock.now()), note: text },
          this.principal.subject,
          this.clock.now(),
        );
      }
      await audit(m, this.principal, {
        action: 'grid_task.complete',
        entityType: 'GridTask',
        entityId: id,
        siteId: row.siteId,
        regionCode: row.regionCode,
      });
      return row;
    });
  }
}
