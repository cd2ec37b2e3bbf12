import type { DataSource, EntityManager } from 'typeorm';
import {
  InputError,
  NotFoundError,
  addDays,
  audit,
  coversPlace,
  isUuid,
  provinceDate,
  requireRole,
  type Clock,
  type Principal,
} from '@anju/kit';

/** 入户走访 — a grid worker's visit to a household. */
export interface HouseholdVisitRow {
  id: string;
  householdId: string;
  visitedOn: string;
  visitedBy: string;
  note: string;
}

const COLUMNS = `v.id, v.household_id AS "householdId", to_char(v.visited_on, 'YYYY-MM-DD') AS "visitedOn",
                   v.visited_by AS "visitedBy", v.note`;

/** How far back a visit may be recorded: a week's notes typed up late, not last year's. */
export const VISIT_BACKDATE_DAYS = 30;

/**
 * Writes a visit, moves the household's latest visit on, and completes its open "not visited" task,
 * in the caller's transaction.
 */
export async function insertVisit(
  m: Pick<EntityManager, 'query'>,
  h: { id: string; siteId: string; regionCode: string; gridId: string | null },
  visit: { visitedOn: string; note: string },
  by: string,
  now: Date,
): Promise<HouseholdVisitRow> {
  const [row] = await m.query(
    `INSERT INTO household_visit AS v (household_id, site_id, region_code, grid_id, visited_on, visited_by, note,
       recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
    [h.id, h.siteId, h.regionCode, h.gridId, visit.visitedOn, by, visit.note, now],
  );
  await m.query(`UPDATE household SET last_visited_on = greatest(last_visited_on, $2::date) WHERE id = $1`, [
    h.id,
    visit.visitedOn,
  ]);
  await m.query(
    `UPDATE grid_task SET status = 'done', done_at = $2, done_by = $3, note = $4
      WHERE household_id = $1 AND kind = 'household_unvisited' AND status = 'open'`,
    [h.id, now, by, visit.note],
  );
  return row;
}

export class HouseholdVisitService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly clock: Clock,
  ) {}

  /** Visits of a household the caller can already read (the resolver checks it), latest first. */
  ofHousehold(householdId: string): Promise<HouseholdVisitRow[]> {
    return this.db.query(
      `SELECT ${COLUMNS} FROM household_visit v WHERE v.household_id = $1 ORDER BY v.visited_on DESC, v.recorded_at DESC
       LIMIT 100`,
      [householdId],
    );
  }

  /** The grid worker of the household's grid, or an officer of its site, records a visit. */
  async record(input: { householdId: string; visitedOn: string; note: string }): Promise<HouseholdVisitRow> {
    requireRole(this.principal, 'site_officer', 'grid_worker');
    if (!isUuid(input.householdId)) throw new InputError('input.householdId', 'Not a household id.', 'FORMAT');
    const today = provinceDate(this.clock.now());
    const day = input.visitedOn;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !new Date(`${day}T00:00:00Z`).toISOString().startsWith(day)) {
      throw new InputError('input.visitedOn', 'The day of the visit is a real date (YYYY-MM-DD).', 'FORMAT');
    }
    if (day > today) throw new InputError('input.visitedOn', 'A visit is recorded after it happens.', 'FUTURE');
    if (day < addDays(today, -VISIT_BACKDATE_DAYS)) {
      throw new InputError('input.visitedOn', `A visit is recorded within ${VISIT_BACKDATE_DAYS} days.`, 'TOO_OLD');
    }
    const note = input.note.trim();
    if (note.length < 2 || note.length > 1000)
      throw new InputError('input.note', 'Say what was found or done (2 to 1000 characters).');
    const [h] = await this.db.query(
      `SELECT h.id, h.site_id AS "siteId", s.region_code AS "regionCode", b.grid_id AS "gridId"
         FROM household h JOIN site s ON s.id = h.site_id LEFT JOIN building b ON b.id = h.building_id WHERE h.id = $1`,
      [input.householdId],
    );
    // Outside the caller's grid or site reads as not found: no telling which households exist elsewhere.
    if (!h || !coversPlace(this.principal, h)) throw new NotFoundError('input.householdId', 'No such household.');
    return this.db.transaction(async (m) => {
      const row = await insertVisit(m, h, { visitedOn: day, note }, this.principal.subject, this.clock.now());
      await audit(m, this.principal, {
        action: 'household.visit',
        entityType: 'Household',
        entityId: h.id,
        siteId: h.siteId,
        regionCode: h.regionCode,
        detail: { visitedOn: day },
      });
      return row;
    });
  }
}
