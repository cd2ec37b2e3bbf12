import {
  REGISTER_RESIDENT,
  TestSystem,
  csvFile,
  dataOf,
  fileRequest,
  importSheet,
  nationalId,
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
 * Counties load their employment sheets (就业信息) and land (三块地) into employment: each row names
 * a resident by ID number, found by its keyed hash (never stored here). Dry run, all-or-nothing,
 * valid rows, re-imports that change nothing, changed rows as updates with their events, bad
 * rows and files, and scope. Through the gateway.
 */
const JOB_HEADERS = [
  '姓名',
  '身份证号',
  '就业形式',
  '就业单位',
  '公益性岗位',
  '务工地点',
  '开始日期',
  '结束日期',
  '结束原因',
  '月收入（元）',
];
const LAND_HEADERS = ['户主', '身份证号', '土地类型', '面积（亩）', '利用状态', '年收益（元）', '备注'];
const TRAINING_HEADERS = [
  '姓名',
  '身份证号',
  '培训项目',
  '培训机构',
  '培训地点',
  '开始日期',
  '结束日期',
  '培训状态',
  '出勤率（%）',
  '技能等级',
  '证书编号',
  '结业日期',
  '退出原因',
];
type Cells = string[];

const id = (birth: string, seq: number) => nationalId('530102', birth, seq);
const WANG = id('19700101', 11);
const LI = id('19720202', 22);
const ZHAO = id('19800404', 45);
const WANG_JUNIOR = id('20000303', 33);
/** A resident of another county (盘龙区), registered by its own clerk. */
const YANG = nationalId('530103', '19750101', 27);

let sys: TestSystem;
let place: Place;
let root: string;
let county: string;

const count = async (table: string) => Number((await sys.sql(`SELECT count(*) AS n FROM employment.${table}`))[0].n);
const state = async () => ({
  jobs: await count('employment_record'),
  land: await count('land_asset'),
  outbox: await count('outbox'),
  filled: await count('job_posting WHERE filled > 0'),
});

async function importFile(kind: string, bytes: Buffer, name: string, mode: string, token = county) {
  const job = await importSheet(root, 'employment', kind, { bytes, name }, mode, token);
  expect(job.failure ?? null).toBeNull();
  return job;
}

/** A system with county A's three residents, a workshop, a post of one place; county B's 杨六. */
async function start() {
  sys = await TestSystem.start({
    label: 'import-employment',
    env: { EXPENSIVE_RATE_LIMIT_PER_HOUR: '10000', EXPENSIVE_RATE_LIMIT_BURST: '1000' },
  });
  root = rootOf(sys.urls.gateway!);
  place = await seedPlace(sys, 2);
  // 王大 and 李花 of one household, 赵二 of another: registered one by one (resident.registered carries their hashes).
  const [h1, h2] = place.householdIds;
  for (const [householdId, nationalIdOf, name, relationToHead] of [
    [h1, WANG, '王大', 'HEAD'],
    [h1, LI, '李花', 'SPOUSE'],
    [h2, ZHAO, '赵二', 'HEAD'],
  ]) {
    dataOf(
      await sys.query(
        REGISTER_RESIDENT,
        { i: residentInput(householdId, 1, { nationalId: nationalIdOf, name, relationToHead }) },
        place.provinceToken,
      ),
    );
  }
  await seedOtherCounty(sys, place.provinceToken, { nationalId: YANG, name: '杨六' });
  // A workshop at 安置点1 (李花's), a public-welfare post of one place at 安置点2 (赵二's).
  dataOf(
    await sys.query(
      `mutation($i: RegisterEmployerInput!) { registerEmployer(input: $i) { id } }`,
      { i: { name: '安居扶贫车间', kind: 'POVERTY_WORKSHOP', siteId: place.siteIds[0] } },
      place.provinceToken,
    ),
  );
  dataOf(
    await sys.query(
      `mutation($i: CreateJobPostingInput!) { createJobPosting(input: $i) { id } }`,
      {
        i: {
          siteId: place.siteIds[1],
          title: '保洁员',
          kind: 'PUBLIC_WELFARE_POST',
          fundingSource: '衔接资金',
          termStartsOn: '2024-01-01',
          termEndsOn: '2030-12-31',
          capacity: 1,
          monthlyWage: 1500,
        },
      },
      place.provinceToken,
    ),
  );
  county = await tokenFor({ role: 'county', regions: ['530102'], sub: 'clerk-wuhua' });
  await sys.waitForIdle();
}

const JOBS: Cells[] = [
  ['王大', WANG, '外出务工', '', '', '广东省东莞市', '2024-03-01', '', '', '4500'],
  ['李花', LI, '扶贫车间', '安居扶贫车间', '', '', '2024/4/1', '', '', '2,200'],
  ['赵二', ZHAO, '公益性岗位', '', '保洁员', '', '2024-05-01', '', '', '1500'],
];

// On a system of their own: they count what imports into empty registers of jobs and of land write.
describe('importing employment records and land into empty registers', () => {
  beforeAll(start);
  afterAll(() => sys?.stop());

  it('offers a template; a dry run writes nothing; the import writes, publishes; same GBK CSV: no change', async () => {
    // A clerk of its own, whose audits are counted below (the land test imports as the county's clerk).
    const clerk = await tokenFor({ role: 'county', regions: ['530102'], sub: 'clerk-wuhua-jobs' });
    const byClerk = (kind: string, bytes: Buffer, name: string, mode: string) =>
      importFile(kind, bytes, name, mode, clerk);
    const template = await fileRequest(root, '/files/employment/templates/employment', { token: clerk });
    expect(template.status).toBe(200);
    expect((await sheetRows(template.bytes!))[0]).toEqual([
      '姓名',
      '身份证号*',
      '就业形式*',
      '就业单位',
      '公益性岗位',
      '务工地点',
      '开始日期*',
      '结束日期',
      '结束原因',
      '月收入（元）*',
    ]);

    const before = await state();
    const dry = await byClerk('employment', await xlsxFile(JOB_HEADERS, JOBS), '就业.xlsx', 'dry_run');
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

    const done = await byClerk('employment', await xlsxFile(JOB_HEADERS, JOBS), '就业.xlsx', 'all_or_nothing');
    expect(done).toMatchObject({ status: 'DONE', total: 3, rowsWritten: 3, created: 3, errorCount: 0 });
    const rows = await sys.sql(`SELECT r.kind, r.destination, r.monthly_income::float8 AS income, e.name AS employer,
        j.title AS post, j.filled
      FROM employment.employment_record r LEFT JOIN employment.employer e ON e.id = r.employer_id LEFT
        JOIN employment.job_posting j ON j.id = r.posting_id
      ORDER BY r.kind`);
    expect(rows).toEqual([
      { kind: 'migrant_work', destination: '广东省东莞市', income: 4500, employer: null, post: null, filled: null },
      { kind: 'public_welfare_post', destination: null, income: 1500, employer: null, post: '保洁员', filled: 1 },
      { kind: 'workshop', destination: null, income: 2200, employer: '安居扶贫车间', post: null, filled: null },
    ]);
    const events = await sys.sql(
      `SELECT event, count(*)::int AS n FROM employment.outbox WHERE event LIKE 'employment.%' GROUP BY event`,
    );
    expect(events).toEqual([{ event: 'employment.started', n: 3 }]);
    const audits = await sys.sql(
      `SELECT action, count(*)::int AS n FROM employment.audit_log WHERE actor_subject = $1 GROUP BY action`,
      ['clerk-wuhua-jobs'],
    );
    expect(audits).toEqual([{ action: 'employment_record.start', n: 3 }]);
    // Each household is marked for re-check against the four rules, as a single start does.
    await sys.waitForIdle();
    const [{ n: checked }] = await sys.sql(
      `SELECT count(*)::int AS n FROM employment.household_status WHERE employed > 0`,
    );
    expect(checked).toBe(2);

    const after = await state();
    for (const encoding of ['gbk', 'utf-8'] as const) {
      const again = await byClerk('employment', csvFile(JOB_HEADERS, JOBS, encoding), '就业.csv', 'all_or_nothing');
      expect(again).toMatchObject({ status: 'DONE', total: 3, created: 0, updated: 0, unchanged: 3, rowsWritten: 0 });
    }
    expect(await state()).toEqual(after);

    // A raise and an end: updates, reported by column; the end publishes employment.ended and frees the post.
    const changed = JOBS.map((r) => [...r]);
    changed[0][9] = '5000';
    changed[2][7] = '2024-10-31';
    changed[2][8] = '合同期满';
    const upd = await byClerk('employment', csvFile(JOB_HEADERS, changed, 'gbk'), '就业.csv', 'all_or_nothing');
    expect(upd).toMatchObject({ status: 'DONE', created: 0, updated: 2, unchanged: 1, rowsWritten: 2 });
    const ended = await sys.sql(`SELECT payload FROM employment.outbox WHERE event = 'employment.ended'`);
    expect(ended.map((e) => [e.payload.kind, e.payload.endedOn, e.payload.reason])).toEqual([
      ['public_welfare_post', '2024-10-31', '合同期满'],
    ]);
    expect((await sys.sql(`SELECT filled FROM employment.job_posting`))[0].filled).toBe(0);
    const report = await sheetRows((await fileRequest(root, upd.reportPath, { token: clerk })).bytes!);
    expect(report[0]).toEqual([...JOB_HEADERS, '导入结果', '错误说明']);
    expect(report.slice(1).map((r) => r[10])).toEqual(['更新（月收入（元））', '无变化', '更新（结束日期、结束原因）']);
  });

  // Another county sees no one.
  it('imports land by household and kind: new, unchanged, updated; bad input is refused', async () => {
    const LAND: Cells[] = [
      ['王大', WANG, '承包地', '3.5', '流转', '1200', ''],
      ['王大', LI, '林地', '10', '闲置', '0', '退耕还林'],
      ['赵二', ZHAO, '宅基地', '0.3', '入股', '600', ''],
    ];
    const dry = await importFile('land', csvFile(LAND_HEADERS, LAND, 'utf-8-bom'), '三块地.csv', 'dry_run');
    expect(dry).toMatchObject({ status: 'DONE', created: 3, rowsWritten: 0, errorCount: 0 });
    expect(await count('land_asset')).toBe(0);
    const done = await importFile('land', await xlsxFile(LAND_HEADERS, LAND), '三块地.xlsx', 'all_or_nothing');
    expect(done).toMatchObject({ status: 'DONE', created: 3, rowsWritten: 3 });
    const again = await importFile('land', csvFile(LAND_HEADERS, LAND, 'gbk'), '三块地.csv', 'all_or_nothing');
    expect(again).toMatchObject({ status: 'DONE', created: 0, updated: 0, unchanged: 3, rowsWritten: 0 });
    const changed = LAND.map((r) => [...r]);
    changed[1][4] = '流转';
    changed[1][5] = '800';
    const upd = await importFile('land', csvFile(LAND_HEADERS, changed), '三块地.csv', 'all_or_nothing');
    expect(upd).toMatchObject({ status: 'DONE', created: 0, updated: 1, unchanged: 2 });
    const land = await sys.sql(
      `SELECT kind, area_mu::float8 AS area, state, annual_income::float8 AS income FROM employment.land_asset
        ORDER BY kind`,
    );
    expect(land).toEqual([
      { kind: 'contracted', area: 3.5, state: 'leased', income: 1200 },
      { kind: 'forest', area: 10, state: 'leased', income: 800 },
      { kind: 'homestead', area: 0.3, state: 'pooled', income: 600 },
    ]);

    const bad = await importFile(
      'land',
      csvFile(LAND_HEADERS, [
        ['王大', WANG, '承包地', '0', '闲置', '100', ''],
        ['王大', LI, '承包地', '1', '流转', '10', ''],
        ['杨六', YANG, '承包地', '1', '流转', '10', ''],
        ['赵二', ZHAO, '菜地', '1', '流转', '10', ''],
      ]),
      'bad.csv',
      'all_or_nothing',
    );
    const codes = (bad.errors as { row: number; column: string; code: string }[]).map(
      (e) => `${e.row} ${e.column} ${e.code}`,
    );
    expect(codes.sort()).toEqual(
      [
        '2 年收益（元） IDLE_WITH_INCOME',
        '2 面积（亩） RANGE',
        '3 土地类型 DUPLICATE_IN_FILE',
        '4 身份证号 UNKNOWN_RESIDENT',
        '5 土地类型 UNKNOWN_VALUE',
      ].sort(),
    );
    // Row 3 names 王大's household again (李花 is his spouse): one contracted-land row per household.
    expect(bad).toMatchObject({ rowsWritten: 0 });

    // Bad files: columns named, nothing written; a kind this service does not import.
    const missing = await importFile(
      'land',
      csvFile(
        LAND_HEADERS.filter((h) => h !== '土地类型'),
        [LAND[0].filter((_, i) => i !== 2)],
      ),
      'c.csv',
      'dry_run',
    );
    expect(missing).toMatchObject({ refused: 'MISSING_COLUMNS', status: 400 });
    expect(await importFile('households', csvFile(LAND_HEADERS, LAND), 'c.csv', 'dry_run')).toMatchObject({
      refused: 'UNKNOWN_KIND',
    });
    // Another county's clerk: none of these residents is theirs.
    const other = await tokenFor({ role: 'county', regions: ['530103'], sub: 'clerk-panlong' });
    const theirs = await importFile('land', csvFile(LAND_HEADERS, LAND), 'x.csv', 'all_or_nothing', other);
    expect((theirs.errors as { code: string }[]).map((e) => e.code)).toEqual([
      'UNKNOWN_RESIDENT',
      'UNKNOWN_RESIDENT',
      'UNKNOWN_RESIDENT',
    ]);
    // …nor can they read this clerk's job.
    expect((await fileRequest(root, `/files/employment/imports/${done.id}`, { token: other })).status).toBe(404);
  });
});

describe('importing employment records and land with records there already', () => {
  beforeAll(start);
  afterAll(() => sys?.stop());

  it('reports every bad row by row, column, code; all-or-nothing writes none, valid rows the good ones', async () => {
    const rows: Cells[] = [
      ['王大', WANG, '灵活就业', '', '', '', '2025-01-01', '', '', '1800'], // 2: good
      ['吴丁', withWrongCheckDigit(id('19600808', 81)), '灵活就业', '', '', '', '2025-01-01', '', '', '1'], // 3: check digit
      ['某人', id('19610101', 83), '灵活就业', '', '', '', '2025-01-01', '', '', '1'], // 4: not registered
      ['杨六', YANG, '灵活就业', '', '', '', '2025-01-01', '', '', '1'], // 5: another county's resident
      ['李花', LI, '打零工', '', '', '', '明天', '', '', '-5'], // 6: kind, date, amount
      ['李花', LI, '外出务工', '', '', '', '2025-02-01', '', '', '3000'], // 7: no destination
      ['李花', LI, '扶贫车间', '没有的车间', '', '', '2025-03-01', '', '', '2000'], // 8: unknown employer
      ['赵二', ZHAO, '公益性岗位', '', '保洁员', '', '2025-01-01', '', '', '1500'], // 9: the post is free again: good
      ['赵二', ZHAO, '公益性岗位', '', '保洁员', '', '2025-02-01', '', '', '1500'], // 10: only one place
      ['王大', WANG, '灵活就业', '', '', '', '2025-01-01', '', '', '1800'], // 11: row 2 again
      ['王大', WANG, '灵活就业', '', '', '', '2025-06-01', '2025-05-01', '', '1800'], // 12: ends before start, no reason
    ];
    const before = await state();
    const dry = await importFile('employment', await xlsxFile(JOB_HEADERS, rows), 'bad.xlsx', 'dry_run');
    const codes = (dry.errors as { row: number; column: string; code: string }[]).map(
      (e) => `${e.row} ${e.column} ${e.code}`,
    );
    expect(codes.sort()).toEqual([
      '10 公益性岗位 POST_FULL',
      '11 开始日期 DUPLICATE_IN_FILE',
      '12 结束原因 REQUIRED',
      '12 结束日期 ENDS_BEFORE_START',
      '3 身份证号 NATIONAL_ID_CHECK_DIGIT',
      '4 身份证号 UNKNOWN_RESIDENT',
      '5 身份证号 UNKNOWN_RESIDENT',
      '6 就业形式 UNKNOWN_VALUE',
      '6 开始日期 DATE_FORMAT',
      '6 月收入（元） AMOUNT_FORMAT',
      '7 务工地点 REQUIRED',
      '8 就业单位 UNKNOWN_EMPLOYER',
    ]);
    expect(await state()).toEqual(before);
    const all = await importFile('employment', csvFile(JOB_HEADERS, rows, 'gbk'), 'bad.csv', 'all_or_nothing');
    expect(all).toMatchObject({ status: 'DONE', rowsWritten: 0, created: 0, errorCount: 12 });
    expect(await state()).toEqual(before);
    const report = await sheetRows((await fileRequest(root, all.reportPath, { token: county })).bytes!);
    expect(report[1][10]).toBe('未写入（文件中有错误）');
    expect(report[2][11]).toContain('身份证号：身份证号校验位错误');

    const valid = await importFile('employment', await xlsxFile(JOB_HEADERS, rows), 'bad.xlsx', 'valid_rows');
    expect(valid).toMatchObject({ status: 'DONE', created: 2, rowsWritten: 2 });
    expect((await state()).jobs).toBe(before.jobs + 2);
  });

  it("exports jobs and land in the imports' columns: round-trips, an edit updates; no ID number leaves", async () => {
    // Its own records (the same rows as above: unchanged if they are there already).
    await importFile('employment', await xlsxFile(JOB_HEADERS, JOBS.slice(0, 2)), '就业.xlsx', 'valid_rows');
    await importFile(
      'land',
      csvFile(LAND_HEADERS, [['王大', WANG, '承包地', '3.5', '流转', '1200', '']]),
      '三块地.csv',
      'valid_rows',
    );
    const exported = async (kind: string, token = county) => {
      const answer = await fileRequest(root, `/files/employment/exports/${kind}`, { token });
      expect([answer.status, answer.headers.get('content-disposition')]).toEqual([
        200,
        expect.stringContaining('.xlsx'),
      ]);
      return { bytes: answer.bytes!, rows: await sheetRows(answer.bytes!) };
    };
    for (const [kind, headers, jobs] of [
      ['employment', JOB_HEADERS, 'employment_record'],
      ['land', LAND_HEADERS, 'land_asset'],
    ] as const) {
      const out = await exported(kind);
      expect(out.rows[0]).toEqual([...headers, '居民编号']);
      expect(out.rows.length - 1).toBe(await count(`${jobs} WHERE region_code = '530102'`));
      // Employment holds no ID number nor name: those cells are empty, the resident named by their id.
      const idColumn = headers.indexOf('身份证号');
      expect(
        out.rows.slice(1).map((r) => [r[0] ?? '', r[idColumn] ?? '', /^[0-9a-f-]{36}$/.test(r[headers.length])]),
      ).toEqual(out.rows.slice(1).map(() => ['', '', true]));
      expect(out.rows.flat().filter((cell) => /\d{17}[\dX]/.test(cell))).toEqual([]);
      const before = await state();
      const back = await importFile(kind, out.bytes, `${kind}-export.xlsx`, 'all_or_nothing');
      expect(back).toMatchObject({
        status: 'DONE',
        errorCount: 0,
        created: 0,
        updated: 0,
        unchanged: out.rows.length - 1,
        rowsWritten: 0,
      });
      expect(await state()).toEqual(before);
    }
    // Edited in Excel: a raise in the first job comes back as one update, the rest unchanged.
    const jobs = await exported('employment');
    const edited = jobs.rows.slice(1).map((r) => [...r]);
    const incomeColumn = JOB_HEADERS.indexOf('月收入（元）');
    edited[0][incomeColumn] = String(Number(edited[0][incomeColumn]) + 300);
    const upd = await importFile('employment', await xlsxFile(jobs.rows[0], edited), 'edited.xlsx', 'all_or_nothing');
    expect(upd).toMatchObject({
      status: 'DONE',
      errorCount: 0,
      created: 0,
      updated: 1,
      unchanged: edited.length - 1,
      rowsWritten: 1,
    });
    const [{ n }] = await sys.sql(
      `SELECT count(*)::int AS n FROM employment.employment_record WHERE resident_id = $1 AND started_on = $2
        AND monthly_income = $3`,
      [edited[0][JOB_HEADERS.length], edited[0][JOB_HEADERS.indexOf('开始日期')], edited[0][incomeColumn]],
    );
    expect(n).toBe(1);
    // Another county's clerk exports none of these; a resident id from this county in their hands names no one of
    // theirs.
    const other = await tokenFor({ role: 'county', regions: ['530103'], sub: 'clerk-panlong-2' });
    expect((await exported('employment', other)).rows).toEqual([[...JOB_HEADERS, '居民编号']]);
    const theirs = await importFile(
      'employment',
      await xlsxFile(jobs.rows[0], edited),
      'edited.xlsx',
      'dry_run',
      other,
    );
    expect((theirs.errors as { column: string; code: string }[]).map((e) => `${e.column} ${e.code}`)).toEqual(
      edited.map(() => '居民编号 UNKNOWN_RESIDENT'),
    );
    // Each export is audited in employment's log.
    const audits =
      await sys.sql(`SELECT action, count(*)::int AS n FROM employment.audit_log WHERE action LIKE 'export.%'
        AND actor_subject = 'clerk-wuhua'
      GROUP BY action ORDER BY action`);
    expect(audits).toEqual([
      { action: 'export.employment', n: 2 },
      { action: 'export.land', n: 1 },
    ]);
  });

  // Completions publish; bad rows are named.
  it('imports trainings: courses from the sheet, enrollments new, unchanged, completed later', async () => {
    const template = await fileRequest(root, '/files/employment/templates/trainings', { token: county });
    expect((await sheetRows(template.bytes!))[0]).toEqual([
      '姓名',
      '身份证号*',
      '培训项目*',
      '培训机构*',
      '培训地点*',
      '开始日期*',
      '结束日期*',
      '培训状态*',
      '出勤率（%）',
      '技能等级',
      '证书编号',
      '结业日期',
      '退出原因',
    ]);
    const trainings = async () =>
      sys.sql(`SELECT c.skill, c.capacity, c.enrolled, e.status, e.attendance_percent AS attendance,
        to_char(e.completed_on, 'YYYY-MM-DD') AS "completedOn", e.dropped_reason AS reason, k.level,
          k.certificate_number AS certificate
      FROM employment.enrollment e JOIN employment.training_course c ON c.id = e.course_id LEFT
        JOIN employment.skill k ON k.enrollment_id = e.id
      WHERE c.provider = '五华区就业培训中心' ORDER BY c.skill, e.status`);
    const completions = async () =>
      Number((await sys.sql(`SELECT count(*) AS n FROM employment.outbox WHERE event = 'training.completed'`))[0].n);
    const ROWS: Cells[] = [
      [
        '王大',
        WANG,
        '中式烹调',
        '五华区就业培训中心',
        '社区活动室',
        '2024-03-01',
        '2024-03-20',
        '已结业',
        '95',
        '初级',
        'ZY2024-0001',
        '',
        '',
      ],
      [
        '李花',
        LI,
        '中式烹调',
        '五华区就业培训中心',
        '社区活动室',
        '2024/3/1',
        '2024-03-20',
        '在训',
        '',
        '',
        '',
        '',
        '',
      ],
      [
        '赵二',
        ZHAO,
        '电工',
        '五华区就业培训中心',
        '安置点2活动室',
        '2024-05-01',
        '2024-05-30',
        '中途退出',
        '40',
        '',
        '',
        '',
        '外出务工',
      ],
    ];
    const completedBefore = await completions();
    const dry = await importFile('trainings', await xlsxFile(TRAINING_HEADERS, ROWS), '培训.xlsx', 'dry_run');
    expect(dry).toMatchObject({ status: 'DONE', total: 3, errorCount: 0, created: 3, rowsWritten: 0 });
    expect(await trainings()).toEqual([]);

    const done = await importFile('trainings', await xlsxFile(TRAINING_HEADERS, ROWS), '培训.xlsx', 'all_or_nothing');
    expect(done).toMatchObject({ status: 'DONE', errorCount: 0, created: 3, rowsWritten: 3 });
    // One course per site, skill, provider and start: 王大 and 李花 share one of two places; 赵二's dropped place is free.
    expect(await trainings()).toEqual([
      {
        skill: '中式烹调',
        capacity: 2,
        enrolled: 2,
        status: 'completed',
        attendance: 95,
        completedOn: '2024-03-20',
        reason: null,
        level: 'beginner',
        certificate: 'ZY2024-0001',
      },
      {
        skill: '中式烹调',
        capacity: 2,
        enrolled: 2,
        status: 'enrolled',
        attendance: null,
        completedOn: null,
        reason: null,
        level: null,
        certificate: null,
      },
      {
        skill: '电工',
        capacity: 1,
        enrolled: 0,
        status: 'dropped',
        attendance: 40,
        completedOn: null,
        reason: '外出务工',
        level: null,
        certificate: null,
      },
    ]);
    expect(await completions()).toBe(completedBefore + 1);

    const again = await importFile('trainings', csvFile(TRAINING_HEADERS, ROWS, 'gbk'), '培训.csv', 'all_or_nothing');
    expect(again).toMatchObject({ status: 'DONE', created: 0, updated: 0, unchanged: 3, rowsWritten: 0 });
    expect(await completions()).toBe(completedBefore + 1);

    // 李花 finishes: an update that records her skill and publishes training.completed.
    const later = ROWS.map((r) => [...r]);
    later[1].splice(7, 5, '已结业', '90%', '中级', '', '2024-03-20');
    const upd = await importFile('trainings', csvFile(TRAINING_HEADERS, later, 'utf-8'), '培训.csv', 'all_or_nothing');
    expect(upd).toMatchObject({ status: 'DONE', created: 0, updated: 1, unchanged: 2, rowsWritten: 1 });
    expect((await trainings()).map((t) => [t.status, t.attendance, t.level])).toEqual([
      ['completed', 95, 'beginner'],
      ['completed', 90, 'intermediate'],
      ['dropped', 40, null],
    ]);
    expect(await completions()).toBe(completedBefore + 2);

    // 王大's son joins the household: the recorded 中式烹调 course has no place left for him (its 2 taken).
    dataOf(
      await sys.query(
        REGISTER_RESIDENT,
        {
          i: residentInput(place.householdIds[0], 2, {
            nationalId: WANG_JUNIOR,
            name: '王小',
            relationToHead: 'CHILD',
          }),
        },
        place.provinceToken,
      ),
    );
    await sys.waitForIdle();
    const bad: Cells[] = [
      [
        '王大',
        WANG,
        '中式烹调',
        '五华区就业培训中心',
        '社区活动室',
        '2024-03-01',
        '2024-03-20',
        '中途退出',
        '95',
        '',
        '',
        '',
        '生病',
      ], // 2: final
      [
        '李花',
        LI,
        '面点',
        '五华区就业培训中心',
        '社区活动室',
        '2024-04-01',
        '2024-04-20',
        '已结业',
        '',
        '',
        '',
        '',
        '',
      ], // 3: no attendance, level
      [
        '李花',
        LI,
        '中式烹调',
        '五华区就业培训中心',
        '社区活动室',
        '2024-03-01',
        '2024-03-25',
        '已结业',
        '90',
        '中级',
        '',
        '',
        '',
      ], // 4: other end
      // 5: dates, status, %
      ['赵二', ZHAO, '挖掘机', '五华区就业培训中心', '工地', '2024-06-01', '2024-05-01', '结课', '120', '', '', '', ''],
      ['杨六', YANG, '电工', '五华区就业培训中心', '盘龙', '2024-05-01', '2024-05-30', '在训', '', '', '', '', ''], // 6: not theirs
      [
        '王小',
        WANG_JUNIOR,
        '中式烹调',
        '五华区就业培训中心',
        '社区活动室',
        '2024-03-01',
        '2024-03-20',
        '在训',
        '',
        '',
        '',
        '',
        '',
      ], // 7: full
    ];
    const before = await trainings();
    const refused = await importFile('trainings', await xlsxFile(TRAINING_HEADERS, bad), 'bad.xlsx', 'all_or_nothing');
    expect(
      (refused.errors as { row: number; column: string; code: string }[])
        .map((e) => `${e.row} ${e.column} ${e.code}`)
        .sort(),
    ).toEqual(
      [
        '2 培训状态 FINAL',
        '3 出勤率（%） REQUIRED',
        '3 技能等级 REQUIRED',
        '4 结束日期 COURSE_MISMATCH',
        '5 出勤率（%） RANGE',
        '5 培训状态 UNKNOWN_VALUE',
        '5 结束日期 ENDS_BEFORE_START',
        '6 身份证号 UNKNOWN_RESIDENT',
        '7 培训项目 COURSE_FULL',
      ].sort(),
    );
    expect(refused).toMatchObject({ rowsWritten: 0, created: 0 });
    expect(await trainings()).toEqual(before);
    expect(await completions()).toBe(completedBefore + 2);
  });
});
