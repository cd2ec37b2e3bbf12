import type { DataSource } from 'typeorm';
import {
  IMPORT_BATCH,
  ImportRaceError,
  NATIONAL_ID_PROBLEMS,
  ImportRefusal,
  SheetImport,
  audit,
  auditImported,
  coversPlace,
  currentRequestId,
  isMobilePhone,
  maskNationalId,
  maskPhone,
  normalizeDate,
  parseNationalId,
  provinceDate,
  returning,
  type Clock,
  type ImportMode,
  type ImportProgress,
  type ImportRow,
  type NationalIdFacts,
  type PersonalDataVault,
  type Principal,
  type RowError,
  type SheetRow,
  type SpreadsheetLimits,
} from '@anju/kit';
import { publish, publishSelect } from '@anju/contracts';
import type { LabourCapacity, RelationToHead } from '../resident/resident.types';
import { nationalIdLookupsToday } from '../resident/resident.service';
import {
  HOUSEHOLD_COLUMNS,
  LABOUR,
  RELATIONS,
  buildingName,
  dwelling,
  type HouseholdSheetKey,
} from './household-sheet';

interface Row extends ImportRow<HouseholdSheetKey> {
  /**
   * A masked ID number (530102************, as exports give it): the row may only update the resident of that name in
   * its household.
   */
  masked?: string;
  /** The phone was masked (138****0001): left as it is. */
  phoneMasked?: boolean;
  id?: NationalIdFacts;
  hash?: Buffer;
  relation?: RelationToHead;
  labour?: LabourCapacity;
  phone: string | null;
  movedInOn: string | null;
  site?: SiteRef;
  buildingId?: string | null;
  gridId?: string | null;
  householdKey?: string;
  existingId?: string;
}
interface SiteRef {
  id: string;
  name: string;
  regionCode: string;
}
interface HouseholdRef {
  id: string | null;
  siteId: string;
  regionCode: string;
  number: string;
  address: string;
  buildingId: string | null;
  gridId: string | null;
}
interface ExistingResident {
  id: string;
  householdId: string;
  name: string;
  ethnicity: string;
  phoneSealed: Buffer | null;
  labourCapacity: LabourCapacity;
  relationToHead: RelationToHead;
  movedInOn: string | null;
  movedOutOn: string | null;
  hash: Buffer;
  nationalIdMasked: string;
}

const HEADER: Record<HouseholdSheetKey, string> = Object.fromEntries(
  HOUSEHOLD_COLUMNS.map((c) => [c.key, c.header]),
) as Record<HouseholdSheetKey, string>;
const BATCH = IMPORT_BATCH;
/** What exports show of an ID number (the county code) and of a phone. */
const MASKED_ID = /^\d{6}\*{12}$/;
const MASKED_PHONE = /^1\d{2}\*{4}\d{4}$/;

/**
 * 导入户籍花名册: households with their residents, from a county's spreadsheet. Every row is
 * checked before anything is written — the fields (ID number and its check digit, relation,
 * labour capacity, phone, date), the file (an ID number twice), the province (an ID number
 * registered in another household, found by its keyed hash as `registerResident` does), the
 * caller's scope (a site outside it is OUT_OF_SCOPE) and the household (one head, at most one
 * spouse, the 户主 column naming the head). A dry run stops there. An import writes all rows in
 * one transaction — none if any row is bad (all-or-nothing, the default), or the households
 * whose rows are all good (valid rows only). The ID number's hash is the natural key: a
 * resident already in the same household is updated when a fact changed, else left alone, so
 * the same file imported twice adds nothing. New residents are published as `resident.registered`
 * (and new households as `household.registered`) in batches, through the contract's set-based
 * publish, in the transaction that writes them; every write is audited.
 */
export class HouseholdImport extends SheetImport<HouseholdSheetKey, Row> {
  protected readonly columns = HOUSEHOLD_COLUMNS;

  constructor(
    private readonly db: DataSource,
    private readonly vault: PersonalDataVault,
    private readonly principal: Principal,
    private readonly clock: Clock,
    limits: SpreadsheetLimits,
    /** NATIONAL_ID_LOOKUPS_PER_DAY: a duplicate found in the province is a lookup, as for registerResident. */
    private readonly lookupsPerDay: number,
  ) {
    super(limits);
  }

  protected async checkRows(rows: Row[], mode: ImportMode, jobId: string, progress: ImportProgress): Promise<void> {
    this.checkFileDuplicates(rows);
    const households = await this.checkPlaces(rows);
    this.households = households;
    for (let i = 0; i < rows.length; i += BATCH) {
      await this.checkProvince(rows.slice(i, i + BATCH), households);
      await progress.checked(Math.min(rows.length, i + BATCH));
    }
    await this.countDuplicateLookups(rows, jobId);
    await this.checkHouseholds(rows, households, mode);
  }

  /** The households of the file's rows, as `checkRows` found them (existing or to make). */
  private households = new Map<string, HouseholdRef>();

  /** Each row on its own: required cells, formats, enumerations. */
  protected checkRow(sheet: SheetRow<HouseholdSheetKey>): Row {
    const v = sheet.values;
    const errors: RowError[] = [];
    const fail = (key: HouseholdSheetKey, code: string, message: string) =>
      errors.push({ row: sheet.row, column: HEADER[key], code, message });
    for (const c of HOUSEHOLD_COLUMNS) if (c.required && !v[c.key]) fail(c.key, 'REQUIRED', `${c.header}不能为空`);
    if (v.name.length > 50) fail('name', 'TOO_LONG', '姓名最多 50 个字');
    if (v.ethnicity && (v.ethnicity.length > 20 || !v.ethnicity.endsWith('族')))
      fail('ethnicity', 'UNKNOWN_VALUE', '民族应写全称，如“汉族”“彝族”');
    if (v.householdNumber.length > 40) fail('householdNumber', 'TOO_LONG', '户编号最多 40 个字符');
    if (v.room.length > 20) fail('room', 'TOO_LONG', '房号最多 20 个字符');
    let id: NationalIdFacts | undefined;
    const masked = MASKED_ID.test(v.nationalId) ? v.nationalId : undefined;
    if (v.nationalId && !masked) {
      const parsed = parseNationalId(v.nationalId.replace(/\s/g, ''), this.clock.now());
      if (parsed.ok) id = parsed.facts;
      else {
        fail('nationalId', `NATIONAL_ID_${parsed.problem}`, NATIONAL_ID_PROBLEMS[parsed.problem]);
      }
    }
    const relation = v.relation ? RELATIONS[v.relation] : undefined;
    if (v.relation && !relation)
      fail(
        'relation',
        'UNKNOWN_VALUE',
        `与户主关系“${v.relation}”无法识别：应为户主、配偶、子女、父母、孙子女、兄弟姐妹或其他`,
      );
    const labour = v.labour ? LABOUR[v.labour] : undefined;
    if (v.labour && !labour)
      fail('labour', 'UNKNOWN_VALUE', `劳动力状况“${v.labour}”无法识别：应为全劳动力、弱劳动力或无劳动力`);
    const phoneMasked = MASKED_PHONE.test(v.phone);
    const phone = phoneMasked ? null : v.phone.replace(/[\s-]/g, '') || null;
    if (phone && !isMobilePhone(phone)) fail('phone', 'PHONE_FORMAT', '联系电话应为 11 位手机号码');
    let movedInOn: string | null = null;
    if (v.movedInOn) {
      movedInOn = normalizeDate(v.movedInOn);
      if (!movedInOn) fail('movedInOn', 'DATE_FORMAT', '搬迁时间应为日期，如 2019-06-01');
      else if (movedInOn > provinceDate(this.clock.now())) fail('movedInOn', 'FUTURE_DATE', '搬迁时间不能晚于今天');
    }
    return {
      sheet,
      errors,
      masked,
      phoneMasked,
      id,
      hash: id ? this.vault.lookupHash(id.normalized) : undefined,
      relation,
      labour,
      phone,
      movedInOn,
    };
  }

  private checkFileDuplicates(rows: Row[]): void {
    const first = new Map<string, number>();
    for (const r of rows) {
      if (!r.id) continue;
      const seen = first.get(r.id.normalized);
      if (seen === undefined) first.set(r.id.normalized, r.sheet.row);
      else
        r.errors.push({
          row: r.sheet.row,
          column: HEADER.nationalId,
          code: 'DUPLICATE_IN_FILE',
          message: `身份证号与第 ${seen} 行重复`,
        });
    }
  }

  /** Sites by name within the caller's scope, buildings by name within the site; each row's household. */
  private async checkPlaces(rows: Row[]): Promise<Map<string, HouseholdRef>> {
    const names = [...new Set(rows.map((r) => r.sheet.values.site).filter(Boolean))];
    const sites: SiteRef[] = await this.db.query(
      `SELECT id, name, region_code AS "regionCode" FROM site WHERE name = ANY($1::text[])`,
      [names],
    );
    const mine = sites.filter((s) => coversPlace(this.principal, { siteId: s.id, regionCode: s.regionCode }));
    const siteIds = mine.map((s) => s.id);
    const buildings: { id: string; siteId: string; name: string; gridId: string | null }[] = await this.db.query(
      `SELECT id, site_id AS "siteId", name, grid_id AS "gridId" FROM building WHERE site_id = ANY($1::uuid[])`,
      [siteIds],
    );
    const existing: HouseholdRef[] = await this.db.query(
      `SELECT h.id, h.site_id AS "siteId", s.region_code AS "regionCode", h.household_number AS number,
                coalesce(h.address, '') AS address,
              h.building_id AS "buildingId", b.grid_id AS "gridId"
         FROM household h JOIN site s ON s.id = h.site_id LEFT JOIN building b ON b.id = h.building_id
         WHERE h.site_id = ANY($1::uuid[])`,
      [siteIds],
    );
    const byNumber = new Map(existing.map((h) => [`${h.siteId}|n|${h.number}`, h]));
    const byAddress = new Map<string, HouseholdRef>();
    for (const h of existing)
      if (!byAddress.has(`${h.siteId}|a|${h.address}`)) byAddress.set(`${h.siteId}|a|${h.address}`, h);
    const households = new Map<string, HouseholdRef>();
    for (const r of rows) {
      const v = r.sheet.values;
      if (!v.site) continue;
      const inScope = mine.filter((s) => s.name === v.site);
      if (inScope.length > 1) {
        r.errors.push({
          row: r.sheet.row,
          column: HEADER.site,
          code: 'AMBIGUOUS_SITE',
          message: `有多个名为“${v.site}”的安置点，请按区县分开导入`,
        });
        continue;
      }
      if (!inScope.length) {
        const elsewhere = sites.some((s) => s.name === v.site);
        r.errors.push(
          elsewhere
            ? {
                row: r.sheet.row,
                column: HEADER.site,
                code: 'OUT_OF_SCOPE',
                message: `安置点“${v.site}”不在您的管辖范围内`,
              }
            : { row: r.sheet.row, column: HEADER.site, code: 'UNKNOWN_SITE', message: `没有名为“${v.site}”的安置点` },
        );
        continue;
      }
      r.site = inScope[0];
      if (!v.building) continue;
      const building = buildings.find(
        (b) => b.siteId === r.site!.id && (b.name === v.building || b.name === buildingName(v.building)),
      );
      if (!building) {
        r.errors.push({
          row: r.sheet.row,
          column: HEADER.building,
          code: 'UNKNOWN_BUILDING',
          message: `安置点“${v.site}”没有楼栋“${v.building}”`,
        });
        continue;
      }
      r.buildingId = building.id;
      r.gridId = building.gridId;
      if (!v.unit || !v.room) continue;
      const address = dwelling(v.building, v.unit, v.room);
      const number = v.householdNumber || address;
      r.householdKey = `${r.site.id}|${number}`;
      if (!households.has(r.householdKey)) {
        const found =
          (v.householdNumber ? byNumber.get(`${r.site.id}|n|${number}`) : undefined) ??
          byAddress.get(`${r.site.id}|a|${address}`) ??
          byNumber.get(`${r.site.id}|n|${number}`);
        households.set(
          r.householdKey,
          found ?? {
            id: null,
            siteId: r.site.id,
            regionCode: r.site.regionCode,
            number,
            address,
            buildingId: building.id,
            gridId: building.gridId,
          },
        );
      }
    }
    return households;
  }

  /**
   * The province: an ID number registered in another household (or moved out) cannot be imported; one in this household
   * is an update.
   */
  private async checkProvince(rows: Row[], households: Map<string, HouseholdRef>): Promise<void> {
    const hashes = rows.filter((r) => r.hash).map((r) => r.hash!);
    const maskedRows = rows.filter((r) => r.masked && r.householdKey && households.get(r.householdKey)?.id);
    const select = `SELECT r.id, r.household_id AS "householdId", r.name, r.ethnicity, r.phone_sealed AS "phoneSealed",
                r.labour_capacity AS "labourCapacity",
              r.relation_to_head AS "relationToHead", to_char(r.moved_in_on, 'YYYY-MM-DD') AS "movedInOn",
              to_char(r.moved_out_on, 'YYYY-MM-DD') AS "movedOutOn", r.national_id_hash AS hash,
                r.national_id_masked AS "nationalIdMasked" FROM resident r`;
    const found: ExistingResident[] = hashes.length
      ? await this.db.query(`${select} WHERE r.national_id_hash = ANY($1::bytea[])`, [hashes])
      : [];
    // Masked rows (an export brought back) are found by their household and name, never by the number.
    const byName: ExistingResident[] = maskedRows.length
      ? await this.db.query(
          `${select} WHERE r.household_id = ANY($1::uuid[]) AND r.name = ANY($2::text[]) AND r.moved_out_on IS NULL`,
          [maskedRows.map((r) => households.get(r.householdKey!)!.id), maskedRows.map((r) => r.sheet.values.name)],
        )
      : [];
    const byHash = new Map(found.map((e) => [e.hash.toString('hex'), e]));
    for (const r of rows) {
      if (r.masked) {
        const household = r.householdKey ? households.get(r.householdKey) : undefined;
        const same = byName.filter(
          (e) => e.householdId === household?.id && e.name === r.sheet.values.name && e.nationalIdMasked === r.masked,
        );
        if (same.length !== 1) {
          if (r.householdKey) {
            r.errors.push({
              row: r.sheet.row,
              column: HEADER.nationalId,
              code: 'MASKED_NATIONAL_ID',
              message: '身份证号被遮盖：只能用于更新本户已登记的同名居民；新增居民请填写完整号码',
            });
          }
          continue;
        }
        r.existingId = same[0].id;
        this.compare(r, same[0]);
        continue;
      }
      const e = r.hash ? byHash.get(r.hash.toString('hex')) : undefined;
      if (!e) {
        r.outcome = 'create';
        continue;
      }
      const household = r.householdKey ? households.get(r.householdKey) : undefined;
      if (e.movedOutOn || !household || household.id !== e.householdId) {
        // The same answer wherever the number is registered: the import says neither where nor whom.
        r.errors.push({
          row: r.sheet.row,
          column: HEADER.nationalId,
          code: 'DUPLICATE_IN_PROVINCE',
          message: '该身份证号已在其他户登记（一人只能安置一次）',
        });
        continue;
      }
      r.existingId = e.id;
      this.compare(r, e);
    }
  }

  /** Which facts of a registered resident the row changes (a masked or empty cell changes nothing). */
  private compare(r: Row, e: ExistingResident): void {
    const v = r.sheet.values;
    const changed: string[] = [];
    if (v.name !== e.name) changed.push('name');
    if (v.ethnicity !== e.ethnicity) changed.push('ethnicity');
    if (r.phone && r.phone !== (e.phoneSealed ? this.vault.open(e.phoneSealed) : null)) changed.push('phone');
    if (r.labour && r.labour !== e.labourCapacity) changed.push('labourCapacity');
    if (r.relation && r.relation !== e.relationToHead) changed.push('relationToHead');
    if (r.movedInOn && r.movedInOn !== e.movedInOn) changed.push('movedInOn');
    r.changed = changed;
    r.outcome = changed.length ? 'update' : 'unchanged';
  }

  /**
   * "Registered in another household" answers whether an ID number exists: like a duplicate
   * `registerResident`, each such row is a lookup by full ID number — audited, and counted against
   * the uploader's daily quota, so a file of guessed numbers cannot probe the register. Over the
   * quota the whole job fails before any row's answer is given.
   */
  private async countDuplicateLookups(rows: Row[], jobId: string): Promise<void> {
    const dups = rows.filter((r) => r.errors.some((e) => e.code === 'DUPLICATE_IN_PROVINCE'));
    if (!dups.length) return;
    const p = this.principal;
    const used = await this.db.transaction(async (m) => {
      const before = await nationalIdLookupsToday(m, p.subject, this.clock);
      await m.query(
        `INSERT INTO audit_log (actor_subject, actor_role, action, entity_type, entity_id, request_id, detail)
         SELECT $1, $2, 'resident.register_duplicate', 'ImportJob', $3, $4, jsonb_build_object('row', r)
         FROM unnest($5::int[]) r`,
        [p.subject, p.role, jobId, currentRequestId() ?? null, dups.map((r) => r.sheet.row)],
      );
      return before + dups.length;
    });
    if (used > this.lookupsPerDay) throw new LookupQuotaError(this.lookupsPerDay);
  }

  /**
   * Each household as it will be: its members already registered and not in the file, with the
   * file's rows. One head (户主), at most one spouse, the 户主 column naming the head. With
   * valid rows only, a household is written whole or not at all.
   */
  private async checkHouseholds(rows: Row[], households: Map<string, HouseholdRef>, mode: ImportMode): Promise<void> {
    const ids = [...households.values()].filter((h) => h.id).map((h) => h.id!);
    const members: { householdId: string; id: string; name: string; relationToHead: RelationToHead }[] = ids.length
      ? await this.db.query(
          `SELECT household_id AS "householdId", id, name, relation_to_head AS "relationToHead" FROM resident
          WHERE household_id = ANY($1::uuid[]) AND moved_out_on IS NULL`,
          [ids],
        )
      : [];
    const groups = new Map<string, Row[]>();
    for (const r of rows) if (r.householdKey) groups.set(r.householdKey, [...(groups.get(r.householdKey) ?? []), r]);
    for (const [key, group] of groups) {
      const household = households.get(key)!;
      const inFile = new Set(group.map((r) => r.existingId).filter(Boolean));
      const others = members.filter((m) => m.householdId === household.id && !inFile.has(m.id));
      const heads = [
        ...others.filter((m) => m.relationToHead === 'head').map((m) => m.name),
        ...group.filter((r) => r.relation === 'head').map((r) => r.sheet.values.name),
      ];
      const spouses =
        others.filter((m) => m.relationToHead === 'spouse').length +
        group.filter((r) => r.relation === 'spouse').length;
      const misfit = (r: Row, column: string | null, code: string, message: string) =>
        r.errors.push({ row: r.sheet.row, column, code, message });
      for (const r of group) {
        if (heads.length === 0) misfit(r, HEADER.relation, 'NO_HEAD', '这一户没有“户主”行');
        else if (heads.length > 1 && r.relation === 'head')
          misfit(r, HEADER.relation, 'TWO_HEADS', '这一户有不止一个户主');
        else if (heads.length === 1 && r.sheet.values.head && r.sheet.values.head !== heads[0]) {
          misfit(
            r,
            HEADER.head,
            'HEAD_MISMATCH',
            `“户主”列写的是“${r.sheet.values.head}”，但这一户的户主是“${heads[0]}”`,
          );
        }
        if (spouses > 1 && r.relation === 'spouse')
          misfit(r, HEADER.relation, 'RELATION_MISFIT', '这一户有不止一个配偶');
      }
      if (mode === 'valid_rows' && group.some((r) => r.errors.length)) {
        for (const r of group) {
          if (!r.errors.length)
            misfit(r, null, 'HOUSEHOLD_INCOMPLETE', '同户其他行有错误：一户要么整户导入，要么不导入');
        }
      }
    }
  }

  protected async write(rows: Row[], jobId: string, progress: ImportProgress): Promise<number> {
    const p = this.principal;
    const households = this.households;
    return this.db.transaction(async (m) => {
      // 1. Households the file brings (set-based: one statement, their events and audit rows with it).
      const fresh = [...new Set(rows.filter((r) => r.outcome === 'create').map((r) => r.householdKey!))]
        .map((k) => households.get(k)!)
        .filter((h) => !h.id);
      for (let i = 0; i < fresh.length; i += BATCH) {
        const part = fresh.slice(i, i + BATCH);
        const made: { id: string; siteId: string; number: string }[] = await m.query(
          `INSERT INTO household (site_id, household_number, address, building_id)
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[])
           ON CONFLICT (site_id, household_number) DO NOTHING
           RETURNING id, site_id AS "siteId", household_number AS number`,
          [
            part.map((h) => h.siteId),
            part.map((h) => h.number),
            part.map((h) => h.address),
            part.map((h) => h.buildingId),
          ],
        );
        if (made.length !== part.length) throw new ImportRaceError();
        const byKey = new Map(made.map((h) => [`${h.siteId}|${h.number}`, h.id]));
        for (const h of part) h.id = byKey.get(`${h.siteId}|${h.number}`)!;
        const ids = made.map((h) => h.id);
        await publishSelect(
          m,
          'household.registered',
          `SELECT h.id AS "householdId", h.site_id AS "siteId", s.region_code AS "regionCode" FROM household h
           JOIN site s ON s.id = h.site_id WHERE h.id = ANY($1::uuid[])`,
          [ids],
        );
        await auditImported(
          m,
          p,
          'household.register',
          'Household',
          `SELECT h.id::text AS id, h.site_id, s.region_code FROM household h JOIN site s ON s.id = h.site_id
           WHERE h.id = ANY($1::uuid[])`,
          [ids],
          jobId,
        );
      }
      // 2. New residents, a batch per statement: sealed and hashed as registerResident does.
      const creates = rows.filter((r) => r.outcome === 'create');
      let written = 0;
      for (let i = 0; i < creates.length; i += BATCH) {
        const part = creates.slice(i, i + BATCH);
        const hh = part.map((r) => households.get(r.householdKey!)!);
        const inserted: { id: string }[] = await m.query(
          `INSERT INTO resident (household_id, site_id, region_code, name, national_id_sealed, national_id_hash,
                national_id_masked, phone_sealed, phone_masked,
              gender, birth_date, ethnicity, labour_capacity, can_work_away, wants_work, relation_to_head, moved_in_on)
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::text[], $5::bytea[], $6::bytea[], $7::text[],
             $8::bytea[], $9::text[],
              $10::text[], $11::date[], $12::text[], $13::text[], $14::boolean[], $15::boolean[], $16::text[],
                $17::date[])
           ON CONFLICT (national_id_hash) DO NOTHING RETURNING id`,
          [
            hh.map((h) => h.id),
            hh.map((h) => h.siteId),
            hh.map((h) => h.regionCode),
            part.map((r) => r.sheet.values.name),
            part.map((r) => this.vault.seal(r.id!.normalized)),
            part.map((r) => r.hash!),
            part.map((r) => maskNationalId(r.id!.normalized)),
            part.map((r) => (r.phone ? this.vault.seal(r.phone) : null)),
            part.map((r) => (r.phone ? maskPhone(r.phone) : null)),
            part.map((r) => r.id!.gender),
            part.map((r) => r.id!.birthDate),
            part.map((r) => r.sheet.values.ethnicity),
            part.map((r) => r.labour!),
            // Work wishes are not columns of the register: anyone able to work is taken to want work, near home, until
            // asked.
            part.map(() => false),
            part.map((r) => r.labour !== 'none'),
            part.map((r) => r.relation!),
            part.map((r) => r.movedInOn),
          ],
        );
        // Registered by someone else between the check and now: the whole import is rolled back and can simply be run
        // again.
        if (inserted.length !== part.length) throw new ImportRaceError();
        const ids = inserted.map((r) => r.id);
        await publishSelect(
          m,
          'resident.registered',
          `SELECT r.id AS "residentId", r.household_id AS "householdId", r.site_id AS "siteId",
                    r.region_code AS "regionCode",
                  r.labour_capacity AS "labourCapacity", r.can_work_away AS "canWorkAway", r.wants_work AS "wantsWork",
                  extract(year FROM r.birth_date)::int AS "birthYear", b.grid_id AS "gridId",
                    nullif(r.languages, '{}') AS languages,
                  encode(r.national_id_hash, 'hex') AS "nationalIdHash"
             FROM resident r JOIN household h ON h.id = r.household_id LEFT JOIN building b ON b.id = h.building_id
            WHERE r.id = ANY($1::uuid[])`,
          [ids],
        );
        await auditImported(
          m,
          p,
          'resident.register',
          'Resident',
          `SELECT r.id::text AS id, r.site_id, r.region_code FROM resident r WHERE r.id = ANY($1::uuid[])`,
          [ids],
          jobId,
        );
        written += part.length;
        await progress.written(written);
      }
      // 3. Residents whose facts changed: updated and published one by one (few, as a rule).
      for (const r of rows.filter((x) => x.outcome === 'update')) {
        const v = r.sheet.values;
        const [row] = returning<Record<string, unknown>>(
          await m.query(
            `UPDATE resident SET name = $2, ethnicity = $3, phone_sealed = coalesce($4, phone_sealed),
                phone_masked = coalesce($5, phone_masked),
              labour_capacity = $6, relation_to_head = $7, moved_in_on = coalesce($8::date, moved_in_on),
                updated_at = now()
            WHERE id = $1 AND moved_out_on IS NULL
           RETURNING id, household_id AS "householdId", site_id AS "siteId", region_code AS "regionCode",
             labour_capacity AS "labourCapacity",
              can_work_away AS "canWorkAway", wants_work AS "wantsWork",
                extract(year FROM birth_date)::int AS "birthYear"`,
            [
              r.existingId,
              v.name,
              v.ethnicity,
              r.phone ? this.vault.seal(r.phone) : null,
              r.phone ? maskPhone(r.phone) : null,
              r.labour,
              r.relation,
              r.movedInOn,
            ],
          ),
        );
        if (!row) throw new ImportRaceError();
        await audit(m, p, {
          action: 'resident.update',
          entityType: 'Resident',
          entityId: r.existingId!,
          siteId: row.siteId as string,
          regionCode: row.regionCode as string,
          detail: { changed: r.changed, importJob: jobId },
        });
        await publish(m, 'resident.updated', {
          residentId: r.existingId!,
          householdId: row.householdId as string,
          siteId: row.siteId as string,
          regionCode: row.regionCode as string,
          labourCapacity: row.labourCapacity as LabourCapacity,
          canWorkAway: row.canWorkAway as boolean,
          wantsWork: row.wantsWork as boolean,
          birthYear: row.birthYear as number,
          gridId: households.get(r.householdKey!)!.gridId,
          changed: r.changed!,
        });
        written += 1;
      }
      await progress.written(written);
      await audit(m, p, {
        action: 'import.households',
        entityType: 'ImportJob',
        entityId: jobId,
        detail: { rows: rows.length, created: creates.length, households: fresh.length },
      });
      return written;
    });
  }
}

/** The file names more ID numbers registered elsewhere than the uploader's lookups left today. */
export class LookupQuotaError extends ImportRefusal {
  constructor(readonly perDay: number) {
    super(
      'DAILY_QUOTA',
      `The file holds more ID numbers registered in other households than your ${perDay} lookups by ID number ` +
        `a day allow; nothing was checked further or written.`,
    );
  }
}
