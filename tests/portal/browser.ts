/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The callbacks given to page.evaluate run in the browser.
import fs from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { REPO_ROOT } from '@anju/testing';

/** Debian's chromium (puppeteer's own browser download cannot run here): `apt-get install -y chromium`. */
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export async function launchBrowser(): Promise<Browser> {
  const executablePath = CHROMIUM.find((p) => fs.existsSync(p));
  if (!executablePath)
    throw new Error(`no Chromium at ${CHROMIUM.join(' or ')}: install Debian's package (apt-get install -y chromium)`);
  // As root (CI) Chromium needs --no-sandbox.
  return puppeteer.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--lang=zh-CN'],
  });
}

/** Where the tests save screenshots of each page (the README shows two of them, copied to docs/). */
export const SCREENSHOT_DIR = path.join(REPO_ROOT, '.screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** The numbers of a chart's (or any) table: each row's cells as their data-value strings. */
export function tableValues(page: Page, name: string): Promise<string[][]> {
  return page.$$eval(`[data-table="${name}"] tbody tr`, (rows) =>
    rows.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.getAttribute('data-value') ?? '')),
  );
}

/** How many pixels of a chart's canvas hold ink (ECharts draws on a transparent canvas). */
export function inkedPixels(page: Page, chart: string): Promise<number> {
  return page.$eval(`[data-chart="${chart}"] canvas`, (el) => {
    const c = el as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  });
}

/** Signs in on the development sign-in page with a role and the scope option whose label contains `scope`. */
export async function signIn(page: Page, base: string, role: string, scope: string, grid?: string): Promise<void> {
  await page.goto(`${base}/#/sign-in`);
  await page.waitForSelector('select[name=scope] option');
  await page.select('select[name=role]', role);
  await page.waitForFunction(
    (s) => [...document.querySelectorAll('select[name=scope] option')].some((o) => o.textContent!.includes(s)),
    {},
    scope,
  );
  const value = await page.$$eval(
    'select[name=scope] option',
    (os, s) => os.find((o) => o.textContent!.includes(s as string))!.getAttribute('value')!,
    scope,
  );
  await page.select('select[name=scope]', value);
  if (grid) {
    await page.waitForFunction(
      (g) => [...document.querySelectorAll('select[name=grid] option')].some((o) => o.getAttribute('value') === g),
      {},
      grid,
    );
    await page.select('select[name=grid]', grid);
  }
  await Promise.all([
    page.waitForFunction(() => !location.hash.startsWith('#/sign-in')),
    page.click('form.sign-in button[type=submit]'),
  ]);
}
