import type { ColumnSpec, XlsxColumn } from '@anju/kit';
import type { LabourCapacity, RelationToHead } from '../resident/resident.types';

/**
 * The households-with-residents sheet (户籍花名册): one row per resident, the household given by
 * its dwelling (安置点 + 楼栋 + 单元 + 房号) and its head (户主). The same columns serve the
 * import, its template and the error report.
 */
export type HouseholdSheetKey =
  | 'householdNumber'
  | 'head'
  | 'name'
  | 'nationalId'
  | 'relation'
  | 'ethnicity'
  | 'phone'
  | 'labour'
  | 'site'
  | 'building'
  | 'unit'
  | 'room'
  | 'movedInOn';

export const HOUSEHOLD_COLUMNS: readonly ColumnSpec<HouseholdSheetKey>[] = [
  { key: 'head', header: '户主', required: true, aliases: ['户主姓名'] },
  { key: 'name', header: '姓名', required: true },
  { key: 'nationalId', header: '身份证号', required: true, aliases: ['身份证号码', '公民身份号码'] },
  { key: 'relation', header: '与户主关系', required: true },
  { key: 'ethnicity', header: '民族', required: true },
  { key: 'phone', header: '联系电话', aliases: ['手机号码', '电话'] },
  { key: 'labour', header: '劳动力状况', required: true },
  { key: 'site', header: '安置点', required: true },
  { key: 'building', header: '楼栋', required: true },
  { key: 'unit', header: '单元', required: true },
  { key: 'room', header: '房号', required: true },
  { key: 'movedInOn', header: '搬迁时间', aliases: ['搬迁入住时间'] },
  { key: 'householdNumber', header: '户编号', aliases: ['搬迁户编号'] },
];

/** 与户主关系 as written in the registry → the code. */
export const RELATIONS: Record<string, RelationToHead> = {
  户主: 'head',
  本人: 'head',
  配偶: 'spouse',
  妻: 'spouse',
  夫: 'spouse',
  子女: 'child',
  子: 'child',
  女: 'child',
  儿子: 'child',
  女儿: 'child',
  父母: 'parent',
  父亲: 'parent',
  母亲: 'parent',
  孙子女: 'grandchild',
  孙子: 'grandchild',
  孙女: 'grandchild',
  兄弟姐妹: 'sibling',
  其他: 'other',
  儿媳: 'other',
  女婿: 'other',
};
export const RELATION_LABELS: Record<RelationToHead, string> = {
  head: '户主',
  spouse: '配偶',
  child: '子女',
  parent: '父母',
  grandchild: '孙子女',
  sibling: '兄弟姐妹',
  other: '其他',
};

/** 劳动力状况 → the code. */
export const LABOUR: Record<string, LabourCapacity> = {
  全劳动力: 'full',
  弱劳动力: 'weak',
  半劳动力: 'weak',
  无劳动力: 'none',
  丧失劳动力: 'none',
};
export const LABOUR_LABELS: Record<LabourCapacity, string> = { full: '全劳动力', weak: '弱劳动力', none: '无劳动力' };

/** The template: the headers (required ones marked *), drop-down lists for the enumerations. */
export function householdTemplateColumns(): XlsxColumn[] {
  const lists: Partial<Record<HouseholdSheetKey, readonly string[]>> = {
    relation: Object.values(RELATION_LABELS),
    labour: Object.values(LABOUR_LABELS),
  };
  return HOUSEHOLD_COLUMNS.map((c) => ({
    header: `${c.header}${c.required ? '*' : ''}`,
    list: lists[c.key],
    width: c.key === 'nationalId' ? 22 : undefined,
  }));
}

/** The template's example row (a made-up person; the ID number's check digit is right). */
export const HOUSEHOLD_EXAMPLE_ROW = [
  '张三',
  '张三',
  '530627198503121231',
  '户主',
  '汉族',
  '13800000000',
  '全劳动力',
  '示例安置点',
  '1栋',
  '1单元',
  '101',
  '2019-06-01',
  '',
];

/** "3" and "3栋" are one building; "2" and "2单元" one unit. */
export function buildingName(s: string): string {
  return /^\d+$/.test(s) ? `${s}栋` : s;
}
export function unitName(s: string): string {
  return /^\d+$/.test(s) ? `${s}单元` : s;
}
/** The household's address as the register writes it: 3栋2单元501. */
export function dwelling(building: string, unit: string, room: string): string {
  return `${buildingName(building)}${unitName(unit)}${room}`;
}
