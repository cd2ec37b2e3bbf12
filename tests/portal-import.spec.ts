import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import {
  TestSystem,
  csvFile,
  dataOf,
  nationalId,
  seedPlace,
  sheetRows,
  tokenFor,
  withWrongCheckDigit,
  xlsxFile,
} from '@anju/testing';
import { buildPortal } from '@anju/portal';
import { launchBrowser, screenshot } from './portal/browser';

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
const id = (birth: string, seq: number) => nationalId('530102', birth, seq);

/**
 * The portal's import page in a real browser (Debian's chromium), served by the gateway: a county
 * clerk picks 户籍花名册, uploads a sheet, has it checked (nothing written, every bad row listed),
 * confirms the good rows only, follows the progress bar, and takes the error report.
 */
describe('the portal import page', () => {
  let sys: TestSystem;
  let browser: Browser;
  let dist: string;
  let dir: string;
  let base: string;
  let token: string;

  beforeAll(async () => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-portal-import-'));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-portal-files-'));
    await buildPortal(dist);
    sys = await TestSystem.start({
      label: 'portal-import',
      env: { PORTAL_DIR: dist, EXPENSIVE_RATE_LIMIT_PER_HOUR: '10000', EXPENSIVE_RATE_LIMIT_BURST: '1000' },
    });
    const place = await seedPlace(sys, 1);
    dataOf(
      await sys.query(
        `mutation($i: RegisterBuildingInput!) { registerBuilding(input: $i) { id } }`,
        { i: { siteId: place.siteIds[0], name: '1栋' } },
        place.provinceToken,
      ),
    );
    base = new URL(sys.urls.gateway!).origin;
    token = await tokenFor({ role: 'county', regions: ['530102'], sub: 'clerk-portal' });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
    fs.rmSync(dist, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function importPage(): Promise<Page> {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    // The session is in place before the portal's own script runs: set on the sign-in page, it raced that page,
    // which reads its demo choices as the province and then clears the session (a 401 on upload, now and then).
    await page.evaluateOnNewDocument(
      (t) =>
        sessionStorage.setItem(
          'anju.session',
          JSON.stringify({
            token: t,
            role: 'county',
            label: '五华区',
            home: '#/region/530102',
            scope: { regions: ['530102'] },
          }),
        ),
      token,
    );
    await page.goto(`${base}/#/import`);
    await page.waitForSelector('[data-import-page]');
    return page;
  }
  const text = (page: Page, sel: string) => page.$eval(sel, (e) => e.textContent ?? '');
  const residents = async () => Number((await sys.sql(`SELECT count(*) AS n FROM governance.resident`))[0].n);

  it('checks a sheet, lists its bad rows, imports good ones with a progress bar, gives the error report', async () => {
    const file = path.join(dir, '花名册.xlsx');
    fs.writeFileSync(
      file,
      await xlsxFile(HEADERS, [
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
        ['王大', '王小', id('20100303', 33), '子女', '汉族', '', '无劳动力', '安置点1', '1栋', '1单元', '201', ''],
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
      ]),
    );
    const page = await importPage();
    expect(await text(page, '[data-import-page] h1')).toContain('数据导入');
    expect(
      await page.$$eval('[data-import-kind] option', (os) => os.map((o) => [o.getAttribute('value'), o.textContent])),
    ).toEqual([
      ['households', '户籍花名册（户及家庭成员）'],
      ['employment', '就业信息'],
      ['land', '三块地'],
      ['trainings', '培训信息'],
      ['volunteers', '志愿者'],
    ]);
    await page.select('[data-import-kind]', 'households');
    const input = await page.$('[data-import-file]');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(file);
    await page.click('[data-import-check]');

    await page.waitForSelector('[data-import-outcome="dry-run"]', { timeout: 60_000 });
    expect(await residents()).toBe(0);
    const bar = await page.$eval('[data-import-progress]', (e) => ({
      total: e.getAttribute('data-total'),
      checked: e.getAttribute('data-checked'),
    }));
    expect(bar).toEqual({ total: '3', checked: '3' });
    expect(await text(page, '[data-import-progress] p')).toContain('已检查 3 / 共 3 行');
    expect(await text(page, '[data-created]')).toBe('2');
    const errors = await page.$$eval('[data-import-errors] tbody tr', (rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)),
    );
    expect(errors).toEqual([['4', '身份证号', '身份证号校验位错误，可能有数字输错']]);
    await screenshot(page, 'portal-import-dry-run');

    await page.click('[data-mode-valid-rows]');
    await page.click('[data-import-confirm-button]');
    await page.waitForSelector('[data-import-outcome="import"]', { timeout: 60_000 });
    expect(await residents()).toBe(2);
    expect(await page.$eval('[data-import-progress]', (e) => e.getAttribute('data-written'))).toBe('2');
    expect(await text(page, '[data-import-outcome]')).toContain('导入完成');
    expect(await page.$eval('[role=progressbar]', (e) => e.getAttribute('aria-valuenow'))).toBe('100');

    // The report the button downloads: the file's rows, each with what became of it.
    expect(await text(page, '[data-download-report]')).toContain('下载错误报告');
    const report = await page.evaluate(async () => {
      const job = document.querySelector('[data-import-job]')!.getAttribute('data-import-job');
      const t = JSON.parse(sessionStorage.getItem('anju.session')!).token;
      const j = await (
        await fetch(`/files/governance/imports/${job}`, { headers: { authorization: `Bearer ${t}` } })
      ).json();
      const bytes = await (await fetch(j.reportPath, { headers: { authorization: `Bearer ${t}` } })).arrayBuffer();
      return Array.from(new Uint8Array(bytes));
    });
    const rows = await sheetRows(Buffer.from(report));
    expect(rows.map((r) => r[12])).toEqual(['导入结果', '新增', '新增', '错误']);
    await page.close();
  });

  it('names what is wrong with a bad file, in Chinese, and writes nothing', async () => {
    const file = path.join(dir, '缺列.csv');
    fs.writeFileSync(
      file,
      csvFile(
        HEADERS.filter((h) => h !== '身份证号'),
        [['赵二', '赵二', '户主', '汉族', '', '全劳动力', '安置点1', '1栋', '2单元', '502', '']],
        'gbk',
      ),
    );
    const before = await residents();
    const page = await importPage();
    const input = await page.$('[data-import-file]');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(file);
    await page.click('[data-import-check]');
    await page.waitForSelector('[role=alert]');
    expect(await text(page, '[role=alert]')).toContain('缺少必填的列：身份证号');
    expect(await residents()).toBe(before);
    await page.close();
  });
});
