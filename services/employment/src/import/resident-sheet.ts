import type { DataSource, EntityManager } from 'typeorm';
import {
  ImportRaceError,
  NATIONAL_ID_PROBLEMS,
  SheetImport,
  isUuid,
  parseNationalId,
  returning,
  type Clock,
  type ColumnSpec,
  type ImportRow,
  type LookupHasher,
  type Principal,
  type SpreadsheetLimits,
  type XlsxColumn,
} from '@anju/kit';
import { coversHousehold } from '../scope';

/** A resident as employment knows them, found by the keyed hash of their ID number. */
export interface KnownResident {
  residentId: string;
  householdId: string;
  siteId: string;
  regionCode: string;
  gridId: string | null;
  movedOutOn: string | null;
}

/** A row that names a resident by 身份证号 (a county's sheet) or by 居民编号 (employment's own export brought back). */
export interface ResidentRow<K extends string> extends ImportRow<K> {
  hash?: Buffer;
  residentId?: string;
  resident?: KnownResident;
}

/** The two columns that name a row's resident; one of them is filled. */
export type ResidentKey = 'nationalId' | 'residentId';

/**
 * 身份证号 and 居民编号: a county's sheet names residents by ID number; employment's exports, which
 * hold no ID number, by the resident's id, so an export comes back through the import. Neither
 * column is required alone: a row fills one (else REQUIRED, on 身份证号).
 */
export const RESIDENT_COLUMNS = {
  nationalId: { key: 'nationalId', header: '身份证号', aliases: ['身份证号码', '公民身份号码'] },
  residentId: { key: 'residentId', header: '居民编号', aliases: ['居民ID'] },
} as const satisfies Record<ResidentKey, ColumnSpec<ResidentKey>>;

/**
 * A template's columns: required ones marked *, 身份证号 too (a county's sheet names its residents
 * so); 居民编号 is left out (exports fill it, clerks do not).
 */
export function templateColumns<K extends string>(
  columns: readonly ColumnSpec<K>[],
  more: (c: ColumnSpec<K>) => Partial<XlsxColumn> = () => ({}),
): XlsxColumn[] {
  return columns
    .filter((c) => c.key !== 'residentId')
    .map((c) => ({
      header: `${c.header}${c.required || c.key === 'nationalId' ? '*' : ''}`,
      width: c.key === 'nationalId' ? 22 : undefined,
      ...more(c),
    }));
}

/**
 * An import of employment's sheets, whose rows name a resident by their ID number (身份证号), as
 * counties' sheets do. The number is hashed with governance's key (PII_HASH_KEY) and found among
 * the labour profiles by the hash resident.registered brought: it is never stored, nor sent
 * anywhere. A resident not registered (or registered before hashes travelled), outside the
 * caller's scope (a grid worker's grids, an officer's sites and regions) or moved out is a row
 * error — the same UNKNOWN_RESIDENT for the first two, so a sheet cannot probe who lives where.
 */
export abstract class ResidentSheetImport<K extends string, R extends ResidentRow<K>> extends SheetImport<K, R> {
  constructor(
    protected readonly db: DataSource,
    private readonly hasher: LookupHasher,
    protected readonly principal: Principal,
    protected readonly clock: Clock,
    limits: SpreadsheetLimits,
  ) {
    super(limits);
  }

  /**
   * Reads the row's resident: the ID number cell into its hash (the number itself is dropped), or
   * else the 居民编号 an export wrote; an error if neither names one.
   */
  protected readResident(r: R): void {
    const values = r.sheet.values as Record<string, string>;
    const cell = (values.nationalId ?? '').replace(/\s/g, '');
    const id = (values.residentId ?? '').trim();
    if (cell) {
      const parsed = parseNationalId(cell, this.clock.now());
      if (parsed.ok) r.hash = this.hasher.lookupHash(parsed.facts.normalized);
      else this.fail(r, 'nationalId' as K, `NATIONAL_ID_${parsed.problem}`, NATIONAL_ID_PROBLEMS[parsed.problem]);
    } else if (id) {
      if (isUuid(id)) r.residentId = id.toLowerCase();
      else this.fail(r, 'residentId' as K, 'FORMAT', '居民编号应为导出表格中的编号，请勿修改');
    } else this.fail(r, 'nationalId' as K, 'REQUIRED', '身份证号不能为空');
  }

  /** Finds the residents of the rows (one statement), in the caller's scope. */
  protected async findResidents(rows: R[]): Promise<void> {
    const hashes = rows.filter((r) => r.hash).map((r) => r.hash!);
    const ids = rows.filter((r) => r.residentId).map((r) => r.residentId!);
    const found: (KnownResident & { hash: Buffer | null })[] =
      hashes.length || ids.length
        ? await this.db.query(
            `SELECT lp.national_id_hash AS hash, lp.resident_id AS "residentId", lp.household_id AS "householdId",
        lp.site_id AS "siteId",
              lp.region_code AS "regionCode", hp.grid_id AS "gridId",
              to_char(lp.moved_out_on, 'YYYY-MM-DD') AS "movedOutOn"
         FROM labour_profile lp LEFT JOIN household_place hp ON hp.household_id = lp.household_id
        WHERE lp.national_id_hash = ANY($1::bytea[]) OR lp.resident_id = ANY($2::uuid[])`,
            [hashes, ids],
          )
        : [];
    const byHash = new Map(found.filter((f) => f.hash).map((f) => [f.hash!.toString('hex'), f]));
    const byId = new Map(found.map((f) => [f.residentId, f]));
    for (const r of rows) {
      if (!r.hash && !r.residentId) continue;
      const key = (r.hash ? 'nationalId' : 'residentId') as K;
      const resident = r.hash ? byHash.get(r.hash.toString('hex')) : byId.get(r.residentId!);
      if (!resident || !coversHousehold(this.principal, resident)) {
        this.fail(
          r,
          key,
          'UNKNOWN_RESIDENT',
          r.hash ? '您管辖范围内没有登记此身份证号的居民（请先导入户籍花名册）' : '您管辖范围内没有此居民编号的居民',
        );
      } else if (resident.movedOutOn) {
        this.fail(r, key, 'MOVED_OUT', `该居民已于 ${resident.movedOutOn} 迁出`);
      } else r.resident = resident;
    }
  }
}

/**
 * Takes (or with -1 frees) one place per id given (a post's `filled`, a course's `enrolled`), in one
 * statement; one whose places ran out since the check fails the whole import (nothing written).
 */
export async function takePlaces(
  m: EntityManager,
  places: { table: 'job_posting' | 'training_course'; taken: 'filled' | 'enrolled' },
  ids: string[],
  sign: 1 | -1 = 1,
): Promise<void> {
  if (!ids.length) return;
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  const { table, taken } = places;
  const changed = returning<{ id: string }>(
    await m.query(
      `UPDATE ${table} t SET ${taken} = t.${taken} + $3 * c.n FROM unnest($1::uuid[], $2::int[]) AS c(id, n)
      WHERE t.id = c.id AND t.${taken} + $3 * c.n BETWEEN 0 AND t.capacity RETURNING t.id`,
      [[...counts.keys()], [...counts.values()], sign],
    ),
  );
  if (changed.length !== counts.size) throw new ImportRaceError();
}
