import {
  REGISTER_RESIDENT,
  TestSystem,
  csvFile,
  dataOf,
  fileRequest,
  importSheet,
  nationalId,
  notXlsxFiles,
  residentInput,
  rootOf,
  seedOtherCounty,
  seedPlace,
  sheetRows,
  tokenFor,
  withWrongCheckDigit,
  xlsxFile,
  type Place,
} from '@anju/testing';

/**
 * Counties load their volunteer sheets (志愿者) into matching: a resident volunteer named by ID
 * number (found by its keyed hash, never stored here), anyone else by name and phone (their keyed
 * hash is the natural key). Dry run, all-or-nothing, valid rows, re-imports that change nothing,
 * changed rows as updates, bad rows by code, and scope. Through the gateway.
 */
const HEADERS = [
  '姓名',
  '身份证号',
  '联系电话',
  '安置点',
  '技能',
  '其他技能',
  '语言',
  '其他语言',
  '每周可服务时长（小时）',
  '可服务时段',
];
type Cells = string[];

const WANG = nationalId('530102', '19700101', 11);
const ZHAO = nationalId('530102', '19800404', 45);
/** A resident of another county (盘龙区). */
const YANG = nationalId('530103', '19750101', 27);

let sys: TestSystem;
let place: Place;
let root: string;
let county: string;
let other: string;

const state = async () =>
  (
    await sys.sql(`SELECT
    (SELECT count(*)::int FROM matching.volunteer) AS volunteers,
    (SELECT count(*)::int FROM matching.volunteer_availability) AS windows,
    (SELECT count(*)::int FROM matching.audit_log WHERE entity_type = 'volunteer') AS audits,
    (SELECT coalesce(string_agg(display_name || skills::text || languages::text || weekly_hours::text, ';'
       ORDER BY id), '') FROM matching.volunteer) AS facts`)
  )[0];

async function importFile(bytes: Buffer, name: string, mode: string, token = county, kind = 'volunteers') {
  const job = await importSheet(root, 'matching', kind, { bytes, name }, mode, token);
  expect(job.failure ?? null).toBeNull();
  return job;
}
const codes = (job: Record<string, any>) =>
  (job.errors as { row: number; column: string; code: string }[]).map((e) => `${e.row} ${e.column} ${e.code}`).sort();

/** A system with 王大 and 赵二 registered in 五华区, 杨六 in 盘龙区, and a clerk of each county. */
async function start() {
  sys = await TestSystem.start({
    label: 'import-volunteers',
    env: { EXPENSIVE_RATE_LIMIT_PER_HOUR: '10000', EXPENSIVE_RATE_LIMIT_BURST: '1000' },
  });
  root = rootOf(sys.urls.gateway!);
  place = await seedPlace(sys, 2);
  const [h1, h2] = place.householdIds;
  for (const [householdId, idNumber, name] of [
    [h1, WANG, '王大'],
    [h2, ZHAO, '赵二'],
  ]) {
    const i = residentInput(householdId, 1, { nationalId: idNumber, name, relationToHead: 'HEAD' });
    dataOf(await sys.query(REGISTER_RESIDENT, { i }, place.provinceToken));
  }
  await seedOtherCounty(sys, place.provinceToken, { nationalId: YANG, name: '杨六' });
  county = await tokenFor({ role: 'county', regions: ['530102'], sub: 'clerk-wuhua' });
  other = await tokenFor({ role: 'county', regions: ['530103'], sub: 'clerk-panlong' });
  // Matching's resident directory holds the residents and their ID-number hashes.
  await sys.waitForIdle();
}

const ROWS: Cells[] = [
  [
    '王大',
    WANG,
    '',
    '安置点1',
    '就业指导',
    '电脑操作、驾驶',
    '普通话',
    '彝语',
    '6',
    '2026-12-05 09:00-12:00；2026/12/6 14:00至17:00',
  ],
  ['赵二', ZHAO, '13900000002', '安置点2', '养老照护', '', '普通话', '', '2.5', ''],
  ['李老师', '', '139 0000 0003', '安置点1', '课业辅导', '', '普通话', '', '4', ''],
];

const volunteerRows = () =>
  sys.sql(`SELECT v.display_name AS name, v.resident_id IS NOT NULL AS resident,
    v.contact_hash IS NOT NULL AS keyed, s.name AS site, v.skills, v.languages, v.weekly_hours::float8 AS hours,
    (SELECT array_agg(to_char(a.starts_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD HH24:MI') ORDER BY a.starts_at)
       FROM matching.volunteer_availability a WHERE a.volunteer_id = v.id) AS windows
  FROM matching.volunteer v JOIN matching.site_directory s ON s.site_id = v.home_site_id ORDER BY v.weekly_hours`);
const auditCounts = (where: string) =>
  sys.sql(`SELECT action, count(*)::int AS n FROM matching.audit_log WHERE ${where} GROUP BY action ORDER BY action`);

// On a system of its own: it counts every volunteer, window and audit that an import into an empty register writes.
describe('importing volunteers into an empty register', () => {
  beforeAll(start);
  afterAll(() => sys?.stop());

  it('offers a template; a dry run writes nothing; the import writes; a GBK CSV again changes nothing', async () => {
    const template = await fileRequest(root, '/files/matching/templates/volunteers', { token: county });
    expect(template.status).toBe(200);
    const rows = await sheetRows(template.bytes!);
    expect(rows[0]).toEqual([
      '姓名*',
      '身份证号',
      '联系电话',
      '安置点*',
      '技能',
      '其他技能',
      '语言',
      '其他语言',
      '每周可服务时长（小时）*',
      '可服务时段',
    ]);
    expect(rows[1][0]).toBe('张三');

    const before = await state();
    const dry = await importFile(await xlsxFile(HEADERS, ROWS), '志愿者.xlsx', 'dry_run');
    expect(dry).toMatchObject({
      status: 'DONE',
      mode: 'DRY_RUN',
      total: 3,
      rowsChecked: 3,
      rowsWritten: 0,
      errorCount: 0,
      created: 3,
    });
    expect(await state()).toEqual(before);

    const done = await importFile(await xlsxFile(HEADERS, ROWS), '志愿者.xlsx', 'all_or_nothing');
    expect(done).toMatchObject({ status: 'DONE', total: 3, rowsWritten: 3, created: 3, errorCount: 0 });
    const common = { languages: ['普通话'], windows: null };
    expect(await volunteerRows()).toEqual([
      { ...common, name: '赵二', resident: true, keyed: false, site: '安置点2', skills: ['elderly_care'], hours: 2.5 },
      { ...common, name: '李老师', resident: false, keyed: true, site: '安置点1', skills: ['tutoring'], hours: 4 },
      {
        name: '王大',
        resident: true,
        keyed: false,
        site: '安置点1',
        skills: ['job_coaching', 'computer', 'driving'],
        languages: ['普通话', '彝语'],
        hours: 6,
        windows: ['12-05 09:00', '12-06 14:00'],
      },
    ]);
    // No ID number nor phone is kept in matching: only keyed hashes.
    const kept = JSON.stringify(await sys.sql(`SELECT * FROM matching.volunteer`));
    expect(kept).not.toMatch(/13900000003|530102197/);
    expect(await auditCounts(`actor_subject = 'clerk-wuhua'`)).toEqual([{ action: 'volunteer.register', n: 3 }]);

    const after = await state();
    for (const encoding of ['gbk', 'utf-8'] as const) {
      const again = await importFile(csvFile(HEADERS, ROWS, encoding), '志愿者.csv', 'all_or_nothing');
      expect(again).toMatchObject({ status: 'DONE', total: 3, created: 0, updated: 0, unchanged: 3, rowsWritten: 0 });
    }
    expect(await state()).toEqual(after);

    // More hours for 赵二, a new window for 王大 (the old ones stay): updates, reported by column.
    const changed = ROWS.map((r) => [...r]);
    changed[1][8] = '3';
    changed[0][9] = '2026-12-07 09:00-11:00';
    const upd = await importFile(csvFile(HEADERS, changed, 'gbk'), '志愿者.csv', 'all_or_nothing');
    expect(upd).toMatchObject({ status: 'DONE', created: 0, updated: 2, unchanged: 1, rowsWritten: 2 });
    expect((await state()).windows).toBe(3);
    const report = await sheetRows((await fileRequest(root, upd.reportPath, { token: county })).bytes!);
    expect(report[0]).toEqual([...HEADERS, '导入结果', '错误说明']);
    expect(report.slice(1).map((r) => r[10])).toEqual([
      '更新（可服务时段）',
      '更新（每周可服务时长（小时））',
      '无变化',
    ]);
    expect(await auditCounts(`action = 'volunteer.update'`)).toEqual([{ action: 'volunteer.update', n: 2 }]);
  });
});

describe('importing volunteers with some there already', () => {
  beforeAll(start);
  afterAll(() => sys?.stop());

  it('reports every bad row by row, column and code; all-or-nothing writes none, valid rows the good', async () => {
    const cells = (name: string, id: string, phone: string, site: string, more: Partial<Record<number, string>> = {}) =>
      Object.assign([name, id, phone, site, '', '', '', '', '1', ''], more);
    const rows: Cells[] = [
      cells('周五', '', '13900000005', '安置点2', { 4: '急救', 6: '普通话' }), // 2: good
      cells('吴丁', withWrongCheckDigit(nationalId('530102', '19600808', 81)), '', '安置点1'), // 3: check digit
      cells('某人', nationalId('530102', '19610101', 83), '', '安置点1'), // 4: not registered
      cells('杨六', YANG, '', '安置点1'), // 5: another county's resident
      cells('钱七', '', '', '安置点1'), // 6: neither ID nor phone
      cells('孙八', '', '12345', '没有的安置点'), // 7: phone, site
      cells('郑九', '', '13900000009', '安置点1', { 4: '唱歌', 6: '火星语', 8: '100', 9: '明天上午' }), // 8: four cells
      cells('冯十', '', '13900000010', '安置点1', { 9: '2026-12-05 12:00-09:00' }), // 9: window reversed
      cells('周五', '', '13900000005', '安置点1'), // 10: row 2 again
      cells('陈一', '', '13900000011', '', { 8: '' }), // 11: site, hours required
    ];
    const before = await state();
    const dry = await importFile(await xlsxFile(HEADERS, rows), 'bad.xlsx', 'dry_run');
    expect(codes(dry)).toEqual(
      [
        '10 联系电话 DUPLICATE_IN_FILE',
        '11 安置点 REQUIRED',
        '11 每周可服务时长（小时） REQUIRED',
        '3 身份证号 NATIONAL_ID_CHECK_DIGIT',
        '4 身份证号 UNKNOWN_RESIDENT',
        '5 身份证号 UNKNOWN_RESIDENT',
        '6 联系电话 REQUIRED',
        '7 安置点 UNKNOWN_SITE',
        '7 联系电话 PHONE_FORMAT',
        '8 可服务时段 WINDOW_FORMAT',
        '8 技能 UNKNOWN_VALUE',
        '8 每周可服务时长（小时） RANGE',
        '8 语言 UNKNOWN_VALUE',
        '9 可服务时段 WINDOW_REVERSED',
      ].sort(),
    );
    const all = await importFile(await xlsxFile(HEADERS, rows), 'bad.xlsx', 'all_or_nothing');
    expect(all).toMatchObject({ status: 'DONE', rowsWritten: 0, created: 0, errorCount: 14 });
    expect(await state()).toEqual(before);
    const report = await sheetRows((await fileRequest(root, all.reportPath, { token: county })).bytes!);
    expect(report[1][10]).toBe('未写入（文件中有错误）');
    expect(report[2][11]).toContain('身份证号校验位错误');

    const valid = await importFile(await xlsxFile(HEADERS, rows), 'bad.xlsx', 'valid_rows');
    expect(valid).toMatchObject({ status: 'DONE', rowsWritten: 1, created: 1, errorCount: 14 });
    expect((await state()).volunteers).toBe(before.volunteers + 1);
  });

  it('refuses bad files and unknown kinds; another county imports into its own sites only', async () => {
    // 李老师, a volunteer of 五华区 whom 盘龙区's clerk tries to move below (unchanged if the first test ran here).
    expect(await importFile(csvFile(HEADERS, [ROWS[2]]), 'teacher.csv', 'all_or_nothing')).toMatchObject({
      status: 'DONE',
      errorCount: 0,
    });
    const before = await state();
    const withoutSite = csvFile(
      HEADERS.filter((h) => h !== '安置点'),
      [ROWS[2].filter((_, i) => i !== 3)],
    );
    expect(await importFile(withoutSite, 'm.csv', 'dry_run')).toMatchObject({ refused: 'MISSING_COLUMNS' });
    const pets = await importFile(csvFile(HEADERS, ROWS), 'c.csv', 'dry_run', county, 'pets');
    expect(pets).toMatchObject({ refused: 'UNKNOWN_KIND' });
    const notXlsx = (await notXlsxFiles()).text;
    expect(await importFile(notXlsx, 'x.xlsx', 'dry_run')).toMatchObject({ refused: 'NOT_XLSX', status: 400 });
    const merged = await xlsxFile(HEADERS, ROWS, { mergeColumn: 0 });
    expect(await importFile(merged, 'm.xlsx', 'dry_run')).toMatchObject({ refused: 'MERGED_CELLS', status: 400 });

    // 盘龙区's clerk: 五华区's sites and residents are none of theirs.
    const theirs = await importFile(csvFile(HEADERS, ROWS), 'x.csv', 'all_or_nothing', other);
    expect(codes(theirs)).toEqual(
      [
        '2 安置点 UNKNOWN_SITE',
        '2 身份证号 UNKNOWN_RESIDENT',
        '3 安置点 UNKNOWN_SITE',
        '3 身份证号 UNKNOWN_RESIDENT',
        '4 安置点 UNKNOWN_SITE',
      ].sort(),
    );
    // At their own site, a volunteer registered in 五华区 (by name and phone) is not theirs to move.
    const teacher = [['李老师', '', '13900000003', '盘龙家园', '', '', '', '', '4', '']];
    const moved = await importFile(csvFile(HEADERS, teacher), 'y.csv', 'all_or_nothing', other);
    expect(codes(moved)).toEqual(['2 安置点 OTHER_SCOPE']);
    // Their own volunteer is theirs: the resident 杨六 at 盘龙家园.
    const yang = (skill: string) =>
      csvFile(HEADERS, [['杨六', YANG, '', '盘龙家园', skill, '', '普通话', '', '2', '']], 'gbk');
    expect(codes(await importFile(yang('维修'), 'z.csv', 'dry_run', other))).toEqual(['2 技能 UNKNOWN_VALUE']);
    const fixed = await importFile(yang('家电维修'), 'z.csv', 'all_or_nothing', other);
    expect(fixed).toMatchObject({ status: 'DONE', created: 1, rowsWritten: 1 });
    expect(await sys.sql(`SELECT region_code AS region FROM matching.volunteer WHERE display_name = '杨六'`)).toEqual([
      { region: '530103' },
    ]);
    expect((await state()).volunteers).toBe(before.volunteers + 1);
    // …nor can they read this clerk's jobs.
    const mine = await importFile(csvFile(HEADERS, ROWS), 'c.csv', 'dry_run');
    expect((await fileRequest(root, `/files/matching/imports/${mine.id}`, { token: other })).status).toBe(404);
  });
});
