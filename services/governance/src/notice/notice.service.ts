import type { DataSource } from 'typeorm';
import {
  ConflictError,
  ForbiddenError,
  InputError,
  NotFoundError,
  coversPlace,
  requireRole,
  type Clock,
  type Principal,
  uuidsOf,
  audit,
  type SqlRunner,
  isUuid,
  keysetPage,
  desc,
} from '@anju/kit';
import type { NoticeCategory, NoticeStatus } from './notice.types';
import { notifySelect } from '../notification/notify';
import { NOTICE_PUBLISHED_NOTIFICATIONS, notifyNoticesPublished } from '../notification/notice-publicity';
import { gridWorkerSites } from '../scope';

export interface NoticeRow {
  id: string;
  category: NoticeCategory;
  title: string;
  body: string;
  publishAt: Date;
  expiresAt: Date | null;
  status: NoticeStatus;
  publishedAt: Date | null;
  siteIds: string[];
}

const COLUMNS = `n.id, n.category, n.title, n.body, n.publish_at AS "publishAt", n.expires_at AS "expiresAt", n.status,
    n.published_at AS "publishedAt",
  ARRAY(SELECT ns2.site_id::text FROM notice_site ns2 WHERE ns2.notice_id = n.id ORDER BY ns2.site_id) AS "siteIds"`;

export interface CreateNoticeInput {
  siteIds: string[];
  category: NoticeCategory;
  title: string;
  body: string;
  publishAt?: string | null;
  expiresAt?: string | null;
}

/** Publishes every scheduled notice whose time has come (idempotent; set-based). */
export async function publishDueNotices(db: SqlRunner, now: Date): Promise<{ published: number }> {
  // Published and sent to the residents' inboxes and phones in one statement (多渠道宣传).
  const { counted } = await notifySelect(db, NOTICE_PUBLISHED_NOTIFICATIONS, [now], now, {
    count: 'published',
    with: `published AS (
      UPDATE notice SET status = 'published', published_at = $1 WHERE status = 'scheduled' AND publish_at <= $1
      RETURNING id)`,
  });
  return { published: counted };
}

/**
 * Writes a notice and its audience sites (the caller checked scope and text); one published at
 * once reaches its readers' inboxes and phones (多渠道宣传) in the same transaction. Also how other
 * features publish on the disclosure board: a deliberation's outcome (议事结果) is a notice.
 */
export async function insertNotice(
  m: SqlRunner,
  n: {
    category: NoticeCategory;
    title: string;
    body: string;
    publishAt: Date;
    expiresAt?: Date | null; /** When it was published, or null while scheduled. */
    publishedAt: Date | null;
    createdBy: string;
    siteIds: string[];
  },
): Promise<string> {
  const [{ id }] = await m.query(
    `INSERT INTO notice (category, title, body, publish_at, expires_at, status, published_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [
      n.category,
      n.title,
      n.body,
      n.publishAt,
      n.expiresAt ?? null,
      n.publishedAt ? 'published' : 'scheduled',
      n.publishedAt,
      n.createdBy,
    ],
  );
  await m.query(
    `INSERT INTO notice_site (notice_id, site_id, region_code)
    SELECT $1, s.id, s.region_code FROM site s WHERE s.id = ANY(as_uuids($2))`,
    [id, n.siteIds],
  );
  if (n.publishedAt) await notifyNoticesPublished(m, [id], n.publishedAt);
  return id;
}

export class NoticeService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
  ) {}

  /**
   * Officers: notices for their sites/regions in any state. Grid workers: published to the sites of
   * their grids. Residents: published, unexpired notices of their own site.
   */
  private scope(n: number, now: Date): { sql: string; params: unknown[] } {
    const p = this.principal;
    const live = `n.status = 'published' AND (n.expires_at IS NULL OR n.expires_at > $${n})`;
    const audience = (cond: string) => `EXISTS (SELECT 1 FROM notice_site ns WHERE ns.notice_id = n.id AND ${cond})`;
    switch (p.role) {
      case 'province':
      case 'county':
        return { sql: audience(`ns.region_code LIKE ANY($${n}::text[])`), params: [p.regions.map((r) => `${r}%`)] };
      case 'site_officer':
        return { sql: audience(`ns.site_id = ANY($${n}::uuid[])`), params: [uuidsOf(p.sites)] };
      case 'grid_worker': {
        const sites = gridWorkerSites(p, 'ns.site_id', n + 1);
        return { sql: `${live} AND ${audience(sites.sql)}`, params: [now, ...sites.params] };
      }
      case 'resident':
        return {
          sql: `${live}
                  AND ${audience(`ns.site_id IN (SELECT site_id FROM resident
                                                 WHERE id = $${n + 1}::uuid AND moved_out_on IS NULL)`)}`,
          params: [now, p.residentId],
        };
      default:
        return { sql: 'false', params: [] };
    }
  }

  byIds(ids: readonly string[]): Promise<NoticeRow[]> {
    const scope = this.scope(2, this.clock.now());
    return this.db.query(`SELECT ${COLUMNS} FROM notice n WHERE n.id = ANY(as_uuids($1)) AND ${scope.sql}`, [
      ids,
      ...scope.params,
    ]);
  }

  /** Notices newest first (by publish time), optionally of one site and category. */
  async list(args: {
    siteId?: string | null;
    category?: NoticeCategory | null;
    first?: number | null;
    after?: string | null;
  }) {
    const now = this.clock.now();
    const scope = this.scope(3, now);
    const params: unknown[] = [args.siteId ?? null, args.category ?? null, ...scope.params];
    const where = `($1::text IS NULL OR EXISTS (SELECT 1 FROM notice_site nf WHERE nf.notice_id = n.id
        AND nf.site_id = as_uuid($1)))
      AND ($2::text IS NULL OR n.category = $2) AND ${scope.sql}`;
    const list = { columns: COLUMNS, from: 'notice n', where, params };
    const sort = desc<NoticeRow>(['n.publish_at', 'timestamp', 'publishAt'], ['n.id', 'uuid', 'id']);
    return keysetPage(this.db, list, args, sort);
  }

  /**
   * A notice for chosen sites; without `publishAt` it is published at once, otherwise by the publish job when its time
   * comes.
   */
  async create(input: CreateNoticeInput): Promise<NoticeRow> {
    const now = this.clock.now();
    const p = this.principal;
    requireRole(p, 'county', 'site_officer');
    const siteIds = [...new Set(input.siteIds)];
    if (!siteIds.length) throw new InputError('input.siteIds', 'Choose at least one site.', 'REQUIRED');
    if (siteIds.some((s) => !isUuid(s))) throw new InputError('input.siteIds', 'Not a site id.', 'FORMAT');
    const sites: { id: string; regionCode: string }[] = await this.db.query(
      `SELECT id, region_code AS "regionCode" FROM site WHERE id = ANY(as_uuids($1))`,
      [siteIds],
    );
    if (sites.length !== siteIds.length) throw new NotFoundError('input.siteIds', 'One of the sites does not exist.');
    if (sites.some((s) => !coversPlace(p, { siteId: s.id, regionCode: s.regionCode })))
      throw new ForbiddenError('One of the sites is outside your scope.');
    const title = input.title.trim();
    if (title.length < 2 || title.length > 200) throw new InputError('input.title', 'A title has 2 to 200 characters.');
    const body = input.body.trim();
    if (!body || body.length > 20000) throw new InputError('input.body', 'The text has 1 to 20,000 characters.');
    const publishAt = input.publishAt ? parseTime(input.publishAt, 'input.publishAt') : now;
    if (publishAt.getTime() < now.getTime() - 60_000)
      throw new InputError(
        'input.publishAt',
        'The publish time cannot be in the past (leave it out to publish now).',
        'PAST',
      );
    const expiresAt = input.expiresAt ? parseTime(input.expiresAt, 'input.expiresAt') : null;
    if (expiresAt && expiresAt <= publishAt)
      throw new InputError('input.expiresAt', 'A notice expires after it is published.', 'BEFORE_PUBLISH');
    const immediate = publishAt.getTime() <= now.getTime();
    return this.db.transaction(async (m) => {
      const id = await insertNotice(m, {
        category: input.category,
        title,
        body,
        publishAt,
        expiresAt,
        publishedAt: immediate ? now : null,
        createdBy: p.subject,
        siteIds,
      });
      for (const s of sites)
        await audit(m, p, {
          action: 'notice.create',
          entityType: 'Notice',
          entityId: id,
          siteId: s.id,
          regionCode: s.regionCode,
          detail: { category: input.category },
        });
      const [row] = await m.query(`SELECT ${COLUMNS} FROM notice n WHERE n.id = $1`, [id]);
      return row;
    });
  }

  async withdraw(id: string, reason: string): Promise<NoticeRow> {
    requireRole(this.principal, 'county', 'site_officer');
    const text = reason.trim();
    if (text.length < 2) throw new InputError('reason', 'Say why the notice is withdrawn.');
    const row = await this.forWrite(id);
    if (row.status === 'withdrawn') throw new ConflictError('id', 'The notice is already withdrawn.', 'BAD_TRANSITION');
    return this.db.transaction(async (m) => {
      await m.query(`UPDATE notice SET status = 'withdrawn', withdrawn_reason = $2 WHERE id = $1`, [id, text]);
      await audit(m, this.principal, { action: 'notice.withdraw', entityType: 'Notice', entityId: id });
      const [after] = await m.query(`SELECT ${COLUMNS} FROM notice n WHERE n.id = $1`, [id]);
      return after;
    });
  }

  /** Officers may change a notice only if every one of its sites is theirs. */
  private async forWrite(id: string): Promise<NoticeRow> {
    if (!isUuid(id)) throw new InputError('id', 'Not a notice id.', 'FORMAT');
    const [row] = await this.byIds([id]);
    if (!row) throw new NotFoundError('id', 'No such notice.');
    const sites: { id: string; regionCode: string }[] = await this.db.query(
      `SELECT site_id AS id, region_code AS "regionCode" FROM notice_site WHERE notice_id = $1`,
      [id],
    );
    if (sites.some((s) => !coversPlace(this.principal, { siteId: s.id, regionCode: s.regionCode })))
      throw new ForbiddenError('The notice also goes to sites outside your scope.');
    return row;
  }

  /** A resident marks a published notice of their site read (idempotent). */
  async markRead(id: string): Promise<NoticeRow> {
    const p = this.principal;
    requireRole(p, 'resident');
    if (!isUuid(id)) throw new InputError('id', 'Not a notice id.', 'FORMAT');
    const [row] = await this.byIds([id]);
    if (!row) throw new NotFoundError('id', 'No such notice.');
    await this.db.transaction(async (m) => {
      const rows = await m.query(
        `INSERT INTO notice_read (notice_id, resident_id, site_id) SELECT $1, r.id, r.site_id FROM resident r
         WHERE r.id = $2 ON CONFLICT DO NOTHING RETURNING site_id AS "siteId"`,
        [id, p.residentId],
      );
      // Every call is audited, a repeated one too (it changes nothing, and says so).
      await audit(m, p, {
        action: 'notice.read',
        entityType: 'Notice',
        entityId: id,
        siteId: rows[0]?.siteId ?? null,
        detail: rows.length ? {} : { again: true },
      });
    });
    return row;
  }

  /** Whether the calling resident has read each notice. */
  async readByMe(ids: readonly string[]): Promise<Set<string>> {
    if (this.principal.role !== 'resident') return new Set();
    const rows: { id: string }[] = await this.db.query(
      `SELECT notice_id::text AS id FROM notice_read WHERE notice_id = ANY(as_uuids($1)) AND resident_id = $2`,
      [ids, this.principal.residentId],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** Read rates per audience site (officers only): residents living at the site now, and how many of them read it. */
  async readStats(noticeIds: readonly string[]) {
    const p = this.principal;
    if (!['province', 'county', 'site_officer'].includes(p.role)) return noticeIds.map(() => null);
    const rows: { noticeId: string; siteId: string; residents: number; read: number }[] = await this.db.query(
      `SELECT ns.notice_id AS "noticeId", ns.site_id AS "siteId",
              (SELECT count(*) FROM resident r WHERE r.site_id = ns.site_id
                AND r.moved_out_on IS NULL)::int AS residents,
              (SELECT count(*) FROM notice_read nr JOIN resident r ON r.id = nr.resident_id
                 WHERE nr.notice_id = ns.notice_id AND nr.site_id = ns.site_id AND r.moved_out_on IS NULL)::int AS read
         FROM notice_site ns WHERE ns.notice_id = ANY(as_uuids($1)) ORDER BY ns.site_id`,
      [noticeIds],
    );
    const visible = (r: { siteId: string }) => (p.role === 'site_officer' ? p.sites.includes(r.siteId) : true);
    return noticeIds.map((id) =>
      rows
        .filter((r) => r.noticeId === id && visible(r))
        .map((r) => ({ ...r, rate: r.residents ? Math.round((r.read / r.residents) * 1000) / 1000 : 0 })),
    );
  }
}

/** An instant written ISO 8601 with an offset; a typed FORMAT error otherwise. */
export function parseTime(s: string, field: string): Date {
  const d = new Date(s);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(s) || Number.isNaN(d.getTime()))
    throw new InputError(field, 'A time is ISO 8601 with an offset, e.g. 2026-12-01T09:00:00+08:00.', 'FORMAT');
  return d;
}
