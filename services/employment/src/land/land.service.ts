import type { DataSource } from 'typeorm';
import { InputError, type Principal, uuidsOf, uuidParam, requireAmount, requireDate, requireText } from '@anju/kit';
import { householdForWrite, rowForWrite, scopeSql, siteForWrite } from '../scope';
import { auditWrite } from '../audit';
import { changeAndRecheck } from '../monitoring/recheck';
import type { LandState } from '../monitoring/rules';

export const LAND_KINDS = ['contracted', 'forest', 'homestead'] as const;
export const LAND_STATES: readonly LandState[] = ['idle', 'leased', 'pooled'];

export interface LandRow {
  id: string;
  householdId: string;
  siteId: string;
  regionCode: string;
  kind: (typeof LAND_KINDS)[number];
  areaMu: number;
  state: LandState;
  annualIncome: number;
  note: string | null;
}
export const ORGANIZATION_FORMS = ['cooperative', 'leading_enterprise', 'workshop'] as const;
export interface ProjectRow {
  id: string;
  name: string;
  siteId: string;
  regionCode: string;
  description: string | null;
  industry: string;
  organizationForm: (typeof ORGANIZATION_FORMS)[number];
  policySupport: string[];
  technicalServices: string[];
}
export interface LinkRow {
  projectId: string;
  householdId: string;
  siteId: string;
  regionCode: string;
  annualDividend: number;
  annualWageIncome: number;
  linkedOn: string;
}
export interface ProjectInput {
  name: string;
  siteId: string;
  description?: string | null;
  industry: string;
  organizationForm: ProjectRow['organizationForm'];
  policySupport?: string[] | null;
  technicalServices?: string[] | null;
}

const LAND = `l.id, l.household_id AS "householdId", l.site_id AS "siteId", l.region_code AS "regionCode", l.kind,
  l.area_mu::float8 AS "areaMu", l.state, l.annual_income::float8 AS "annualIncome", l.note`;
const PROJECT = `x.id, x.name, x.site_id AS "siteId", x.region_code AS "regionCode", x.description, x.industry,
  x.organization_form AS "organizationForm", x.policy_support AS "policySupport",
    x.technical_services AS "technicalServices"`;
const LINK = `k.project_id AS "projectId", k.household_id AS "householdId", k.site_id AS "siteId",
    k.region_code AS "regionCode",
  k.annual_dividend::float8 AS "annualDividend", k.annual_wage_income::float8 AS "annualWageIncome",
  to_char(k.linked_on, 'YYYY-MM-DD') AS "linkedOn"`;

export interface RecordLandInput {
  householdId: string;
  kind: LandRow['kind'];
  areaMu: number;
  state: LandState;
  annualIncome: number;
  note?: string | null;
}
export interface UpdateLandInput {
  id: string;
  state: LandState;
  annualIncome: number;
}
export interface LinkInput {
  projectId: string;
  householdId: string;
  annualDividend: number;
  annualWageIncome?: number | null;
  linkedOn: string;
}

/** A short list of short texts (policy support, technical services): trimmed, at most 20 of 1–100 characters. */
function textList(values: string[] | null | undefined, field: string): string[] {
  const list = (values ?? []).map((v) => v.trim());
  if (list.length > 20) throw new InputError(field, 'At most 20 items.', 'TOO_MANY');
  list.forEach((v, i) => requireText(v, `${field}[${i}]`, 100));
  return [...new Set(list)];
}

function checkIncome(state: LandState, income: number, field: string): number {
  const value = requireAmount(income, field, 'Annual income');
  if (state === 'idle' && value > 0)
    throw new InputError(
      field,
      'Idle land (撂荒/闲置) earns no income; record it as leased or pooled.',
      'IDLE_WITH_INCOME',
    );
  return value;
}

/** 三块地 (contracted land, forest land, homestead) and industry projects with household links (利益联结). */
export class LandService {
  constructor(
    private readonly db: DataSource,
    private readonly principal: Principal,
    private readonly now: () => Date,
  ) {}

  landOfHouseholds(ids: readonly string[]): Promise<LandRow[]> {
    const s = scopeSql(this.principal, 'l', 2);
    return this.db.query(
      `SELECT ${LAND} FROM land_asset l WHERE l.household_id = ANY($1::uuid[]) AND ${s.sql} ORDER BY l.kind, l.id`,
      [uuidsOf(ids), ...s.params],
    );
  }

  linksOfHouseholds(ids: readonly string[]): Promise<LinkRow[]> {
    const s = scopeSql(this.principal, 'k', 2);
    return this.db.query(
      `SELECT ${LINK} FROM project_link k WHERE k.household_id = ANY($1::uuid[]) AND ${s.sql}
         ORDER BY k.linked_on, k.project_id`,
      [uuidsOf(ids), ...s.params],
    );
  }

  linksOfProjects(ids: readonly string[]): Promise<LinkRow[]> {
    const s = scopeSql(this.principal, 'k', 2);
    return this.db.query(
      `SELECT ${LINK} FROM project_link k WHERE k.project_id = ANY($1::uuid[]) AND ${s.sql}
         ORDER BY k.linked_on, k.household_id`,
      [uuidsOf(ids), ...s.params],
    );
  }

  projectsByIds(ids: readonly string[]): Promise<ProjectRow[]> {
    const s = scopeSql(this.principal, 'x', 2, 'site');
    return this.db.query(`SELECT ${PROJECT} FROM industry_project x WHERE x.id = ANY($1::uuid[]) AND ${s.sql}`, [
      uuidsOf(ids),
      ...s.params,
    ]);
  }

  projects(siteId: string): Promise<ProjectRow[]> {
    const s = scopeSql(this.principal, 'x', 2, 'site');
    return this.db.query(
      `SELECT ${PROJECT} FROM industry_project x WHERE x.site_id = ${uuidParam(1)} AND ${s.sql} ORDER BY x.name, x.id
       LIMIT 500`,
      [siteId, ...s.params],
    );
  }

  async record(input: RecordLandInput): Promise<LandRow> {
    const hh = await householdForWrite(this.db, this.principal, input.householdId, 'input.householdId');
    if (!(LAND_KINDS as readonly string[]).includes(input.kind))
      throw new InputError('input.kind', 'Unknown kind of land.', 'FORMAT');
    if (!LAND_STATES.includes(input.state)) throw new InputError('input.state', 'Unknown land state.', 'FORMAT');
    if (!Number.isFinite(input.areaMu) || input.areaMu <= 0 || input.areaMu > 100_000)
      throw new InputError('input.areaMu', 'Area is a positive number of mu (亩).', 'RANGE');
    const income = checkIncome(input.state, input.annualIncome, 'input.annualIncome');
    return changeAndRecheck(
      this.db,
      () => this.now(),
      async (m, mark) => {
        const [row] = await m.query(
          `INSERT INTO land_asset AS l (household_id, site_id, region_code, kind, area_mu, state, annual_income, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${LAND}`,
          [
            hh.householdId,
            hh.siteId,
            hh.regionCode,
            input.kind,
            input.areaMu,
            input.state,
            income,
            input.note?.trim() || null,
          ],
        );
        await mark([hh.householdId]);
        await auditWrite(m, this.principal, 'land_asset.record', row, {
          fields: ['kind', 'areaMu', 'state', 'annualIncome', 'note'],
        });
        return row;
      },
    );
  }

  async update(input: UpdateLandInput): Promise<LandRow> {
    const current = await rowForWrite<LandRow>(
      this.db,
      this.principal,
      `SELECT ${LAND} FROM land_asset l WHERE l.id = $1`,
      input.id,
      'input.id',
      'a land asset',
    );
    if (!LAND_STATES.includes(input.state)) throw new InputError('input.state', 'Unknown land state.', 'FORMAT');
    const income = checkIncome(input.state, input.annualIncome, 'input.annualIncome');
    return changeAndRecheck(
      this.db,
      () => this.now(),
      async (m, mark) => {
        const [row] = await m.query(
          `WITH u AS (UPDATE land_asset l SET state = $2, annual_income = $3, updated_at = now() WHERE l.id = $1
             RETURNING ${LAND}) SELECT * FROM u`,
          [current.id, input.state, income],
        );
        await mark([current.householdId]);
        await auditWrite(m, this.principal, 'land_asset.update', row, { fields: ['state', 'annualIncome'] });
        return row;
      },
    );
  }

  async createProject(input: ProjectInput): Promise<ProjectRow> {
    const site = await siteForWrite(this.db, this.principal, input.siteId, 'input.siteId');
    const name = requireText(input.name, 'input.name', 100);
    const industry = requireText(input.industry, 'input.industry', 50);
    if (!ORGANIZATION_FORMS.includes(input.organizationForm)) {
      throw new InputError('input.organizationForm', 'Cooperative, leading enterprise or workshop.', 'UNKNOWN_FORM');
    }
    const policy = textList(input.policySupport, 'input.policySupport');
    const technical = textList(input.technicalServices, 'input.technicalServices');
    return this.db.transaction(async (m) => {
      const [row]: ProjectRow[] = await m.query(
        `INSERT INTO industry_project AS x (name, site_id, region_code, description, industry, organization_form,
             policy_support,
           technical_services) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${PROJECT}`,
        [
          name,
          site.siteId,
          site.regionCode,
          input.description?.trim() || null,
          industry,
          input.organizationForm,
          policy,
          technical,
        ],
      );
      await auditWrite(m, this.principal, 'industry_project.create', row, {
        fields: ['name', 'description', 'industry', 'organizationForm', 'policySupport', 'technicalServices'],
      });
      return row;
    });
  }

  /** Links a household to a project with its annual dividend (a second link updates the dividend). */
  async link(input: LinkInput): Promise<LinkRow> {
    const project = await rowForWrite<ProjectRow>(
      this.db,
      this.principal,
      `SELECT ${PROJECT} FROM industry_project x WHERE x.id = $1`,
      input.projectId,
      'input.projectId',
      'an industry project',
    );
    const hh = await householdForWrite(this.db, this.principal, input.householdId, 'input.householdId');
    const dividend = requireAmount(input.annualDividend, 'input.annualDividend', 'The annual dividend');
    const wages = requireAmount(input.annualWageIncome ?? 0, 'input.annualWageIncome', 'The annual wage income');
    const linkedOn = requireDate(input.linkedOn, 'input.linkedOn');
    return changeAndRecheck(
      this.db,
      () => this.now(),
      async (m, mark) => {
        const [row] = await m.query(
          `INSERT INTO project_link AS k (project_id, household_id, site_id, region_code, annual_dividend,
           annual_wage_income, linked_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (project_id, household_id) DO UPDATE SET annual_dividend = EXCLUDED.annual_dividend,
           annual_wage_income = EXCLUDED.annual_wage_income RETURNING ${LINK}`,
          [project.id, hh.householdId, hh.siteId, hh.regionCode, dividend, wages, linkedOn],
        );
        await mark([hh.householdId]);
        await auditWrite(
          m,
          this.principal,
          'project_link.link',
          { ...row, id: `${row.projectId}:${row.householdId}` },
          {
            projectId: row.projectId,
            fields: ['annualDividend', 'annualWageIncome', 'linkedOn'],
          },
        );
        return row;
      },
    );
  }
}
