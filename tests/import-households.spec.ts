import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  REPO_ROOT,
  TestSystem,
  csvFile,
  dataOf,
  fileRequest,
  nationalId,
  notXlsxFiles,
  rootOf,
  seedPlace,
  sheetRows,
  tokenFor,
  waitForImport,
  withWrongCheckDigit,
  xlsxFile,
  zipBombXlsx,
  type Place,
} from '@anju/testing';

/**
 * Counties load their registers (户籍花名册) from spreadsheets: a dry run that reports every bad
 * row, an all-or-nothing or valid-rows import, the error report, re-imports that add nothing
 * twice, bad files refused whole, and each county in its own scope. Through the gateway.
 */
const HEADERS = [
  '户主',
  '姓名',
  '身份证号',
  '与户主关系',
  '民族',
  '联系电话',
  '劳动力状况',
  '安置点',
  '楼栋',
  '单元',
  '房号',
  '搬迁时间',
];
type Cells = (string | number)[];

const id = (birth: string, seq: number) => nationalId('530102', birth, seq);
/** Two households at 安置点1: 王大's of three, 赵二 alone. */
const GOOD: Cells[] = [
  [
    '王大',
    '王大',
    id('19700101', 11),
    '户主',
    '汉族',
    '13800000001',
    '全劳动力',
    '安置点1',
    '1栋',
    '1单元',
    '201',
    '2019-06-01',
  ],
  ['王大', '李花', id('19720202', 22), '配偶', '彝族', '', '弱劳动力', '安置点1', '1', '1', '201', '2019/6/1'],
  ['王大', '王小', id('20100303', 33), '子女', '汉族', '', '无劳动力', '安置点1', '1栋', '1单元', '201', ''],
  [
    '赵二',
    '赵二',
    id('19800404', 45),
    '户主',
    '哈尼族',
    '13900000002',
    '全劳动力',
    '安置点1',
    '2栋',
    '2单元',
    '502',
    '2020-01-15',
  ],
];
/** A household of three at 安置点1 that only the probe registers. */
const PROBED: Cells[] = [
  ['冯甲', '冯甲', id('19660101', 35), '户主', '汉族', '', '全劳动力', '安置点1', '1栋', '4单元', '101', ''],
  ['冯甲', '冯乙', id('19680202', 37), '配偶', '汉族', '', '全劳动力', '安置点1', '1栋', '4单元', '101', ''],
  ['冯甲', '冯丙', id('19920303', 39), '子女', '汉族', '', '全劳动力', '安置点1', '1栋', '4单元', '101', ''],
];
/** GOOD with 王小's labour capacity changed: imported after it, one update (resident.updated). */
const CHANGED: Cells[] = GOOD.map((r, i) => (i === 2 ? [...r.slice(0, 6), '弱劳动力', ...r.slice(7)] : [...r]));

let sys: TestSystem;
let place: Place;
let root: string;
let county: string;
let otherCounty: string;
let siteB: string;

const residents = async () => Number((await sys.sql(`SELECT count(*) AS n FROM governance.resident`))[0].n);
const outbox = async () => Number((await sys.sql(`SELECT count(*) AS n FROM governance.outbox`))[0].n);
const state = async () => ({
  residents: await residents(),
  outbox: await outbox(),
  households: Number((await sys.sql(`SELECT count(*) AS n FROM governance.household`))[0].n),
});

/** Uploads and waits: the job, or the upload's refusal as { refused: reason }. */
async function importFile(bytes: Buffer, fileName: string, mode: string, token = county) {
  const up = await fileRequest(
    root,
    `/files/governance/imports/households?mode=${mode}&fileName=${encodeURIComponent(fileName)}`,
    { token, body: bytes },
  );
  if (up.status !== 200)
    return {
      refused: up.json?.errors?.[0]?.extensions?.reason ?? up.json?.errors?.[0]?.extensions?.code,
      status: up.status,
      answer: up.json,
    };
  return waitForImport(sys.urls.gateway!, up.json!.id!, token);
}

/**
 * The register as the first test leaves it (GOOD imported, then CHANGED's update), built by the
 * first test that needs it (the first test runs on a system of its own).
 */
async function registerOfFirstTest() {
  if ((await sys.sql(`SELECT 1 FROM governance.resident WHERE name = '王大'`)).length) return;
  expect(await importFile(await xlsxFile(HEADERS, GOOD), '花名册.xlsx', 'all_or_nothing')).toMatchObject({
    status: 'DONE',
    created: 4,
  });
  expect(await importFile(csvFile(HEADERS, CHANGED), '花名册.csv', 'all_or_nothing')).toMatchObject({
    status: 'DONE',
    updated: 1,
  });
}

/** A system with two sites of county A (buildings 1栋, 2栋 at 安置点1; 1栋 at 安置点2), county B's site. */
async function start() {
  sys = await TestSystem.start({
    label: 'import',
    env: {
      EXPENSIVE_RATE_LIMIT_PER_HOUR: '10000',
      EXPENSIVE_RATE_LIMIT_BURST: '1000',
      SPREADSHEET_MAX_BYTES: String(1_048_576),
      SPREADSHEET_MAX_UNCOMPRESSED_BYTES: String(8 * 1_048_576),
      NATIONAL_ID_LOOKUPS_PER_DAY: '5',
    },
  });
  root = rootOf(sys.urls.gateway!);
  place = await seedPlace(sys, 2);
  for (const [siteId, name] of [
    [place.siteIds[0], '1栋'],
    [place.siteIds[0], '2栋'],
    [place.siteIds[1], '1栋'],
  ]) {
    dataOf(
      await sys.query(
        `mutation($i: RegisterBuildingInput!) { registerBuilding(input: $i) { id } }`,
        { i: { siteId, name } },
        place.provinceToken,
      ),
    );
  }
  // Another county (盘龙区) with a site of its own.
  dataOf(
    await sys.query(
      `mutation($i: RegisterRegionInput!) { registerRegion(input: $i) { code } }`,
      { i: { code: '530103', name: '盘龙区' } },
      place.provinceToken,
    ),
  );
  siteB = dataOf(
    await sys.query<{ registerSite: { id: string } }>(
      `mutation($i: RegisterSiteInput!) { registerSite(input: $i) { id } }`,
      {
        i: {
          regionCode: '530103',
          name: '盘龙家园',
          address: '盘龙区1号',
          latitude: 25.1,
          longitude: 102.7,
          plannedHouseholds: 100,
        },
      },
      place.provinceToken,
    ),
  ).registerSite.id;
  dataOf(
    await sys.query(
      `mutation($i: RegisterBuildingInput!) { registerBuilding(input: $i) { id } }`,
      { i: { siteId: siteB, name: '1栋' } },
      place.provinceToken,
    ),
  );
  county = await tokenFor({ role: 'county', regions: ['530102'], sub: 'clerk-wuhua' });
  otherCounty = await tokenFor({ role: 'county', regions: ['530103'], sub: 'clerk-panlong' });
}

// On a system of its own: it counts what an import into an empty register writes.
describe('importing households with residents into an empty register', () => {
  beforeAll(start);
  afterAll(() => sys?.stop());

  it('checks every row in a dry run, writing nothing; imports; the same file (CSV, GBK) adds nothing', async () => {
    const before = await state();
    const dry = await importFile(await xlsxFile(HEADERS, GOOD), '花名册.xlsx', 'dry_run');
    expect(dry).toMatchObject({
      status: 'DONE',
      mode: 'DRY_RUN',
      total: 4,
      rowsChecked: 4,
      rowsWritten: 0,
      errorCount: 0,
      created: 4,
    });
    expect(await state()).toEqual(before);

    const done = await importFile(await xlsxFile(HEADERS, GOOD), '花名册.xlsx', 'all_or_nothing');
    expect(done).toMatchObject({ status: 'DONE', total: 4, rowsWritten: 4, created: 4, updated: 0, errorCount: 0 });
    const rows =
      await sys.sql(`SELECT r.name, r.relation_to_head AS rel, r.labour_capacity AS labour, r.phone_masked AS phone,
        to_char(r.moved_in_on, 'YYYY-MM-DD') AS moved,
        h.household_number AS number, b.name AS building FROM governance.resident r JOIN governance.household h
          ON h.id = r.household_id
        LEFT JOIN governance.building b ON b.id = h.building_id ORDER BY r.name`);
    expect(rows).toEqual([
      {
        name: '李花',
        rel: 'spouse',
        labour: 'weak',
        phone: null,
        moved: '2019-06-01',
        number: '1栋1单元201',
        building: '1栋',
      },
      {
        name: '王大',
        rel: 'head',
        labour: 'full',
        phone: '138****0001',
        moved: '2019-06-01',
        number: '1栋1单元201',
        building: '1栋',
      },
      { name: '王小', rel: 'child', labour: 'none', phone: null, moved: null, number: '1栋1单元201', building: '1栋' },
      {
        name: '赵二',
        rel: 'head',
        labour: 'full',
        phone: '139****0002',
        moved: '2020-01-15',
        number: '2栋2单元502',
        building: '2栋',
      },
    ]);
    // Published like registrations, in one batch; employment and matching applied them.
    const events = await sys.sql(
      `SELECT event, count(*)::int AS n FROM governance.outbox WHERE event IN ('resident.registered',
        'household.registered') GROUP BY event ORDER BY event`,
    );
    expect(events).toEqual([
      { event: 'household.registered', n: 2 + 2 },
      { event: 'resident.registered', n: 4 },
    ]);
    await sys.waitForIdle();
    const [{ n: profiles }] = await sys.sql(`SELECT count(*)::int AS n FROM employment.labour_profile`);
    expect(profiles).toBe(4);
    const audits = await sys.sql(
      `SELECT action, count(*)::int AS n FROM governance.audit_log WHERE actor_subject = 'clerk-wuhua' GROUP BY action
        ORDER BY action`,
    );
    expect(audits).toEqual([
      { action: 'household.register', n: 2 },
      { action: 'import.households', n: 1 },
      { action: 'resident.register', n: 4 },
    ]);

    // Again, as the GBK CSV Excel saves: nothing added, nothing published.
    const after = await state();
    for (const encoding of ['gbk', 'utf-8-bom'] as const) {
      const again = await importFile(csvFile(HEADERS, GOOD, encoding), '花名册.csv', 'all_or_nothing');
      expect(again).toMatchObject({ status: 'DONE', total: 4, created: 0, updated: 0, unchanged: 4, errorCount: 0 });
    }
    expect(await state()).toEqual({ ...after, outbox: after.outbox });

    // A changed phone and labour capacity is an update, reported and published as resident.updated.
    const upd = await importFile(csvFile(HEADERS, CHANGED), '花名册.csv', 'all_or_nothing');
    expect(upd).toMatchObject({ status: 'DONE', created: 0, updated: 1, unchanged: 3 });
    const [u] = await sys.sql(`SELECT payload FROM governance.outbox WHERE event = 'resident.updated'`);
    expect(u.payload.changed).toEqual(['labourCapacity']);
    const report = await fileRequest(root, upd.reportPath, { token: county });
    const sheet = await sheetRows(report.bytes!);
    expect(sheet[0]).toEqual([...HEADERS, '导入结果', '错误说明']);
    expect(sheet.slice(1).map((r) => r[12])).toEqual(['无变化', '无变化', '更新（labourCapacity）', '无变化']);
  });
});

describe('importing households with residents into the register the first test leaves', () => {
  beforeAll(start);
  afterAll(() => sys?.stop());

  it('reports every bad row with row, column and code; all-or-nothing writes none, valid rows the good', async () => {
    await registerOfFirstTest();
    const rows: Cells[] = [
      // 3 good rows: one household of two, one of one.
      ['孙甲', '孙甲', id('19650505', 51), '户主', '汉族', '', '全劳动力', '安置点1', '1栋', '2单元', '101', ''],
      ['孙甲', '孙乙', id('19900606', 62), '子女', '汉族', '', '全劳动力', '安置点1', '1栋', '2单元', '101', ''],
      ['周丙', '周丙', id('19550707', 71), '户主', '白族', '', '无劳动力', '安置点2', '1栋', '1单元', '301', ''],
      // row 5: wrong check digit
      [
        '吴丁',
        '吴丁',
        withWrongCheckDigit(id('19600808', 81)),
        '户主',
        '汉族',
        '',
        '全劳动力',
        '安置点1',
        '1栋',
        '3单元',
        '101',
        '',
      ],
      // row 6: the same ID number as row 4 (in the file)
      ['郑戊', '郑戊', id('19550707', 71), '户主', '汉族', '', '全劳动力', '安置点1', '1栋', '3单元', '102', ''],
      // row 7: registered already, in another household (王大 of the first test)
      ['钱己', '王大', id('19700101', 11), '户主', '汉族', '', '全劳动力', '安置点1', '1栋', '3单元', '103', ''],
      // row 8: unknown site; row 9: unknown building
      ['冯庚', '冯庚', id('19700909', 91), '户主', '汉族', '', '全劳动力', '幸福家园', '1栋', '1单元', '101', ''],
      ['陈辛', '陈辛', id('19701010', 13), '户主', '汉族', '', '全劳动力', '安置点1', '9栋', '1单元', '101', ''],
      // rows 10–11: a household without a head; rows 12–13: two heads; row 14: 户主 column names someone else
      ['褚壬', '褚壬', id('19701111', 15), '配偶', '汉族', '', '全劳动力', '安置点1', '2栋', '1单元', '101', ''],
      ['褚壬', '褚癸', id('20001111', 17), '子女', '汉族', '', '全劳动力', '安置点1', '2栋', '1单元', '101', ''],
      ['卫一', '卫一', id('19701212', 19), '户主', '汉族', '', '全劳动力', '安置点1', '2栋', '1单元', '102', ''],
      ['卫一', '卫二', id('19721212', 21), '户主', '汉族', '', '全劳动力', '安置点1', '2栋', '1单元', '102', ''],
      ['蒋三', '沈四', id('19730101', 23), '户主', '汉族', '', '全劳动力', '安置点1', '2栋', '1单元', '103', ''],
      // row 15: bad enumerations and phone and date; row 16: county B's site (out of scope)
      ['韩五', '韩五', id('19740101', 25), '叔叔', '汉', '12345', '能干活', '安置点1', '2栋', '1单元', '104', '明年'],
      ['杨六', '杨六', id('19750101', 27), '户主', '汉族', '', '全劳动力', '盘龙家园', '1栋', '1单元', '101', ''],
    ];
    const before = await state();
    const dry = await importFile(await xlsxFile(HEADERS, rows), 'bad.xlsx', 'dry_run');
    expect(dry.status).toBe('DONE');
    const codes = (dry.errors as { row: number; column: string; code: string }[]).map(
      (e) => `${e.row} ${e.column} ${e.code}`,
    );
    expect(codes).toEqual(
      expect.arrayContaining([
        '5 身份证号 NATIONAL_ID_CHECK_DIGIT',
        '6 身份证号 DUPLICATE_IN_FILE',
        '7 身份证号 DUPLICATE_IN_PROVINCE',
        '8 安置点 UNKNOWN_SITE',
        '9 楼栋 UNKNOWN_BUILDING',
        '10 与户主关系 NO_HEAD',
        '11 与户主关系 NO_HEAD',
        '12 与户主关系 TWO_HEADS',
        '13 与户主关系 TWO_HEADS',
        '14 户主 HEAD_MISMATCH',
        '15 与户主关系 UNKNOWN_VALUE',
        '15 民族 UNKNOWN_VALUE',
        '15 联系电话 PHONE_FORMAT',
        '15 劳动力状况 UNKNOWN_VALUE',
        '15 搬迁时间 DATE_FORMAT',
        '16 安置点 OUT_OF_SCOPE',
      ]),
    );
    expect(codes.filter((c) => +c.split(' ')[0] <= 4)).toEqual([]);
    expect(await state()).toEqual(before);

    const all = await importFile(await xlsxFile(HEADERS, rows), 'bad.xlsx', 'all_or_nothing');
    expect(all).toMatchObject({ status: 'DONE', rowsWritten: 0, created: 0 });
    expect(await state()).toEqual(before);

    // The report: the original rows with what became of each and why.
    const report = await sheetRows((await fileRequest(root, all.reportPath, { token: county })).bytes!);
    expect(report[0]).toEqual([...HEADERS, '导入结果', '错误说明']);
    expect(report[1][12]).toBe('未写入（文件中有错误）');
    expect(report[4][12]).toBe('错误');
    expect(report[4][13]).toContain('身份证号：身份证号校验位错误');
    expect(report[4][2]).toBe(rows[3][2]);

    const valid = await importFile(csvFile(HEADERS, rows, 'gbk'), 'bad.csv', 'valid_rows');
    expect(valid).toMatchObject({ status: 'DONE', created: 3, rowsWritten: 3 });
    expect((await state()).residents).toBe(before.residents + 3);
    const names = (
      await sys.sql(
        `SELECT name FROM governance.resident WHERE name IN ('孙甲', '孙乙', '周丙', '褚癸', '卫一', '杨六') ORDER BY name`,
      )
    ).map((r) => r.name);
    expect(names).toEqual(['周丙', '孙乙', '孙甲']);
  });

  it('refuses bad files whole, naming what is wrong, and changes nothing', async () => {
    const before = await state();
    const good = await xlsxFile(HEADERS, GOOD);
    const not = await notXlsxFiles();
    const cases: [string, Buffer, string][] = [
      ['FORMULA', await xlsxFile(HEADERS, GOOD, { formulaAt: [0, 2] }), 'f.xlsx'],
      ['FORMULA', csvFile(HEADERS, [['=HYPERLINK("x")', ...GOOD[0].slice(1)]]), 'f.csv'],
      ['MERGED_CELLS', await xlsxFile(HEADERS, GOOD, { mergeColumn: 0 }), 'm.xlsx'],
      ['HIDDEN_SHEET', await xlsxFile(HEADERS, GOOD, { hiddenSheet: true }), 'h.xlsx'],
      ['NOT_XLSX', not.zip, 'z.xlsx'],
      ['NOT_XLSX', not.text, 'z.xlsx'],
      ['ZIP_BOMB', await zipBombXlsx(good, 20), 'b.xlsx'],
      [
        'FILE_TOO_LARGE',
        csvFile(
          HEADERS,
          Array.from({ length: 12_000 }, () => GOOD[0]),
        ),
        'big.csv',
      ],
      ['UNEXPECTED_ENCODING', csvFile(HEADERS, GOOD, 'utf-16le'), 'u.csv'],
      [
        'MISSING_COLUMNS',
        csvFile(
          HEADERS.filter((h) => h !== '身份证号'),
          GOOD.map((r) => r.filter((_, i) => i !== 2)),
        ),
        'c.csv',
      ],
      [
        'UNKNOWN_COLUMNS',
        csvFile(
          [...HEADERS, '备注'],
          GOOD.map((r) => [...r, 'x']),
        ),
        'c.csv',
      ],
    ];
    for (const [reason, bytes, name] of cases) {
      const out = await importFile(bytes, name, 'all_or_nothing');
      const got = 'refused' in out ? out.refused : out.failure?.code;
      expect(`${name}: ${got}`).toBe(`${name}: ${reason}`);
    }
    const missing = await importFile(
      csvFile(
        HEADERS.filter((h) => h !== '身份证号'),
        [GOOD[0].filter((_, i) => i !== 2)],
      ),
      'c.csv',
      'dry_run',
    );
    expect(missing).toMatchObject({
      status: 400,
      answer: {
        errors: [
          { extensions: { code: 'BAD_USER_INPUT', field: 'file', reason: 'MISSING_COLUMNS', columns: ['身份证号'] } },
        ],
      },
    });
    expect(await state()).toEqual(before);
  });

  it('exports the register masked, in scope, audited, formula-neutralized; it imports back as a no-op', async () => {
    await registerOfFirstTest();
    // A name that Excel would run as a formula.
    const evil = [
      [
        '=HYPERLINK("http://x")',
        '=HYPERLINK("http://x")',
        id('19810101', 31),
        '户主',
        '汉族',
        '',
        '全劳动力',
        '安置点2',
        '1栋',
        '1单元',
        '808',
        '',
      ],
    ];
    expect(await importFile(await xlsxFile(HEADERS, evil), 'evil.xlsx', 'all_or_nothing')).toMatchObject({
      status: 'DONE',
      created: 1,
    });
    const res = await fileRequest(root, '/files/governance/exports/residents', { token: county });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('户籍花名册'));
    const sheet = await sheetRows(res.bytes!);
    expect(sheet[0]).toEqual([...HEADERS, '户编号']);
    const wang = sheet.find((r) => r[1] === '王大')!;
    expect(wang).toEqual([
      '王大',
      '王大',
      '530102************',
      '户主',
      '汉族',
      '138****0001',
      '全劳动力',
      '安置点1',
      '1栋',
      '1单元',
      '201',
      '2019-06-01',
      '1栋1单元201',
    ]);
    expect(sheet.find((r) => r[1].includes('HYPERLINK'))![1]).toBe(`'=HYPERLINK("http://x")`);
    // No full ID number leaves; only county A's residents.
    expect(sheet.flat().some((c) => /^\d{17}[\dX]$/.test(c))).toBe(false);
    expect(sheet.some((r) => r[7] === '盘龙家园')).toBe(false);
    const [{ n }] = await sys.sql(
      `SELECT count(*)::int AS n FROM governance.audit_log WHERE actor_subject = 'clerk-wuhua'
        AND action = 'export.residents'`,
    );
    expect(n).toBe(1);

    // Round trip: the export, imported back, changes nothing.
    const before = await state();
    const back = await importFile(res.bytes!, '户籍花名册.xlsx', 'all_or_nothing');
    expect(back).toMatchObject({ status: 'DONE', errorCount: 0, created: 0, updated: 0, unchanged: sheet.length - 1 });
    expect(await state()).toEqual(before);

    // County B cannot export county A's site; a site officer gets only their site.
    const b = await fileRequest(root, `/files/governance/exports/residents?siteId=${place.siteIds[0]}`, {
      token: otherCounty,
    });
    expect(b.json?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const officer = await tokenFor({ role: 'site_officer', sites: [place.siteIds[1]], sub: 'officer-2' });
    const own = await sheetRows(
      (await fileRequest(root, '/files/governance/exports/residents', { token: officer })).bytes!,
    );
    expect(new Set(own.slice(1).map((r) => r[7]))).toEqual(new Set(['安置点2']));
    for (const name of ['households', 'grid-tasks', 'points-monthly']) {
      const other = await fileRequest(root, `/files/governance/exports/${name}`, { token: county });
      expect(`${name} ${other.status}`).toBe(`${name} 200`);
    }
    const hh = await sheetRows(
      (await fileRequest(root, '/files/governance/exports/households', { token: county })).bytes!,
    );
    expect(hh).toContainEqual(['安置点1', '1栋1单元201', '1栋1单元201', '1栋', '王大', '3']);
    const grid = await tokenFor({ role: 'grid_worker', sites: [place.siteIds[0]], grids: [], sub: 'gw' });
    expect((await fileRequest(root, '/files/governance/exports/residents', { token: grid })).status).toBe(403);
  });

  it('pnpm run import uploads, follows the job with a progress bar and saves the report', async () => {
    await registerOfFirstTest();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-import-'));
    const file = path.join(dir, '花名册.xlsx');
    fs.writeFileSync(file, await xlsxFile(HEADERS, GOOD));
    const env = { ...process.env, TOKEN: county, GATEWAY_URL: rootOf(sys.urls.gateway!) };
    const cli = path.join(REPO_ROOT, 'packages', 'devtools', 'src', 'import.ts');
    const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
    const { stdout } = await promisify(execFile)(tsx, [cli, 'households', file, '--mode', 'dry-run'], {
      env,
      cwd: REPO_ROOT,
    });
    expect(stdout).toContain('[##############################] 100%  checked 4 / 4  done');
    expect(stdout).toContain('dry run');
    expect(stdout).toContain('4 rows; added 0, updated 1, unchanged 3; 0 row errors');
    expect(fs.existsSync(path.join(dir, '花名册.report.xlsx'))).toBe(true);
    fs.rmSync(dir, { recursive: true });
  });

  // Refused both at the gateway and at the subgraph.
  it('keeps each county to its own sites, jobs, reports; other roles and no token are refused', async () => {
    // The residents its probe below looks up: the first test's and PROBED.
    await registerOfFirstTest();
    expect(await importFile(csvFile(HEADERS, PROBED), '冯.csv', 'all_or_nothing')).toMatchObject({
      status: 'DONE',
      created: 3,
    });
    const before = await state();
    const intoB = [
      ['杨七', '杨七', id('19760101', 29), '户主', '汉族', '', '全劳动力', '盘龙家园', '1栋', '1单元', '102', ''],
    ];
    const job = await importFile(await xlsxFile(HEADERS, intoB), 'b.xlsx', 'all_or_nothing');
    expect(job).toMatchObject({
      status: 'DONE',
      rowsWritten: 0,
      errors: [{ row: 2, column: '安置点', code: 'OUT_OF_SCOPE' }],
    });
    expect(await state()).toEqual(before);
    // County B sees neither A's job nor its report.
    expect(
      dataOf(await sys.query(`query($id: ID!) { importJob(id: $id) { id } }`, { id: job.id }, otherCounty)).importJob,
    ).toBeNull();
    expect((await fileRequest(root, job.reportPath, { token: otherCounty })).status).toBe(404);
    // County B imports into its own site.
    const own = await importFile(await xlsxFile(HEADERS, intoB), 'b.xlsx', 'all_or_nothing', otherCounty);
    expect(own).toMatchObject({ status: 'DONE', created: 1 });

    const file = await xlsxFile(HEADERS, GOOD);
    const grid = await tokenFor({ role: 'grid_worker', sites: [place.siteIds[0]], grids: [] });
    expect(
      (await fileRequest(root, '/files/governance/imports/households', { token: grid, body: file })).json?.errors?.[0]
        ?.extensions?.code,
    ).toBe('FORBIDDEN');
    expect((await fileRequest(root, '/files/governance/imports/households', { body: file })).status).toBe(401);
    const direct = rootOf(sys.urls.governance!);
    expect((await fileRequest(direct, '/files/imports/households', { body: file })).status).toBe(401);
    expect((await fileRequest(direct, '/files/imports/households', { token: grid, body: file })).status).toBe(403);
    // A file of numbers registered elsewhere is a probe: each is a lookup by ID number, over the day's quota the job
    // fails without answers.
    const prober = await tokenFor({ role: 'county', regions: ['530102'], sub: 'clerk-probe' });
    const known = [...GOOD, ...PROBED].map((r) => r[2]);
    const probe = known.map((nid, i) => [
      '某',
      '某',
      nid,
      '户主',
      '汉族',
      '',
      '全劳动力',
      '安置点1',
      '1栋',
      '5单元',
      String(100 + i),
      '',
    ]);
    const before2 = await state();
    const probed = await importFile(csvFile(HEADERS, probe), 'probe.csv', 'dry_run', prober);
    expect(probed).toMatchObject({ status: 'FAILED', failure: { code: 'DAILY_QUOTA' }, errors: [], reportPath: null });
    expect(await state()).toEqual(before2);
    expect(
      (
        await sys.sql(
          `SELECT count(*)::int AS n FROM governance.audit_log WHERE actor_subject = 'clerk-probe'
            AND action = 'resident.register_duplicate'`,
        )
      )[0].n,
    ).toBe(7);

    const tmpl = await fileRequest(root, '/files/governance/templates/households', { token: county });
    expect(tmpl.status).toBe(200);
    expect((await sheetRows(tmpl.bytes!))[0]).toEqual(expect.arrayContaining(['户主*', '身份证号*', '联系电话']));
  });
});
