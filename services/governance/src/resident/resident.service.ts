import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import {
  ConflictError, ForbiddenError, InputError, isMobilePhone, maskNationalId, maskPhone, parseNationalId, requireRole,
  type PersonalDataVault, type Principal,
} from '@anju/kit';
import { publish } from '@anju/contracts';
import type { HouseholdService } from '../household/household.service';
import { cursor, pageSize, scopeSql } from '../scope';
import type { LabourCapacity, RelationToHead } from './resident.entity';

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
}

// Sealed columns are never selected: the API has no code path that decrypts for a list.
const COLUMNS = `r.id, r.household_id AS "householdId", r.site_id AS "siteId", r.region_code AS "regionCode", r.name,
  r.national_id_masked AS "nationalIdMasked", r.phone_masked AS "phoneMasked", r.gender, to_char(r.birth_date, 'YYYY-MM-DD') AS "birthDate",
  r.ethnicity, r.labour_capacity AS "labourCapacity", r.can_work_away AS "canWorkAway", r.wants_work AS "wantsWork",
  r.relation_to_head AS "relationToHead", to_char(r.moved_in_on, 'YYYY-MM-DD') AS "movedInOn", r.registered_at AS "registeredAt"`;

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
}

export class ResidentService {
  constructor(
    private readonly db: DataSource,
    private readonly vault: PersonalDataVault,
    private readonly principal: Principal,
    private readonly households: HouseholdService,
  ) {}

  byIds(ids: readonly string[]): Promise<ResidentRow[]> {
    const scope = scopeSql(this.principal, 'r', 2, 'resident');
    return this.db.query(`SELECT ${COLUMNS} FROM resident r WHERE r.id::text = ANY($1) AND ${scope.sql}`, [ids, ...scope.params]);
  }

  householdMembersLoader() {
    return new DataLoader<string, ResidentRow[]>(async (householdIds) => {
      const scope = scopeSql(this.principal, 'r', 2, 'resident');
      const rows: ResidentRow[] = await this.db.query(
        `SELECT ${COLUMNS} FROM resident r WHERE r.household_id::text = ANY($1) AND ${scope.sql}
          ORDER BY (r.relation_to_head = 'head') DESC, r.birth_date`,
        [householdIds, ...scope.params],
      );
      return householdIds.map((id) => rows.filter((r) => r.householdId === id));
    });
  }

  /** One site's residents by name, keyset-paginated; `search` is a name fragment or a full ID number. */
  async list(siteId: string, search: string | null | undefined, first: number | null | undefined, after: string | null | undefined) {
    const limit = pageSize(first);
    const scope = scopeSql(this.principal, 'r', 2, 'resident');
    const params: unknown[] = [siteId, ...scope.params];
    let where = `r.site_id::text = $1 AND ${scope.sql}`;
    const term = search?.trim();
    if (term) {
      const id = parseNationalId(term);
      if (id.ok) {
        params.push(this.vault.lookupHash(id.facts.normalized));
        where += ` AND r.national_id_hash = $${params.length}`;
      } else {
        params.push(`%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
        where += ` AND r.name LIKE $${params.length}`;
      }
    }
    const [{ count }] = await this.db.query(`SELECT count(*)::int AS count FROM resident r WHERE ${where}`, params);
    const key = cursor.decode(after);
    const n = params.length;
    const rows: ResidentRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM resident r WHERE ${where}
          AND ($${n + 1}::text IS NULL OR (r.name, r.id) > ($${n + 1}, $${n + 2}::uuid))
        ORDER BY r.name, r.id LIMIT $${n + 3}`,
      [...params, key?.[0] ?? null, key?.[1] ?? null, limit + 1],
    );
    const nodes = rows.slice(0, limit);
    return { nodes, totalCount: count, endCursor: rows.length > limit ? cursor.encode([nodes.at(-1)!.name, nodes.at(-1)!.id]) : null };
  }

  async register(input: RegisterResidentInput): Promise<ResidentRow> {
    requireRole(this.principal, 'province', 'county', 'site_officer', 'grid_worker');
    const household = await this.households.forWrite(input.householdId, 'input.householdId');
    const name = input.name.trim();
    if (!name || name.length > 50) throw new InputError('input.name', 'A name has 1 to 50 characters.');
    const parsed = parseNationalId(input.nationalId);
    if (!parsed.ok) throw new InputError('input.nationalId', parsed.message, parsed.problem);
    const id = parsed.facts;
    if (input.gender && input.gender !== id.gender) {
      throw new InputError('input.gender', 'The gender entered does not agree with the ID number.', 'MISMATCH');
    }
    if (input.birthDate && input.birthDate !== id.birthDate) {
      throw new InputError('input.birthDate', 'The birth date entered does not agree with the ID number.', 'MISMATCH');
    }
    const ethnicity = input.ethnicity.trim();
    if (!ethnicity || ethnicity.length > 20) throw new InputError('input.ethnicity', 'The ethnic group (民族) is required.');
    const phone = input.phone?.replace(/[\s-]/g, '') || null;
    if (phone && !isMobilePhone(phone)) throw new InputError('input.phone', 'A mobile number has 11 digits and starts with 13–19.', 'FORMAT');
    if (input.movedInOn && !isPastDate(input.movedInOn)) {
      throw new InputError('input.movedInOn', 'The moved-in date is a real date (YYYY-MM-DD), not in the future.');
    }

    return this.db.transaction(async (m) => {
      const rows = await m.query(
        `INSERT INTO resident AS r (household_id, site_id, region_code, name, national_id_sealed, national_id_hash, national_id_masked,
            phone_sealed, phone_masked, gender, birth_date, ethnicity, labour_capacity, can_work_away, wants_work, relation_to_head, moved_in_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         ON CONFLICT (national_id_hash) DO NOTHING
         RETURNING ${COLUMNS}`,
        [
          household.id, household.siteId, household.regionCode, name,
          this.vault.seal(id.normalized), this.vault.lookupHash(id.normalized), maskNationalId(id.normalized),
          phone ? this.vault.seal(phone) : null, phone ? maskPhone(phone) : null,
          id.gender, id.birthDate, ethnicity, input.labourCapacity, input.canWorkAway, input.wantsWork, input.relationToHead,
          input.movedInOn ?? null,
        ],
      );
      if (!rows.length) {
        throw new ConflictError('input.nationalId', 'A resident with this ID number is already registered: one person cannot be resettled twice.', 'DUPLICATE_NATIONAL_ID');
      }
      const resident: ResidentRow = rows[0];
      await publish(m, 'resident.registered', {
        residentId: resident.id,
        householdId: resident.householdId,
        siteId: resident.siteId,
        regionCode: resident.regionCode,
        labourCapacity: resident.labourCapacity,
        canWorkAway: resident.canWorkAway,
        wantsWork: resident.wantsWork,
        birthYear: Number(resident.birthDate.slice(0, 4)),
      });
      return resident;
    });
  }
}

function isPastDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s) && d.getTime() <= Date.now();
}
