import type { DataSource } from 'typeorm';
import {
  NATIONAL_ID_PROBLEMS, SheetImport, parseNationalId, type Clock, type ImportRow, type PersonalDataVault, type Principal,
  type SpreadsheetLimits,
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

/** A row that names a resident by 身份证号. */
export interface ResidentRow<K extends string> extends ImportRow<K> {
  hash?: Buffer;
  resident?: KnownResident;
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
    private readonly vault: PersonalDataVault,
    protected readonly principal: Principal,
    protected readonly clock: Clock,
    limits: SpreadsheetLimits,
  ) {
    super(limits);
  }

  /** Reads the ID number cell of `key` into the row's hash, or an error. */
  protected readNationalId(r: R, key: K): void {
    const cell = r.sheet.values[key].replace(/\s/g, '');
    if (!cell) return;
    const parsed = parseNationalId(cell, this.clock.now());
    if (parsed.ok) r.hash = this.vault.lookupHash(parsed.facts.normalized);
    else this.fail(r, key, `NATIONAL_ID_${parsed.problem}`, NATIONAL_ID_PROBLEMS[parsed.problem]);
  }

  /** Finds the residents of the rows (one statement), in the caller's scope. */
  protected async findResidents(rows: R[], key: K): Promise<void> {
    const hashes = rows.filter((r) => r.hash).map((r) => r.hash!);
    const found: (KnownResident & { hash: Buffer })[] = hashes.length ? await this.db.query(
      `SELECT lp.national_id_hash AS hash, lp.resident_id AS "residentId", lp.household_id AS "householdId", lp.site_id AS "siteId",
              lp.region_code AS "regionCode", hp.grid_id AS "gridId", to_char(lp.moved_out_on, 'YYYY-MM-DD') AS "movedOutOn"
         FROM labour_profile lp LEFT JOIN household_place hp ON hp.household_id = lp.household_id
        WHERE lp.national_id_hash = ANY($1::bytea[])`, [hashes]) : [];
    const byHash = new Map(found.map((f) => [f.hash.toString('hex'), f]));
    for (const r of rows) {
      if (!r.hash) continue;
      const resident = byHash.get(r.hash.toString('hex'));
      if (!resident || !coversHousehold(this.principal, resident)) {
        this.fail(r, key, 'UNKNOWN_RESIDENT', '您管辖范围内没有登记此身份证号的居民（请先导入户籍花名册）');
      } else if (resident.movedOutOn) {
        this.fail(r, key, 'MOVED_OUT', `该居民已于 ${resident.movedOutOn} 迁出`);
      } else r.resident = resident;
    }
  }
}
