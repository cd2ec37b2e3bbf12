import type { DataSource, EntityManager } from 'typeorm';
import {
  ConflictError,
  InputError,
  NotFoundError,
  coversPlace,
  placeFilter,
  provinceDate,
  requireRole,
  type Clock,
  type Principal,
  uuidParam,
  audit,
  returning,
  isUuid,
  keysetPage,
  asc,
} from '@anju/kit';
import { siteForWrite } from '../grid/grid.service';
import type { ListItemStatus, ListKind } from './list-item.types';
import { supervisedSites } from '../supervision/supervision.service';
import { gridWorkerSites } from '../scope';

export interface ListItemRow {
  id: string;
  siteId: string;
  regionCode: string;
  kind: ListKind;
  title: string;
  detail: string | null;
  ownerName: string;
  ownerSubject: string | null;
  ownerUnitId: string | null;
  dueOn: string;
  status: ListItemStatus;
  completionNote: string | null;
  completedAt: Date | null;
  resolutionOf: string | null;
  resolutionNo: number | null;
  reminders: number;
  lastRemindedOn: string | null;
}

const COLUMNS = `l.id, l.site_id AS "siteId", l.region_code AS "regionCode", l.kind, l.title, l.detail,
    l.owner_name AS "ownerName",
  l.owner_subject AS "ownerSubject", l.owner_unit_id AS "ownerUnitId", to_char(l.due_on, 'YYYY-MM-DD') AS "dueOn",
    l.status,
  l.completion_note AS "completionNote", l.completed_at AS "completedAt", l.resolution_of AS "resolutionOf",
    l.resolution_no AS "resolutionNo",
  (SELECT count(*)::int FROM list_item_reminder lr WHERE lr.list_item_id = l.id) AS reminders,
  (SELECT to_char(max(lr.reminded_on), 'YYYY-MM-DD') FROM list_item_reminder lr
    WHERE lr.list_item_id = l.id) AS "lastRemindedOn"`;

export interface ListItemInput {
  kind: ListKind;
  title: string;
  detail?: string | null;
  ownerName: string;
  ownerSubject?: string | null;
  ownerUnitId?: string | null;
  dueOn: string;
}

const TRANSITIONS: Record<ListItemStatus, ListItemStatus[]> = {
  open: ['in_progress', 'done', 'cancelled'],
  in_progress: ['done', 'cancelled'],
  done: [],
  cancelled: [],
};

/** Checks one list item's fields; `field` is the path prefix for errors (e.g. `input` or `input.resolutions.0`). */
export function checkListItem(input: ListItemInput, field: string, today: string): ListItemInput {
  const title = input.title.trim();
  if (title.length < 2 || title.length > 200)
    throw new InputError(`${field}.title`, 'A title has 2 to 200 characters.');
  const ownerName = input.ownerName.trim();
  if (!ownerName || ownerName.length > 100)
    throw new InputError(`${field}.ownerName`, 'Name the responsible person or unit (1 to 100 characters).');
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(input.dueOn) ||
    Number.isNaN(Date.parse(`${input.dueOn}T00:00:00Z`)) ||
    !new Date(`${input.dueOn}T00:00:00Z`).toISOString().startsWith(input.dueOn)
  ) {
    throw new InputError(`${field}.dueOn`, 'The due date is a real date (YYYY-MM-DD).', 'FORMAT');
  }
  if (input.dueOn < today) throw new InputError(`${field}.dueOn`, 'The due date cannot be in the past.', 'PAST');
  if (input.ownerUnitId && !isUuid(input.ownerUnitId))
    throw new InputError(`${field}.ownerUnitId`, 'Not a unit id.', 'FORMAT');
  return {
    ...input,
    title,
    ownerName,
    detail: input.detail?.trim() || null,
    ownerSubject: input.ownerSubject?.trim() || null,
    ownerUnitId: input.ownerUnitId || null,
  };
}

/** Which meeting a resolution comes from: a joint meeting (联席会议) or a co-building council's (共建理事会). */
export type ResolutionOf = { meetingId: string; no: number } | { coBuildingMeetingId: string; no: number };

export async function insertListItem(
  m: Pick<EntityManager, 'query'>,
  site: { id: string; regionCode: string },
  i: ListItemInput,
  resolution: ResolutionOf | null,
): Promise<string> {
  const [{ id }] = await m.query(
    `INSERT INTO list_item (site_id, region_code, kind, title, detail, owner_name, owner_subject, owner_unit_id, due_on,
                              resolution_of,
                            co_building_meeting_id, resolution_no)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
    [
      site.id,
      site.regionCode,
      i.kind,
      i.title,
      i.detail ?? null,
      i.ownerName,
      i.ownerSubject ?? null,
      i.ownerUnitId ?? null,
      i.dueOn,
      resolution && 'meetingId' in resolution ? resolution.meetingId : null,
      resolution && 'coBuildingMeetingId' in resolution ? resolution.coBuildingMeetingId : null,
      resolution?.no ?? null,
    ],
  );
  return id;
}

export class ListItemService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
  ) {}

  /**
   * Officers: items of their sites and regions. Grid workers: grid-management items of the sites
   * of their grids, and items they own. Unit members: items their unit owns. Residents: items they own, and
   * all of a site's items when they sit on its supervisory committee. Everyone: items they own.
   */
  private scope(n: number): { sql: string; params: unknown[] } {
    const p = this.principal;
    switch (p.role) {
      case 'province':
      case 'county':
      case 'site_officer':
        return placeFilter(p, { site: 'l.site_id', region: 'l.region_code' }, n);
      case 'grid_worker': {
        const sites = gridWorkerSites(p, 'l.site_id', n + 1);
        return {
          sql: `(l.owner_subject = $${n} OR (l.kind = 'grid' AND ${sites.sql}))`,
          params: [p.subject, ...sites.params],
        };
      }
      case 'unit_member':
        return {
          sql: `(l.owner_subject = $${n} OR l.owner_unit_id = ${uuidParam(n + 1)})`,
          params: [p.subject, p.unitId],
        };
      case 'resident':
        // A member of the site's supervisory committee (居监会) reviews all of its items.
        return {
          sql: `(l.owner_subject = $${n} OR l.site_id IN (${supervisedSites(n + 1)}))`,
          params: [p.subject, p.residentId],
        };
      default:
        return { sql: `l.owner_subject = $${n}`, params: [p.subject] };
    }
  }

  /** Resolutions of co-building council meetings the caller can already read (the meeting carries the scope). */
  byCoBuildingMeetings(meetingIds: readonly string[]): Promise<(ListItemRow & { coBuildingMeetingId: string })[]> {
    return this.db.query(
      `SELECT ${COLUMNS}, l.co_building_meeting_id AS "coBuildingMeetingId" FROM list_item l
        WHERE l.co_building_meeting_id = ANY(as_uuids($1)) ORDER BY l.resolution_no`,
      [meetingIds],
    );
  }

  /** Resolutions of joint meetings the caller can already read (the meeting carries the scope). */
  byMeetings(meetingIds: readonly string[]): Promise<ListItemRow[]> {
    return this.db.query(
      `SELECT ${COLUMNS} FROM list_item l WHERE l.resolution_of = ANY(as_uuids($1)) ORDER BY l.resolution_no`,
      [meetingIds],
    );
  }

  byIds(ids: readonly string[]): Promise<ListItemRow[]> {
    const scope = this.scope(2);
    return this.db.query(`SELECT ${COLUMNS} FROM list_item l WHERE l.id = ANY(as_uuids($1)) AND ${scope.sql}`, [
      ids,
      ...scope.params,
    ]);
  }

  /** The three lists, filtered; `overdue`: open or in progress past the due date (today in China). */
  async list(args: {
    siteId?: string | null;
    kind?: ListKind | null;
    status?: ListItemStatus | null;
    overdue?: boolean | null;
    mine?: boolean | null;
    first?: number | null;
    after?: string | null;
  }) {
    const scope = this.scope(7);
    const params: unknown[] = [
      args.siteId ?? null,
      args.kind ?? null,
      args.status ?? null,
      args.overdue ?? null,
      provinceDate(this.clock.now()),
      args.mine ? this.principal.subject : null,
      ...scope.params,
    ];
    const where = `($1::text IS NULL OR l.site_id = as_uuid($1)) AND ($2::text IS NULL OR l.kind = $2)
        AND ($3::text IS NULL OR l.status = $3)
      AND ($4::boolean IS NULL OR (l.status IN ('open', 'in_progress') AND l.due_on < $5::date) = $4)
      AND ($6::text IS NULL OR l.owner_subject = $6) AND ${scope.sql}`;
    const list = { columns: COLUMNS, from: 'list_item l', where, params };
    return keysetPage<ListItemRow>(this.db, list, args, asc(['l.due_on', 'date', 'dueOn'], ['l.id', 'uuid', 'id']));
  }

  async create(siteId: string, input: ListItemInput): Promise<ListItemRow> {
    requireRole(this.principal, 'county', 'site_officer');
    const site = await siteForWrite(this.db, this.principal, siteId, 'input.siteId');
    const item = checkListItem(input, 'input', provinceDate(this.clock.now()));
    return this.db.transaction(async (m) => {
      const id = await insertListItem(m, site, item, null);
      await audit(m, this.principal, {
        action: 'list_item.create',
        entityType: 'ListItem',
        entityId: id,
        siteId: site.id,
        regionCode: site.regionCode,
        detail: { kind: item.kind },
      });
      const [row] = await m.query(`SELECT ${COLUMNS} FROM list_item l WHERE l.id = $1`, [id]);
      return row;
    });
  }

  /**
   * Moves an item on: open → in progress → done (with a completion note), or cancelled. Officers of the site, or the
   * item's owner.
   */
  async setStatus(id: string, status: ListItemStatus, note: string | null | undefined): Promise<ListItemRow> {
    if (!isUuid(id)) throw new InputError('id', 'Not a list item id.', 'FORMAT');
    const [row]: ListItemRow[] = await this.byIds([id]);
    if (!row) throw new NotFoundError('id', 'No such list item.');
    const p = this.principal;
    const officer =
      (p.role === 'site_officer' || p.role === 'county' || p.role === 'province') &&
      coversPlace(p, { siteId: row.siteId, regionCode: row.regionCode });
    const owner =
      row.ownerSubject === p.subject || (p.role === 'unit_member' && !!row.ownerUnitId && row.ownerUnitId === p.unitId);
    if (!officer && !owner) throw new NotFoundError('id', 'No such list item.');
    if (!TRANSITIONS[row.status].includes(status))
      throw new InputError('status', `A ${row.status} item cannot become ${status}.`, 'BAD_TRANSITION');
    const text = note?.trim() || null;
    if ((status === 'done' || status === 'cancelled') && (!text || text.length < 2))
      throw new InputError('note', 'Say what was done, or why it was cancelled.');
    return this.db.transaction(async (m) => {
      const [changed] = returning<{ id: string }>(
        await m.query(
          `UPDATE list_item SET status = $2, completion_note = coalesce($3, completion_note),
           completed_by = CASE WHEN $2 IN ('done', 'cancelled') THEN $4 ELSE completed_by END,
           completed_at = CASE WHEN $2 IN ('done', 'cancelled') THEN now() ELSE completed_at END
         WHERE id = $1 AND status = $5 RETURNING id`,
          [id, status, text, p.subject, row.status],
        ),
      );
      if (!changed) throw new ConflictError('id', 'The item changed meanwhile.', 'BAD_TRANSITION');
      await audit(m, p, {
        action: 'list_item.status',
        entityType: 'ListItem',
        entityId: id,
        siteId: row.siteId,
        regionCode: row.regionCode,
        detail: { from: row.status, to: status },
      });
      const [after] = await m.query(`SELECT ${COLUMNS} FROM list_item l WHERE l.id = $1`, [id]);
      return after;
    });
  }
}
