import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { REGISTER_RESIDENT, TestSystem, dataOf, residentInput, seedPlace, tokenFor } from '@anju/testing';
import { buildPortal, portalOperations } from '@anju/portal';
import { addDays, provinceDate } from '@anju/kit';
import { launchBrowser, screenshot, signIn, tableValues } from './portal/browser';

const op = (name: string) => portalOperations().find((o) => o.name === name)!.text;
const DAY = 86_400_000;

/** A datetime-local value in the province's time ("2026-12-02T18:00"), as a clerk types it. */
const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' });
const provinceLocal = (d: Date) => local.format(d).replace(' ', 'T');

/**
 * Residents' voice in the portal, in a real browser (Debian's chromium) through the gateway with the
 * safelist on: a resident raises a proposal and votes for their household, the site officer (signed in
 * on the development page) records the council meeting and counts the vote, and the outcome reaches the
 * resident's inbox; a survey is created, answered anonymously and read as counts. A resident signs in
 * with the province's identity provider, which the development page does not offer: their session is set.
 */
describe('the portal: messages, deliberation and surveys', () => {
  let sys: TestSystem;
  let browser: Browser;
  let base: string;
  let dist: string;
  let siteId: string;
  let officer: string;
  let residents: string[];
  const residentTokens: string[] = [];

  beforeAll(async () => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-portal-voice-'));
    await buildPortal(dist);
    // No workers: nothing here waits on an event, and no scheduled close races the officer's count.
    sys = await TestSystem.start({
      label: 'portal-voice',
      workers: [],
      env: { PORTAL_DIR: dist, PORTAL_SAFELIST: 'on' },
    });
    const place = await seedPlace(sys, 1);
    siteId = place.siteIds[0];
    officer = await tokenFor({ role: 'site_officer', sites: [siteId], sub: 'officer-voice' });
    // Eleven residents of one household: one household's vote, and a survey group above the minimum of 10.
    residents = [];
    for (let n = 1; n <= 11; n++) {
      const i = residentInput(place.householdIds[0], n);
      residents.push(dataOf(await sys.query(REGISTER_RESIDENT, { i }, place.provinceToken)).registerResident.id);
    }
    for (const id of residents) {
      residentTokens.push(await tokenFor({ role: 'resident', resident: id, sites: [siteId], sub: `resident-${id}` }));
    }
    base = new URL(sys.urls.gateway!).origin;
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  /** Script errors of every page opened: none expected. */
  const problems: string[] = [];
  afterEach(() => expect(problems).toEqual([]));

  async function newPage(): Promise<Page> {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    page.on('pageerror', (e) => problems.push(String(e)));
    return page;
  }

  /** The first resident's portal: the session the identity provider's sign-in would leave. */
  async function residentPage(): Promise<Page> {
    const page = await newPage();
    await page.evaluateOnNewDocument(
      (t, r) =>
        sessionStorage.setItem(
          'anju.session',
          JSON.stringify({
            token: t,
            role: 'resident',
            label: '居民1',
            home: '#/inbox',
            scope: { resident: r },
          }),
        ),
      residentTokens[0],
      residents[0],
    );
    return page;
  }

  async function officerPage(): Promise<Page> {
    const page = await newPage();
    await signIn(page, base, 'site_officer', '安置点1');
    return page;
  }

  /** Types into a field as a person would; a date or time field is set as its picker sets it. */
  async function fill(page: Page, selector: string, value: string) {
    await page.waitForSelector(selector);
    await page.$eval(
      selector,
      (el, v) => {
        const input = el as HTMLInputElement | HTMLTextAreaElement;
        const proto = input instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
        Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(input, v);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      },
      value,
    );
  }
  const text = (page: Page, selector: string) => page.$eval(selector, (e) => e.textContent ?? '');
  const until = (page: Page, selector: string, words: string) =>
    page.waitForFunction((s, w) => document.querySelector(s)?.textContent?.includes(w), {}, selector, words);
  const go = async (page: Page, hash: string, ready: string) => {
    await page.evaluate((h) => {
      location.hash = h;
    }, hash);
    await page.waitForSelector(ready);
  };

  it(
    'a resident raises a proposal, the council puts it to a vote, the household votes, the count adopts it, ' +
      'and the inbox says so',
    async () => {
      const count = async () => Number((await sys.sql(`SELECT count(*) AS n FROM governance.proposal`))[0].n);
      const me = await residentPage();
      await me.goto(`${base}/#/proposals`);
      await me.click('[data-raise-open]');
      // A title of one character is refused beside the field, and nothing is written.
      await fill(me, 'form[data-form=raise-proposal] input[name=title]', '灯');
      await fill(me, 'form[data-form=raise-proposal] textarea[name=body]', '楼道里太暗了，晚上看不见台阶。');
      await me.click('form[data-form=raise-proposal] button[type=submit]');
      await me.waitForSelector('[data-field-error="input.title"]');
      expect(await text(me, '[data-field-error="input.title"]')).toBe('标题请写2到200个字。');
      expect(await count()).toBe(0);
      await fill(me, 'form[data-form=raise-proposal] input[name=title]', '给1栋楼道装声控灯');
      await Promise.all([
        me.waitForFunction(() => location.hash.startsWith('#/proposal/')),
        me.click('form[data-form=raise-proposal] button[type=submit]'),
      ]);
      const proposalId = (await me.evaluate(() => location.hash)).split('/')[2];
      await me.waitForSelector('[data-proposal-status=OPEN]');
      expect(await text(me, 'h1')).toContain('待议事会审议');
      await fill(me, 'form[data-form=comment] textarea[name=comment]', '赞成，老人晚上出门不安全。');
      await me.click('form[data-form=comment] button[type=submit]');
      await until(me, '[data-list=comments]', '老人晚上出门不安全');
      expect(await text(me, '[data-list=comments]')).toContain('我');

      // The site officer finds it, sees the comment unsigned, and records the council meeting that puts it to a vote.
      const clerk = await officerPage();
      await go(clerk, '#/proposals', '[data-table=proposals]');
      expect(await tableValues(clerk, 'proposals')).toEqual([
        ['给1栋楼道装声控灯', '安置点1', '居民', expect.any(String), '待议事会审议'],
      ]);
      await go(clerk, `#/proposal/${proposalId}`, 'form[data-form=council]');
      expect(await text(clerk, '[data-list=comments]')).toContain('居民');
      await clerk.waitForSelector('[data-list=attendees] input[type=checkbox]');
      for (const id of residents.slice(0, 3)) await clerk.click(`[data-attendee="${id}"]`);
      expect(await text(clerk, '[data-count=attendees]')).toBe('3');
      const now = sys.clock.now();
      await fill(clerk, 'input[name=heldOn]', provinceDate(now));
      await fill(clerk, 'input[name=closesAt]', provinceLocal(new Date(now.getTime() + DAY)));
      await fill(clerk, 'input[name=quorumPercent]', '50');
      await clerk.select('select[name=listKind]', 'PROPERTY');
      await fill(clerk, 'input[name=ownerName]', '安居物业');
      await fill(clerk, 'input[name=dueOn]', addDays(provinceDate(now), 30));
      await clerk.click('form[data-form=council] button[type=submit]');
      await clerk.waitForSelector('[data-proposal-status=VOTING]');
      expect(await text(clerk, '[data-block=council]')).toContain('出席 3 人');
      expect(await text(clerk, '[data-fact=voted]')).toBe('0');

      // The resident votes for the household; a second vote from the same household is refused by the API.
      await me.bringToFront(); // a page behind another draws no frames, and a click waits for one
      await me.reload();
      await me.waitForSelector('[data-vote=FOR]');
      await me.click('[data-vote=FOR]');
      await me.waitForSelector('[data-my-vote=FOR]');
      expect(await text(me, '[data-fact=votes-for]')).toBe('1');
      const again = await sys.query(op('CastVote'), { proposalId, choice: 'AGAINST' }, residentTokens[1]);
      expect(again.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_VOTED' });

      // Before the deadline the officer cannot count; after it, one click adopts it onto the property list.
      await clerk.bringToFront();
      await clerk.reload();
      await clerk.waitForSelector('[data-block=voting]');
      expect(await clerk.$('[data-close-vote]')).toBeNull();
      sys.clock.advance(2 * DAY);
      await clerk.reload();
      await clerk.waitForSelector('[data-close-vote]');
      await clerk.click('[data-close-vote]');
      await clerk.waitForSelector('[data-proposal-status=ADOPTED]');
      expect(await text(clerk, '[data-block=outcome]')).toContain('列入清单：给1栋楼道装声控灯');
      const adopted = dataOf(await sys.query(op('ProposalPage'), { id: proposalId }, officer)).proposal;
      expect(adopted).toMatchObject({
        status: 'ADOPTED',
        listItem: { title: '给1栋楼道装声控灯' },
        outcomeNotice: { title: '议事结果：给1栋楼道装声控灯' },
      });
      await screenshot(clerk, 'portal-proposal');

      // The outcome, published on the board, is in the resident's inbox: the badge counts it, reading it clears it.
      await me.bringToFront();
      await me.goto(`${base}/#/proposals`);
      await me.waitForSelector('[data-unread]');
      const unread = dataOf(await sys.query(op('UnreadCount'), {}, residentTokens[0])).myUnreadNotificationCount;
      expect(unread).toBeGreaterThan(0);
      expect(await text(me, '[data-unread]')).toBe(String(unread));
      await me.click('[data-nav-inbox]');
      await me.waitForSelector('[data-list=notifications]');
      expect(await text(me, '[data-count=unread]')).toBe(String(unread));
      const item = await me.$$eval('[data-notification]', (els) =>
        els.map((e) => ({
          id: e.getAttribute('data-notification')!,
          read: e.getAttribute('data-read'),
          text: e.textContent ?? '',
        })),
      );
      const outcome = item.find((x) => x.text.includes('议事结果：给1栋楼道装声控灯'))!;
      expect(outcome).toMatchObject({ read: 'no' });
      expect(outcome.text).toContain('居务公开');
      await me.click(`[data-mark-read="${outcome.id}"]`);
      await me.waitForSelector(`[data-notification="${outcome.id}"][data-read=yes]`);
      expect(await text(me, '[data-count=unread]')).toBe(String(unread - 1));
      const [row] = await sys.sql(`SELECT read_at FROM governance.notification WHERE id = $1`, [outcome.id]);
      expect(row.read_at).not.toBeNull();
      if (unread > 1) {
        await me.click('[data-mark-all]');
        await until(me, '[data-count=unread]', '0');
      }
      await me.waitForFunction(() => !document.querySelector('[data-unread]'));
      expect(dataOf(await sys.query(op('UnreadCount'), {}, residentTokens[0])).myUnreadNotificationCount).toBe(0);
      await screenshot(me, 'portal-inbox');
      await Promise.all([me.close(), clerk.close()]);
    },
    300_000,
  );

  it(
    'an officer publishes a survey, a resident answers it once and anonymously, and the officer reads the counts ' +
      'after closing it',
    async () => {
      const clerk = await officerPage();
      await go(clerk, '#/surveys', '[data-survey-open]');
      await clerk.click('[data-survey-open]');
      await fill(clerk, 'form[data-form=create-survey] input[name=title]', '2026年度居民满意度调查');
      await fill(clerk, 'input[name=closesAt]', provinceLocal(new Date(sys.clock.now().getTime() + 7 * DAY)));
      await fill(clerk, 'input[name="q1.text"]', '您对社区服务的总体满意度');
      await clerk.click('[data-add-question]');
      await fill(clerk, 'input[name="q2.text"]', '您觉得这里是自己的家吗');
      await clerk.select('select[name="q2.kind"]', 'CHOICE');
      await fill(clerk, 'textarea[name="q2.options"]', '是\n还不太是\n不是');
      await clerk.click('[data-add-question]');
      await fill(clerk, 'input[name="q3.text"]', '您家目前最需要哪些帮助');
      await clerk.select('select[name="q3.kind"]', 'NEED');
      await Promise.all([
        clerk.waitForFunction(() => location.hash.startsWith('#/survey/')),
        clerk.click('form[data-form=create-survey] button[type=submit]'),
      ]);
      const surveyId = (await clerk.evaluate(() => location.hash)).split('/')[2];
      await clerk.waitForSelector('[data-survey-status=OPEN]');
      expect(await text(clerk, '[data-count=respondents]')).toBe('0');
      const survey = dataOf(await sys.query(op('SurveyPage'), { id: surveyId }, officer)).survey;
      expect(survey.questions).toEqual([
        { no: 1, text: '您对社区服务的总体满意度', kind: 'SCALE', scaleMax: 5, options: [] },
        { no: 2, text: '您觉得这里是自己的家吗', kind: 'CHOICE', scaleMax: null, options: ['是', '还不太是', '不是'] },
        { no: 3, text: '您家目前最需要哪些帮助', kind: 'NEED', scaleMax: null, options: [] },
      ]);

      // Ten neighbours answer through the API: all give 4, "是", elderly care.
      const answers = [
        { questionNo: 1, scale: 4 },
        { questionNo: 2, choice: 0 },
        { questionNo: 3, needs: ['ELDERLY_CARE'] },
      ];
      for (const t of residentTokens.slice(1)) dataOf(await sys.query(op('AnswerSurvey'), { surveyId, answers }, t));

      // The first resident answers in the portal: 2, "还不太是", job help and elderly care.
      const me = await residentPage();
      await me.goto(`${base}/#/surveys`);
      await me.waitForSelector('[data-table=surveys]');
      expect((await tableValues(me, 'surveys'))[0]).toEqual([
        '2026年度居民满意度调查',
        '满意度调查',
        '安置点1',
        expect.any(String),
        '进行中',
        '未作答',
      ]);
      await go(me, `#/survey/${surveyId}`, 'form[data-form=answer-survey]');
      await me.click('[data-question="1"] input[value="2"]');
      await me.click('[data-question="2"] input[value="1"]');
      await me.click('[data-question="3"] input[value=JOB_HELP]');
      await me.click('[data-question="3"] input[value=ELDERLY_CARE]');
      await me.click('form[data-form=answer-survey] button[type=submit]');
      await me.waitForSelector('[data-answered]');
      const twice = await sys.query(op('AnswerSurvey'), { surveyId, answers }, residentTokens[0]);
      expect(twice.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_ANSWERED' });
      await go(me, '#/surveys', '[data-table=surveys]');
      expect((await tableValues(me, 'surveys'))[0][5]).toBe('已作答');

      // The officer sees 11 answers, no results while open; closes it and reads the counts the API gives.
      await clerk.bringToFront();
      await clerk.reload();
      await until(clerk, '[data-count=respondents]', '11');
      expect(await clerk.$('[data-block=results]')).toBeNull();
      await clerk.click('[data-close-survey]');
      await clerk.waitForSelector('[data-survey-status=CLOSED]');
      await clerk.waitForSelector('[data-table="result-site-1"]');
      const results = dataOf(await sys.query(op('SurveyResults'), { id: surveyId }, officer)).surveyResults;
      expect(results.respondents).toBe(11);
      expect(await text(clerk, '[data-count=result-respondents]')).toBe('11');
      expect(await tableValues(clerk, 'result-site-1')).toEqual([
        ['1 分', '0'],
        ['2 分', '1'],
        ['3 分', '0'],
        ['4 分', '10'],
        ['5 分', '0'],
      ]);
      expect(await tableValues(clerk, 'result-site-2')).toEqual([
        ['是', '10'],
        ['还不太是', '1'],
        ['不是', '0'],
      ]);
      const needs = new Map((await tableValues(clerk, 'result-site-3')) as [string, string][]);
      expect([needs.get('养老助残'), needs.get('就业帮扶'), needs.get('技能培训')]).toEqual(['11', '1', '0']);
      expect(results.groups[0].questions[0].mean).toBeCloseTo((2 + 40) / 11, 2);
      expect(await text(clerk, '[data-group=site]')).toContain(`平均 ${results.groups[0].questions[0].mean} 分`);
      await screenshot(clerk, 'portal-survey-results');
      await Promise.all([me.close(), clerk.close()]);
    },
    300_000,
  );

  it('an officer sets their own push channels, quiet hours and muted kinds; a bad phone is refused', async () => {
    const clerk = await officerPage();
    await go(clerk, '#/inbox', 'form[data-form=preferences]');
    const stored = () =>
      sys.sql(`SELECT sms_enabled AS sms, quiet_start AS qs, quiet_end AS qe,
      muted_kinds::text[] AS muted, phone_masked AS phone
      FROM governance.notification_preference WHERE recipient LIKE 'subject:dev-site_officer-%'`);
    // A phone that is no mobile number: the words beside the field, nothing stored.
    await fill(clerk, 'form[data-form=preferences] input[name=phone]', '12345');
    await clerk.click('form[data-form=preferences] button[type=submit]');
    await clerk.waitForSelector('[data-field-error="input.phone"]');
    expect(await text(clerk, '[data-field-error="input.phone"]')).toBe('手机号为11位数字，以13–19开头。');
    expect(await stored()).toEqual([]);
    await fill(clerk, 'form[data-form=preferences] input[name=phone]', '13912345678');
    await clerk.click('form[data-form=preferences] input[name=smsEnabled]');
    await clerk.click('form[data-form=preferences] input[name=quiet]');
    await fill(clerk, 'input[name=quietStart]', '21:30');
    await fill(clerk, 'input[name=quietEnd]', '06:30');
    await clerk.click('[data-mute=LIST_ITEM_OVERDUE]');
    await clerk.click('form[data-form=preferences] button[type=submit]');
    await clerk.waitForSelector('[data-saved]');
    const [row] = await stored();
    expect(row).toMatchObject({ sms: false, qs: 21 * 60 + 30, qe: 6 * 60 + 30, muted: ['list_item_overdue'] });
    expect(row.phone).toMatch(/^139\*+5678$/);
    // Read back after a reload: the form shows what was stored.
    await clerk.reload();
    await clerk.waitForSelector('form[data-form=preferences]');
    expect(await clerk.$eval('input[name=smsEnabled]', (e) => (e as HTMLInputElement).checked)).toBe(false);
    expect(await clerk.$eval('input[name=quietStart]', (e) => (e as HTMLInputElement).value)).toBe('21:30');
    expect(await clerk.$eval('[data-mute=LIST_ITEM_OVERDUE]', (e) => (e as HTMLInputElement).checked)).toBe(true);
    expect(await text(clerk, 'form[data-form=preferences]')).toContain(row.phone);
    await clerk.close();
  }, 300_000);
});
