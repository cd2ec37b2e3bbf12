import type { DataSource } from 'typeorm';
import {
  ForbiddenError,
  InputError,
  NotFoundError,
  audit,
  requireRole,
  type Principal,
  uuidsOf,
  uuidParam,
  isUuid,
} from '@anju/kit';

export type UnitKind = 'party_org' | 'department' | 'enterprise' | 'social_org';

export interface UnitRow {
  id: string;
  name: string;
  kind: UnitKind;
  regions: string[];
  registeredAt: Date;
}

const COLUMNS = `u.id, u.name, u.kind, u.regions, u.registered_at AS "registeredAt"`;

export interface BoardEntry {
  demandId: string;
  category: string;
  status: string;
  unitId: string;
  unitName: string;
  unitKind: UnitKind;
  promisedOn: string;
  claimedAt: Date;
  fulfilledAt: Date | null;
  overdue: boolean;
}

/** 区域单位 — party organizations, departments, enterprises and social organizations that claim demands. */
export class UnitService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
  ) {}

  /** Units are public by name (the claims board shows them); ids in, rows out. */
  byIds(ids: readonly string[]): Promise<UnitRow[]> {
    return this.db.query(`SELECT ${COLUMNS} FROM unit u WHERE u.id = ANY($1::uuid[])`, [uuidsOf(ids)]);
  }

  /** Units working in the caller's regions (officers), or the caller's own unit. */
  list(): Promise<UnitRow[]> {
    const p = this.principal;
    if (p.role === 'unit_member')
      return this.db.query(`SELECT ${COLUMNS} FROM unit u WHERE u.id = ${uuidParam(1)}`, [p.unitId]);
    if (p.role !== 'province' && p.role !== 'county')
      throw new ForbiddenError('Only province and county officers list units.');
    return this.db.query(
      `SELECT ${COLUMNS} FROM unit u WHERE EXISTS (SELECT 1 FROM unnest(u.regions) r, unnest($1::text[]) mine
          WHERE r LIKE mine || '%' OR mine LIKE r || '%')
        ORDER BY u.name, u.id LIMIT 500`,
      [p.regions],
    );
  }

  /** Registers a unit for regions inside the officer's own. */
  async register(input: { name: string; kind: UnitKind; regions: string[] }): Promise<UnitRow> {
    const p = this.principal;
    requireRole(p, 'province', 'county');
    const name = input.name.trim();
    if (!name || name.length > 200) throw new InputError('input.name', 'A unit name has 1 to 200 characters.');
    const regions = [...new Set(input.regions.map((r) => r.trim()))];
    if (regions.length === 0) throw new InputError('input.regions', 'A unit works in at least one region.', 'EMPTY');
    for (const r of regions) {
      if (!/^\d{2,6}$/.test(r)) throw new InputError('input.regions', `Not a region code: ${r}.`, 'FORMAT');
      if (!p.regions.some((mine) => r.startsWith(mine))) throw new ForbiddenError(`Region ${r} is outside your scope.`);
    }
    return this.db.transaction(async (m) => {
      const [row]: UnitRow[] = await m.query(
        `INSERT INTO unit AS u (name, kind, regions, registered_by) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
        [name, input.kind, regions, p.subject],
      );
      await audit(m, p, {
        action: 'unit.register',
        entityType: 'unit',
        entityId: row.id,
        detail: { regions, fields: ['name', 'kind'] },
      });
      return row;
    });
  }

  /**
   * The public claims board of a site (认领公示): who claimed what, by when, and what was done.
   * Any signed-in caller may read it; it shows categories and units, never households.
   */
  async board(siteId: string): Promise<BoardEntry[]> {
    if (!isUuid(siteId)) throw new NotFoundError('siteId', 'No such site.');
    return this.db.query(
      `SELECT d.id AS "demandId", d.category, d.status, u.id AS "unitId", u.name AS "unitName", u.kind AS "unitKind",
              to_char(d.promised_on, 'YYYY-MM-DD') AS "promisedOn", d.claimed_at AS "claimedAt",
              (SELECT max(t.at) FROM demand_transition t WHERE t.demand_id = d.id
                AND t.to_status = 'fulfilled') AS "fulfilledAt",
              d.overdue_since IS NOT NULL AS overdue
         FROM demand d JOIN unit u ON u.id = d.unit_id
        WHERE d.site_id = $1 ORDER BY d.claimed_at DESC, d.id LIMIT 200`,
      [siteId],
    );
  }
}
