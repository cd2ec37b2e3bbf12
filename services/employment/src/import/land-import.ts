import {
  auditImported,
  batches,
  codeOf,
  parseAmount,
  type ColumnSpec,
  type ImportMode,
  type ImportProgress,
  type SheetRow,
} from '@anju/kit';
import { markForRecheck } from '../monitoring/recheck';
import type { LandState } from '../monitoring/rules';
import type { LandRow } from '../land/land.service';
import {
  RESIDENT_COLUMNS,
  ResidentSheetImport,
  templateColumns,
  type ResidentKey,
  type ResidentRow,
} from './resident-sheet';

export type LandSheetKey = 'head' | ResidentKey | 'kind' | 'area' | 'state' | 'income' | 'note';
type LandKind = LandRow['kind'];

export const LAND_COLUMNS: readonly ColumnSpec<LandSheetKey>[] = [
  { key: 'head', header: '户主', aliases: ['户主姓名', '姓名'] },
  { ...RESIDENT_COLUMNS.nationalId, aliases: ['户主身份证号', ...RESIDENT_COLUMNS.nationalId.aliases] },
  { key: 'kind', header: '土地类型', required: true, aliases: ['地类'] },
  { key: 'area', header: '面积（亩）', required: true, aliases: ['面积', '面积(亩)'] },
  { key: 'state', header: '利用状态', required: true, aliases: ['状态'] },
  { key: 'income', header: '年收益（元）', required: true, aliases: ['年收益', '年收益(元)', '年收入'] },
  { key: 'note', header: '备注' },
  RESIDENT_COLUMNS.residentId,
];

export const KIND_LABELS: Record<LandKind, string> = { contracted: '承包地', forest: '林地', homestead: '宅基地' };
const KINDS: Record<string, LandKind> = {
  承包地: 'contracted',
  耕地: 'contracted',
  林地: 'forest',
  宅基地: 'homestead',
};
export const STATE_LABELS: Record<LandState, string> = { idle: '闲置', leased: '流转', pooled: '入股' };
const STATES: Record<string, LandState> = {
  闲置: 'idle',
  撂荒: 'idle',
  流转: 'leased',
  出租: 'leased',
  入股: 'pooled',
};

export const LAND_TEMPLATE = {
  fileName: '三块地导入模板.xlsx',
  sheet: '三块地',
  columns: templateColumns(LAND_COLUMNS, (c) => ({
    list: c.key === 'kind' ? Object.values(KIND_LABELS) : c.key === 'state' ? Object.values(STATE_LABELS) : undefined,
  })),
  example: ['张三', '530627198503121231', '承包地', '3.5', '流转', '1200', ''],
};

interface Row extends ResidentRow<LandSheetKey> {
  kind?: LandKind;
  state?: LandState;
  area?: number;
  income?: number;
  note: string | null;
  existingId?: string;
}

/**
 * 三块地导入: a household's land (contracted, forest, homestead), one row per kind of land, the
 * household named by the ID number of one of its members (the head, as registers write it). The
 * natural key is the household and the kind: a kind the household already has is updated when
 * its area, state, income or note changed (two parcels of one kind recorded apart cannot be told
 * apart by a sheet: AMBIGUOUS_LAND). As `recordLandAsset` does, every write is audited and marks
 * the household for re-check against the four rules, in the transaction that writes it.
 */
export class LandImport extends ResidentSheetImport<LandSheetKey, Row> {
  protected readonly columns = LAND_COLUMNS;

  protected checkRow(sheet: SheetRow<LandSheetKey>): Row {
    const v = sheet.values;
    const r: Row = { sheet, errors: [], note: v.note || null };
    this.requireCells(r);
    this.readResident(r);
    r.kind = codeOf(KINDS, v.kind);
    if (v.kind && !r.kind)
      this.fail(r, 'kind', 'UNKNOWN_VALUE', `土地类型“${v.kind}”无法识别：应为承包地、林地或宅基地`);
    r.state = codeOf(STATES, v.state);
    if (v.state && !r.state)
      this.fail(r, 'state', 'UNKNOWN_VALUE', `利用状态“${v.state}”无法识别：应为闲置、流转或入股`);
    const area = v.area ? parseAmount(v.area) : null;
    if (v.area && (area === null || area <= 0 || area > 100_000))
      this.fail(r, 'area', 'RANGE', '面积应为大于 0 的亩数，如 3.5');
    else if (area !== null) r.area = area;
    const income = v.income ? parseAmount(v.income) : null;
    if (v.income && (income === null || income > 1e9))
      this.fail(r, 'income', 'AMOUNT_FORMAT', '年收益应为不小于 0 的金额（元），如 1200');
    else if (income !== null) r.income = income;
    if (r.state === 'idle' && (r.income ?? 0) > 0)
      this.fail(r, 'income', 'IDLE_WITH_INCOME', '闲置（撂荒）的土地没有收益：请填写为流转或入股');
    if (v.note.length > 200) this.fail(r, 'note', 'TOO_LONG', '备注最多 200 个字');
    return r;
  }

  protected async checkRows(rows: Row[], _mode: ImportMode, _jobId: string, progress: ImportProgress): Promise<void> {
    await this.findResidents(rows);
    const first = new Map<string, number>();
    for (const r of rows) {
      if (!r.resident || !r.kind) continue;
      const key = `${r.resident.householdId}|${r.kind}`;
      const seen = first.get(key);
      if (seen === undefined) first.set(key, r.sheet.row);
      else this.fail(r, 'kind', 'DUPLICATE_IN_FILE', `这一户的${KIND_LABELS[r.kind]}已在第 ${seen} 行填写`);
    }
    const good = rows.filter((r) => !r.errors.length);
    const existing: {
      id: string;
      householdId: string;
      kind: LandKind;
      areaMu: number;
      state: LandState;
      annualIncome: number;
      note: string | null;
    }[] = good.length
      ? await this.db.query(
          `SELECT l.id, l.household_id AS "householdId", l.kind, l.area_mu::float8 AS "areaMu", l.state,
             l.annual_income::float8 AS "annualIncome", l.note
           FROM land_asset l WHERE l.household_id = ANY($1::uuid[])`,
          [[...new Set(good.map((r) => r.resident!.householdId))]],
        )
      : [];
    const byKey = new Map<string, typeof existing>();
    for (const e of existing)
      byKey.set(`${e.householdId}|${e.kind}`, [...(byKey.get(`${e.householdId}|${e.kind}`) ?? []), e]);
    for (const r of good) {
      const found = byKey.get(`${r.resident!.householdId}|${r.kind}`) ?? [];
      if (found.length > 1) {
        this.fail(
          r,
          'kind',
          'AMBIGUOUS_LAND',
          `这一户已登记 ${found.length} 块${KIND_LABELS[r.kind!]}，无法确定要更新哪一块：请在系统中逐块修改`,
        );
        continue;
      }
      const [e] = found;
      if (!e) {
        r.outcome = 'create';
        continue;
      }
      r.existingId = e.id;
      r.changed = [
        ...(e.areaMu !== r.area ? [this.header('area')] : []),
        ...(e.state !== r.state ? [this.header('state')] : []),
        ...(e.annualIncome !== r.income ? [this.header('income')] : []),
        ...((e.note ?? null) !== r.note ? [this.header('note')] : []),
      ];
      r.outcome = r.changed.length ? 'update' : 'unchanged';
    }
    await progress.checked(rows.length);
  }

  protected write(rows: Row[], jobId: string, progress: ImportProgress): Promise<number> {
    const p = this.principal;
    return this.db.transaction(async (m) => {
      let written = 0;
      for (const part of batches(rows.filter((r) => r.outcome === 'create'))) {
        const made: { id: string }[] = await m.query(
          `INSERT INTO land_asset (household_id, site_id, region_code, kind, area_mu, state, annual_income, note)
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::text[], $5::numeric[], $6::text[],
             $7::numeric[], $8::text[]) RETURNING id`,
          [
            part.map((r) => r.resident!.householdId),
            part.map((r) => r.resident!.siteId),
            part.map((r) => r.resident!.regionCode),
            part.map((r) => r.kind),
            part.map((r) => r.area),
            part.map((r) => r.state),
            part.map((r) => r.income),
            part.map((r) => r.note),
          ],
        );
        await auditImported(
          m,
          p,
          'land_asset.record',
          'land_asset',
          `SELECT id::text, site_id, region_code FROM land_asset WHERE id = ANY($1::uuid[])`,
          [made.map((x) => x.id)],
          jobId,
        );
        written += part.length;
        await progress.written(written);
      }
      for (const part of batches(rows.filter((r) => r.outcome === 'update'))) {
        await m.query(
          `UPDATE land_asset l SET area_mu = u.area, state = u.state, annual_income = u.income, note = u.note,
               updated_at = now()
             FROM unnest($1::uuid[], $2::numeric[], $3::text[], $4::numeric[], $5::text[]) AS u(id, area, state, income,
               note) WHERE l.id = u.id`,
          [
            part.map((r) => r.existingId),
            part.map((r) => r.area),
            part.map((r) => r.state),
            part.map((r) => r.income),
            part.map((r) => r.note),
          ],
        );
        await auditImported(
          m,
          p,
          'land_asset.update',
          'land_asset',
          `SELECT id::text, site_id, region_code FROM land_asset WHERE id = ANY($1::uuid[])`,
          [part.map((r) => r.existingId)],
          jobId,
        );
        written += part.length;
        await progress.written(written);
      }
      await markForRecheck(
        m,
        rows.filter((r) => r.outcome !== 'unchanged').map((r) => r.resident!.householdId),
      );
      return written;
    });
  }
}
