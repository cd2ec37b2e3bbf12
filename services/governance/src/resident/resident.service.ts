import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import {
  AppError,
  ConflictError,
  InputError,
  NotFoundError,
  coversPlace,
  isMobilePhone,
  maskNationalId,
  maskPhone,
  parseNationalId,
  requireRole,
  isIsoDate,
  provinceDate,
  startOfProvinceDay,
  type Clock,
  type PersonalDataVault,
  type Principal,
  audit,
  returning,
  isUuid,
  keysetPage,
  asc,
} from '@anju/kit';
import { publish } from '@anju/contracts';
import { type HouseholdService } from '../household/household.service';
import { scopeSql } from '../scope';
import type { LabourCapacity, RelationToHead } from './resident.types';

export interface ResidentRow {
  id: string;
  householdId: string;
  siteId: string;
  regionCode: string;
  name: string;
  nationalIdMasked: string;
  phoneMasked: string | null;
  gender: 'male' | 'female';
  birthDate: string;
  ethnicity: string;
  labourCapacity: LabourCapacity;
  canWorkAway: boolean;
  wantsWork: boolean;
  relationToHead: RelationToHead;
  movedInOn: string | null;
  registeredAt: Date;
  movedOutOn: string | null;
  movedOutReason: string | null;
  /** Languages spoken (普通话, 彝语, 苗语…), as entered. */
  languages: string[];
}

/** 年龄段: bands an officer filters by (labour age is 16–59). */
export type AgeBand = 'UNDER_16' | 'FROM_16_TO_35' | 'FROM_36_TO_45' | 'FROM_46_TO_59' | 'FROM_60';
export const AGE_BANDS: Record<AgeBand, [number, number | null]> = {
  UNDER_16: [0, 15],
  FROM_16_TO_35: [16, 35],
  FROM_36_TO_45: [36, 45],
  FROM_46_TO_59: [46, 59],
  FROM_60: [60, null],
};

export interface ResidentFilter {
  gridId?: string | null;
  buildingId?: string | null;
  householdId?: string | null;
  labourCapacity?: LabourCapacity | null;
  ageBand?: AgeBand | null;
  /** Moved-out residents are left out unless asked for. */
  includeMovedOut?: boolean | null;
}

export interface UpdateResidentInput {
  name?: string | null;
  ethnicity?: string | null;
  phone?: string | null;
  labourCapacity?: LabourCapacity | null;
  canWorkAway?: boolean | null;
  wantsWork?: boolean | null;
  relationToHead?: RelationToHead | null;
  movedInOn?: string | null;
  languages?: string[] | null;
}

// Sealed columns are never selected: the API has no code path that decrypts for a list.
const COLUMNS = `r.id, r.household_id AS "householdId", r.site_id AS "siteId", r.region_code AS "regionCode", r.name,
  r.national_id_masked AS "nationalIdMasked", r.phone_masked AS "phoneMasked", r.gender,
    to_char(r.birth_date, 'YYYY-MM-DD') AS "birthDate",
  r.ethnicity, r.labour_capacity AS "labourCapacity", r.can_work_away AS "canWorkAway", r.wants_work AS "wantsWork",
  r.relation_to_head AS "relationToHead", to_char(r.moved_in_on, 'YYYY-MM-DD') AS "movedInOn",
    r.registered_at AS "registeredAt",
  to_char(r.moved_out_on, 'YYYY-MM-DD') AS "movedOutOn", r.moved_out_reason AS "movedOutReason", r.languages`;

export interface RegisterResidentInput {
  householdId: string;
  name: string;
  nationalId: string;
  gender?: 'male' | 'female' | null;
  birthDate?: string | null;
  ethnicity: string;
  phone?: string | null;
  labourCapacity: LabourCapacity;
  canWorkAway: boolean;
  wantsWork: boolean;
  relationToHead: RelationToHead;
  movedInOn?: string | null;
  languages?: string[] | null;
}

/** What counts against a user's daily quota of lookups by full ID number. */
const LOOKUP_ACTIONS = ['resident.find_by_national_id', 'resident.register_duplicate'];

export class ResidentService {
  constructor(
    private readonly db: DataSource,
    private readonly vault: PersonalDataVault,
    private readonly principal: Principal,
    private readonly households: HouseholdService,
    private readonly clock: Clock,
    /** Lookups by full ID number one user may make per day in Yunnan (NATIONAL_ID_LOOKUPS_PER_DAY). */
    private readonly lookupsPerDay = 20,
  ) {}

  /**
   * Refuses a lookup by full ID number once the caller has spent the day's quota, counted from the
   * audit log (each lookup writes its row there). Serialized per user, so concurrent calls cannot
   * both take the last one; call inside the transaction that writes the audit row.
   */
  private async checkLookupQuota(m: { query: DataSource['query'] }, field: string): Promise<void> {
    const n = await nationalIdLookupsToday(m, this.principal.subject, this.clock);
    if (n >= this.lookupsPerDay) {
      throw new AppError(
        'FORBIDDEN',
        `You have used today's ${this.lookupsPerDay} lookups by full ID number; more tomorrow.`,
        field,
        { reason: 'DAILY_QUOTA' },
      );
    }
  }

  /**
   * 按身份证号查找: the resident with this full ID number, if in the caller's scope (null otherwise,
   * whether or not it is registered elsewhere). A reveal: officers who may reveal, with a reason,
   * audited, within the daily quota.
   */
  async findByNationalId(nationalId: string, reason: string): Promise<ResidentRow | null> {
    requireRole(this.principal, 'province', 'county', 'site_officer');
    const why = reason.trim();
    if (why.length < 2 || why.length > 200)
      throw new InputError('reason', 'Say why you need to find this person by ID number (2 to 200 characters).');
    const parsed = parseNationalId(nationalId, this.clock.now());
    if (!parsed.ok) throw new InputError('nationalId', parsed.message, parsed.problem);
    return this.db.transaction(async (m) => {
      await this.checkLookupQuota(m, 'nationalId');
      const scope = scopeSql(this.principal, 'r', 2, 'resident');
      const [row]: ResidentRow[] = await m.query(
        `SELECT ${COLUMNS} FROM resident r WHERE r.national_id_hash = $1 AND ${scope.sql}`,
        [this.vault.lookupHash(parsed.facts.normalized), ...scope.params],
      );
      await audit(m, this.principal, {
        action: 'resident.find_by_national_id',
        ...(row
          ? { entityType: 'Resident', entityId: row.id, siteId: row.siteId, regionCode: row.regionCode }
          : {
              entityType: 'NationalIdLookup',
              entityId: this.principal.subject,
              siteId: this.principal.sites[0] ?? null,
              regionCode: this.principal.regions[0] ?? null,
            }),
        detail: { reason: why, found: Boolean(row) },
      });
      return row ?? null;
    });
  }

  byIds(ids: readonly string[]): Promise<ResidentRow[]> {
    const scope = scopeSql(this.principal, 'r', 2, 'resident');
    return this.db.query(`SELECT ${COLUMNS} FROM resident r WHERE r.id = ANY(as_uuids($1)) AND ${scope.sql}`, [
      ids,
      ...scope.params,
    ]);
  }

  householdMembersLoader() {
    return new DataLoader<string, ResidentRow[]>(async (householdIds) => {
      const scope = scopeSql(this.principal, 'r', 2, 'resident');
      const rows: ResidentRow[] = await this.db.query(
        `SELECT ${COLUMNS} FROM resident r WHERE r.household_id = ANY(as_uuids($1)) AND ${scope.sql}
          ORDER BY (r.relation_to_head = 'head') DESC, r.birth_date`,
        [householdIds, ...scope.params],
      );
      return householdIds.map((id) => rows.filter((r) => r.householdId === id));
    });
  }

  /**
   * Residents by name, keyset-paginated, in the caller's scope: of one site (or every site in
   * scope), filtered by grid, building, household, labour capacity and age band. `search` is a
   * name fragment or a full ID number (matched through its keyed hash, never by decrypting).
   */
  async list(
    siteId: string | null | undefined,
    search: string | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
    filter: ResidentFilter = {},
  ) {
    const today = provinceDate(this.clock.now());
    const scope = scopeSql(this.principal, 'r', 1, 'resident');
    const params: unknown[] = [...scope.params];
    const add = (v: unknown) => `$${params.push(v)}`;
    const where: string[] = [scope.sql];
    if (siteId != null) where.push(`r.site_id = as_uuid(${add(siteId)})`);
    if (!filter.includeMovedOut) where.push(`r.moved_out_on IS NULL`);
    if (filter.labourCapacity) where.push(`r.labour_capacity = ${add(filter.labourCapacity)}`);
    if (filter.householdId) where.push(`r.household_id = as_uuid(${add(filter.householdId)})`);
    if (filter.buildingId)
      where.push(
        `r.household_id IN (SELECT fh.id FROM household fh WHERE fh.building_id = as_uuid(${add(filter.buildingId)}))`,
      );
    if (filter.gridId) {
      where.push(
        `r.household_id IN (SELECT fh.id FROM household fh JOIN building fb ON fb.id = fh.building_id
           WHERE fb.grid_id = as_uuid(${add(filter.gridId)}))`,
      );
    }
    if (filter.ageBand) {
      // Age as `age` shows it (by the year, see ageByYear): a..b ⇔ born in the years (Y − b) … (Y − a).
      const [from, to] = AGE_BANDS[filter.ageBand];
      const year = Number(today.slice(0, 4));
      where.push(`r.birth_date < ${add(`${year - from + 1}-01-01`)}::date`);
      if (to != null) where.push(`r.birth_date >= ${add(`${year - to}-01-01`)}::date`);
    }
    const term = search?.trim();
    if (term) {
      // A full ID number is a reveal (findResidentByNationalId): audited, for officers, within a quota.
      if (looksLikeNationalId(term)) {
        throw new InputError(
          'search',
          'Searching by a full ID number is a reveal: use findResidentByNationalId with a reason.',
          'REVEAL_REQUIRED',
        );
      }
      where.push(`r.name LIKE ${add(`%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
    }
    const sqlWhere = where.join(' AND ');
    const list = { columns: COLUMNS, from: 'resident r', where: sqlWhere, params };
    const sort = asc<ResidentRow>(['r.name', 'text', 'name'], ['r.id', 'uuid', 'id']);
    return keysetPage(this.db, list, { first, after }, sort);
  }

  /** A resident for a write: exists, in scope (a grid worker: in their grids), still living at the site. */
  private async forWrite(id: string, field: string) {
    if (!isUuid(id)) throw new InputError(field, 'Not a resident id.', 'FORMAT');
    const [row] = await this.db.query(
      `SELECT ${COLUMNS}, b.grid_id AS "gridId" FROM resident r JOIN household h ON h.id = r.household_id LEFT
       JOIN building b ON b.id = h.building_id WHERE r.id = $1`,
      [id],
    );
    if (!row) throw new NotFoundError(field, 'No such resident.');
    if (!coversPlace(this.principal, { siteId: row.siteId, regionCode: row.regionCode, gridId: row.gridId })) {
      throw new NotFoundError(field, 'No such resident.');
    }
    return row as ResidentRow & { gridId: string | null };
  }

  /** Corrects or updates a resident's facts; publishes resident.updated with the names of the changed fields. */
  async update(id: string, input: UpdateResidentInput): Promise<ResidentRow> {
    requireRole(this.principal, 'province', 'county', 'site_officer', 'grid_worker');
    const before = await this.forWrite(id, 'id');
    if (before.movedOutOn)
      throw new ConflictError('id', 'The resident has moved out; their record is closed.', 'MOVED_OUT');
    const sets: string[] = [];
    const params: unknown[] = [before.id];
    const changed: string[] = [];
    const set = (col: string, field: string, value: unknown, current: unknown) => {
      if (value === undefined || value === null || value === current) return;
      params.push(value);
      sets.push(`${col} = $${params.length}`);
      changed.push(field);
    };
    if (input.name != null) {
      const name = input.name.trim();
      if (!name || name.length > 50) throw new InputError('input.name', 'A name has 1 to 50 characters.');
      set('name', 'name', name, before.name);
    }
    if (input.ethnicity != null) {
      const e = input.ethnicity.trim();
      if (!e || e.length > 20)
        throw new InputError('input.ethnicity', 'The ethnic group (民族) has 1 to 20 characters.');
      set('ethnicity', 'ethnicity', e, before.ethnicity);
    }
    if (input.phone != null) {
      const phone = input.phone.replace(/[\s-]/g, '');
      if (!isMobilePhone(phone))
        throw new InputError('input.phone', 'A mobile number has 11 digits and starts with 13–19.', 'FORMAT');
      params.push(this.vault.seal(phone), maskPhone(phone));
      sets.push(`phone_sealed = $${params.length - 1}, phone_masked = $${params.length}`);
      changed.push('phone');
    }
    set('labour_capacity', 'labourCapacity', input.labourCapacity, before.labourCapacity);
    set('can_work_away', 'canWorkAway', input.canWorkAway, before.canWorkAway);
    set('wants_work', 'wantsWork', input.wantsWork, before.wantsWork);
    set('relation_to_head', 'relationToHead', input.relationToHead, before.relationToHead);
    if (input.movedInOn != null) {
      if (!isPastDate(input.movedInOn, this.clock))
        throw new InputError('input.movedInOn', 'The moved-in date is a real date (YYYY-MM-DD), not in the future.');
      set('moved_in_on', 'movedInOn', input.movedInOn, before.movedInOn);
    }
    if (input.languages != null) {
      const languages = spokenLanguages(input.languages, 'input.languages');
      if (languages.join('\n') !== before.languages.join('\n')) {
        params.push(languages);
        sets.push(`languages = $${params.length}`);
        changed.push('languages');
      }
    }
    if (!sets.length) return before;
    return this.db.transaction(async (m) => {
      const [row] = returning<ResidentRow>(
        await m.query(
          `UPDATE resident r SET ${sets.join(', ')}, updated_at = now() WHERE r.id = $1 AND r.moved_out_on IS NULL
           RETURNING ${COLUMNS}`,
          params,
        ),
      );
      if (!row) throw new ConflictError('id', 'The resident has moved out; their record is closed.', 'MOVED_OUT');
      await audit(m, this.principal, {
        action: 'resident.update',
        entityType: 'Resident',
        entityId: row.id,
        siteId: row.siteId,
        regionCode: row.regionCode,
        detail: { changed },
      });
      await publish(m, 'resident.updated', {
        ...eventFacts(row),
        gridId: await gridOfHousehold(m, row.householdId),
        changed,
      });
      return row;
    });
  }

  /** Records that a resident moved out (迁出) with the date and reason; publishes resident.moved_out. */
  async moveOut(id: string, input: { movedOutOn: string; reason: string }): Promise<ResidentRow> {
    requireRole(this.principal, 'province', 'county', 'site_officer', 'grid_worker');
    const before = await this.forWrite(id, 'id');
    if (before.movedOutOn) throw new ConflictError('id', 'The resident has already moved out.', 'ALREADY_MOVED_OUT');
    if (!isPastDate(input.movedOutOn, this.clock))
      throw new InputError('input.movedOutOn', 'The moved-out date is a real date (YYYY-MM-DD), not in the future.');
    if (before.movedInOn && input.movedOutOn < before.movedInOn)
      throw new InputError(
        'input.movedOutOn',
        'The moved-out date is on or after the moved-in date.',
        'BEFORE_MOVED_IN',
      );
    const reason = input.reason.trim();
    if (!reason || reason.length > 200) throw new InputError('input.reason', 'The reason has 1 to 200 characters.');
    return this.db.transaction(async (m) => {
      const [row] = returning<ResidentRow>(
        await m.query(
          `UPDATE resident r SET moved_out_on = $2, moved_out_reason = $3, updated_at = now() WHERE r.id = $1
             AND r.moved_out_on IS NULL RETURNING ${COLUMNS}`,
          [before.id, input.movedOutOn, reason],
        ),
      );
      if (!row) throw new ConflictError('id', 'The resident has already moved out.', 'ALREADY_MOVED_OUT');
      await audit(m, this.principal, {
        action: 'resident.move_out',
        entityType: 'Resident',
        entityId: row.id,
        siteId: row.siteId,
        regionCode: row.regionCode,
      });
      await publish(m, 'resident.moved_out', {
        residentId: row.id,
        householdId: row.householdId,
        siteId: row.siteId,
        regionCode: row.regionCode,
        movedOutOn: input.movedOutOn,
        reason,
      });
      return row;
    });
  }

  /**
   * The full ID number and phone of one resident, for officers who need them (site officers,
   * county and province officers). Every reveal is audited with the reason given.
   */
  async revealContact(
    id: string,
    reason: string,
  ): Promise<{ residentId: string; nationalId: string; phone: string | null }> {
    requireRole(this.principal, 'province', 'county', 'site_officer');
    const r = reason.trim();
    if (r.length < 2 || r.length > 200)
      throw new InputError('reason', 'Say why you need the full ID number and phone (2 to 200 characters).');
    const row = await this.forWrite(id, 'id');
    return this.db.transaction(async (m) => {
      const [sealed] = await m.query(`SELECT national_id_sealed AS n, phone_sealed AS p FROM resident WHERE id = $1`, [
        row.id,
      ]);
      if (!sealed.n)
        throw new ConflictError(
          'id',
          'This resident moved out and their personal data was erased under the retention rule.',
          'ERASED',
        );
      await audit(m, this.principal, {
        action: 'resident.reveal_contact',
        entityType: 'Resident',
        entityId: row.id,
        siteId: row.siteId,
        regionCode: row.regionCode,
        detail: { fields: ['nationalId', 'phone'], reason: r },
      });
      return {
        residentId: row.id,
        nationalId: this.vault.open(sealed.n),
        phone: sealed.p ? this.vault.open(sealed.p) : null,
      };
    });
  }

  async register(input: RegisterResidentInput): Promise<ResidentRow> {
    requireRole(this.principal, 'province', 'county', 'site_officer', 'grid_worker');
    const household = await this.households.forWrite(input.householdId, 'input.householdId');
    const name = input.name.trim();
    if (!name || name.length > 50) throw new InputError('input.name', 'A name has 1 to 50 characters.');
    const parsed = parseNationalId(input.nationalId, this.clock.now());
    if (!parsed.ok) throw new InputError('input.nationalId', parsed.message, parsed.problem);
    const id = parsed.facts;
    if (input.gender && input.gender !== id.gender) {
      throw new InputError('input.gender', 'The gender entered does not agree with the ID number.', 'MISMATCH');
    }
    if (input.birthDate && input.birthDate !== id.birthDate) {
      throw new InputError('input.birthDate', 'The birth date entered does not agree with the ID number.', 'MISMATCH');
    }
    const ethnicity = input.ethnicity.trim();
    if (!ethnicity || ethnicity.length > 20)
      throw new InputError('input.ethnicity', 'The ethnic group (民族) is required.');
    const phone = input.phone?.replace(/[\s-]/g, '') || null;
    if (phone && !isMobilePhone(phone))
      throw new InputError('input.phone', 'A mobile number has 11 digits and starts with 13–19.', 'FORMAT');
    if (input.movedInOn && !isPastDate(input.movedInOn, this.clock)) {
      throw new InputError('input.movedInOn', 'The moved-in date is a real date (YYYY-MM-DD), not in the future.');
    }
    const languages = spokenLanguages(input.languages ?? [], 'input.languages');

    const registered = await this.db.transaction(async (m) => {
      // A duplicate answers "registered somewhere": an ID lookup, so it spends the same quota.
      await this.checkLookupQuota(m, 'input.nationalId');
      const rows = await m.query(
        `INSERT INTO resident AS r (household_id, site_id, region_code, name, national_id_sealed, national_id_hash,
              national_id_masked,
            phone_sealed, phone_masked, gender, birth_date, ethnicity, labour_capacity, can_work_away, wants_work,
              relation_to_head, moved_in_on,
            languages)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
         ON CONFLICT (national_id_hash) DO NOTHING
         RETURNING ${COLUMNS}`,
        [
          household.id,
          household.siteId,
          household.regionCode,
          name,
          this.vault.seal(id.normalized),
          this.vault.lookupHash(id.normalized),
          maskNationalId(id.normalized),
          phone ? this.vault.seal(phone) : null,
          phone ? maskPhone(phone) : null,
          id.gender,
          id.birthDate,
          ethnicity,
          input.labourCapacity,
          input.canWorkAway,
          input.wantsWork,
          input.relationToHead,
          input.movedInOn ?? null,
          languages,
        ],
      );
      if (!rows.length) {
        // Nothing written but the audit row of the attempt; the answer says neither where nor whom.
        await audit(m, this.principal, {
          action: 'resident.register_duplicate',
          entityType: 'Household',
          entityId: household.id,
          siteId: household.siteId,
          regionCode: household.regionCode,
        });
        return null;
      }
      const resident: ResidentRow = rows[0];
      await audit(m, this.principal, {
        action: 'resident.register',
        entityType: 'Resident',
        entityId: resident.id,
        siteId: resident.siteId,
        regionCode: resident.regionCode,
      });
      await publish(m, 'resident.registered', {
        residentId: resident.id,
        householdId: resident.householdId,
        siteId: resident.siteId,
        regionCode: resident.regionCode,
        labourCapacity: resident.labourCapacity,
        canWorkAway: resident.canWorkAway,
        wantsWork: resident.wantsWork,
        birthYear: Number(resident.birthDate.slice(0, 4)),
        gridId: await gridOfHousehold(m, resident.householdId),
        languages: resident.languages,
        nationalIdHash: this.vault.lookupHash(id.normalized).toString('hex'),
      });
      return resident;
    });
    if (!registered) {
      throw new ConflictError(
        'input.nationalId',
        'This ID number cannot be registered again: one person is resettled once.',
        'DUPLICATE_NATIONAL_ID',
      );
    }
    return registered;
  }
}

/**
 * Lookups by full ID number `subject` made today in Yunnan, counted from the audit log (each
 * lookup writes its row there), serialized per user: call inside the transaction that writes
 * the next audit row, so concurrent calls cannot both take the last one.
 */
export async function nationalIdLookupsToday(
  m: { query: DataSource['query'] },
  subject: string,
  clock: Clock,
): Promise<number> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`national-id-lookup:${subject}`]);
  const [{ n }] = await m.query(
    // The actions as literals, so the partial index audit_log_national_id_lookups serves the count.
    `SELECT count(*)::int AS n FROM audit_log WHERE actor_subject = $1
       AND action IN (${LOOKUP_ACTIONS.map((a) => `'${a}'`).join(', ')}) AND at >= $2`,
    [subject, startOfProvinceDay(provinceDate(clock.now()))],
  );
  return n;
}

/** The grid of the household's building (null when the household has no building or the building no grid). */
async function gridOfHousehold(
  m: { query: (sql: string, params: unknown[]) => Promise<{ gridId: string | null }[]> },
  householdId: string,
): Promise<string | null> {
  const [row] = await m.query(
    `SELECT b.grid_id AS "gridId" FROM household h LEFT JOIN building b ON b.id = h.building_id WHERE h.id = $1`,
    [householdId],
  );
  return row?.gridId ?? null;
}

function eventFacts(r: ResidentRow) {
  return {
    residentId: r.id,
    householdId: r.householdId,
    siteId: r.siteId,
    regionCode: r.regionCode,
    labourCapacity: r.labourCapacity,
    canWorkAway: r.canWorkAway,
    wantsWork: r.wantsWork,
    birthYear: Number(r.birthDate.slice(0, 4)),
    languages: r.languages,
  };
}

/** Languages a resident speaks: each named in 1–20 characters, at most 8, duplicates dropped, order kept. */
function spokenLanguages(value: readonly string[], field: string): string[] {
  const names = [...new Set(value.map((l) => l.trim()))];
  if (names.length > 8) throw new InputError(field, 'At most 8 languages.', 'TOO_MANY');
  const bad = names.findIndex((l) => !l || l.length > 20);
  if (bad >= 0)
    throw new InputError(`${field}[${bad}]`, 'A language is named in 1 to 20 characters (彝语, 苗语…).', 'FORMAT');
  return names;
}

/** 18 characters of digits (the last may be X), whatever the check digit says. */
function looksLikeNationalId(term: string): boolean {
  return /^\d{17}[\dXx]$/.test(term.replace(/\s/g, ''));
}

/** A real date no later than today in the province. */
function isPastDate(s: string, clock: Clock): boolean {
  return isIsoDate(s) && s <= provinceDate(clock.now());
}
