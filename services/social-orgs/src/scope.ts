import {
  ForbiddenError,
  NotFoundError,
  isUuid,
  regionFilter,
  scopeFilter,
  type Principal,
  type SqlFilter,
  type SqlRunner,
} from '@anju/kit';

/**
 * Social-orgs' scope rules over its own tables, declared through the kit's `scopeFilter`. Records
 * here belong to organizations (社会组织), not to sites: NGO members reach their own organization's;
 * province and county officers those serving or placed in their regions; everyone else none
 * (residents get narrower, feature-specific rules where they have any).
 */

/** Organizations (alias `o`): NGO members their own; officers those serving a region inside theirs. */
export function organizationScope(p: Principal, firstParam: number): SqlFilter {
  const serving: (q: Principal, n: number) => SqlFilter = (q, n) => ({
    sql: `EXISTS (SELECT 1 FROM unnest(o.service_region_codes) c WHERE c LIKE ANY($${n}::text[]))`,
    params: [q.regions.map((r) => `${r}%`)],
  });
  return scopeFilter(
    p,
    {
      roles: {
        ngo_member: (m, n) => ({ sql: `o.id = $${n}::uuid`, params: [m.organizationId] }),
        province: serving,
        county: serving,
      },
    },
    firstParam,
  );
}

/**
 * The scope of an organization's own records (activities, workers, cases, referrals…) as SQL
 * over their `organization_id` column: an NGO member's token sees its own organization only;
 * province and county officers those of organizations serving a region inside theirs.
 */
export function ownedScope(p: Principal, orgColumn: string, firstParam: number): SqlFilter {
  const serving: (q: Principal, n: number) => SqlFilter = (q, n) => {
    const s = organizationScope(q, n);
    return { sql: `${orgColumn} IN (SELECT o.id FROM organization o WHERE ${s.sql})`, params: s.params };
  };
  return scopeFilter(
    p,
    {
      roles: {
        ngo_member: (m, n) => ({ sql: `${orgColumn} = $${n}::uuid`, params: [m.organizationId] }),
        province: serving,
        county: serving,
      },
    },
    firstParam,
  );
}

/**
 * The scope of records that belong to a place as well as to an organization — contracts (the
 * purchasing region), venture applications (their call's region), cases (their site's region),
 * and the milestones, payments, reviews and referrals under them, each carrying `region_code`:
 * an NGO member sees its organization's; province and county officers those placed in their
 * regions — not every record of an organization that also serves another county.
 */
export function placedScope(p: Principal, alias: string, firstParam: number): SqlFilter {
  const placed = (q: Principal, n: number) => regionFilter(q, `${alias}.region_code`, n);
  return scopeFilter(
    p,
    {
      roles: {
        ngo_member: (m, n) => ({ sql: `${alias}.organization_id = $${n}::uuid`, params: [m.organizationId] }),
        province: placed,
        county: placed,
      },
    },
    firstParam,
  );
}

/** The region of a site social-orgs knows (from governance's site.registered), or null. */
export async function siteRegion(db: SqlRunner, siteId: string): Promise<string | null> {
  const [row] = await db.query(`SELECT region_code FROM site_directory WHERE site_id = $1`, [siteId]);
  return row?.region_code ?? null;
}

/** Whether an organization serves a region (one of its service regions contains it). */
export async function servesRegion(db: SqlRunner, organizationId: string, regionCode: string): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM organization o WHERE o.id = $1 AND $2 LIKE ANY
     (SELECT c || '%' FROM unnest(o.service_region_codes) c)`,
    [organizationId, regionCode],
  );
  return rows.length > 0;
}

/**
 * The organization a write acts for: an NGO member always its own (naming another is refused);
 * an officer must name one serving their regions. Returns its id.
 */
export async function organizationToManage(
  db: SqlRunner,
  p: Principal,
  requested: string | null | undefined,
  field = 'input.organizationId',
): Promise<string> {
  if (p.role === 'ngo_member') {
    if (requested && requested !== p.organizationId)
      throw new ForbiddenError('An NGO member acts for its own organization only.');
    return p.organizationId!;
  }
  if (p.role !== 'province' && p.role !== 'county')
    throw new ForbiddenError('This needs an NGO member or a province or county officer.');
  if (!isUuid(requested)) throw new NotFoundError(field, 'Name the organization (organizationId) this is for.');
  const s = organizationScope(p, 2);
  const rows = await db.query(`SELECT o.id FROM organization o WHERE o.id = $1 AND ${s.sql}`, [requested, ...s.params]);
  if (!rows.length) throw new NotFoundError(field, 'No such organization in your scope.');
  return requested;
}

/**
 * One row by id inside the caller's scope, or NOT_FOUND (records of other organizations do not exist for the caller).
 */
export async function scopedRow<T>(
  db: SqlRunner,
  p: Principal,
  table: string,
  id: string,
  field: string,
  opts: { lock?: boolean; what?: string; placed?: boolean } = {},
): Promise<T & { id: string; organization_id: string }> {
  if (!isUuid(id)) throw new NotFoundError(field, `No such ${opts.what ?? 'record'}.`);
  const s = opts.placed ? placedScope(p, 't', 2) : ownedScope(p, 't.organization_id', 2);
  const rows = await db.query(
    `SELECT t.* FROM ${table} t WHERE t.id = $1 AND ${s.sql}${opts.lock ? ' FOR UPDATE' : ''}`,
    [id, ...s.params],
  );
  if (!rows.length) throw new NotFoundError(field, `No such ${opts.what ?? 'record'} in your scope.`);
  return rows[0];
}
