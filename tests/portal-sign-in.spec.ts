import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { DEV_PRIVATE_JWK, issuerSettings, loadConfig, mintToken } from '@anju/kit';
import { TestSystem, startTestOidcProvider, type TestOidcProvider } from '@anju/testing';
import { buildPortal } from '@anju/portal';
import { seed } from '@anju/devtools/src/seed/seed';
import { launchBrowser, screenshot } from './portal/browser';

const COUNTY = '530627';
const REGIONS = 'query { regions { code } }';

/**
 * Production sign-in: the portal signs in with the province's OpenID Connect provider (a local
 * test provider here), and the gateway and every subgraph verify the provider's tokens with the
 * keys it publishes (AUTH_JWKS_URL) — and nothing else: not the development key, not a token for
 * another audience, not a token signed with a key the provider does not publish.
 */
describe('signing in with the province identity provider', () => {
  let provider: TestOidcProvider;
  let sys: TestSystem;
  let browser: Browser;
  let base: string;
  let dist: string;

  beforeAll(async () => {
    provider = await startTestOidcProvider({
      users: [
        { login: 'county', name: '张县干', claims: { sub: 'oidc-county-1', role: 'county', regions: [COUNTY] } },
        { login: 'nobody', name: '李无权', claims: { sub: 'oidc-nobody', role: 'resident' } as never },
      ],
    });
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-portal-oidc-'));
    await buildPortal(dist);
    sys = await TestSystem.start({
      label: 'portal-oidc',
      apis: [],
      workers: [],
      gateway: false,
      env: {
        PORTAL_DIR: dist,
        PORTAL_SAFELIST: 'on',
        AUTH_JWKS_URL: provider.jwksUrl,
        AUTH_ISSUER: provider.issuer,
        AUTH_AUDIENCE: 'anju-api',
        PORTAL_OIDC_ISSUER: provider.issuer,
        PORTAL_OIDC_CLIENT_ID: provider.clientId,
      },
    });
    await seed({ scale: 'demo', seed: 1, databaseUrl: sys.db.url, env: sys.env });
    for (const s of ['governance', 'employment', 'social-orgs', 'matching'] as const) await sys.startApi(s);
    base = new URL(await sys.startGateway()).origin;
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
    await provider?.stop();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  async function newPage(): Promise<Page> {
    const page = await browser.newPage();
    await page.setViewport({ width: 1366, height: 768 });
    return page;
  }

  /** From the portal's sign-in page to the provider's login page. */
  async function toProvider(page: Page): Promise<void> {
    await page.goto(`${base}/`);
    await page.waitForSelector('button[data-sign-in="oidc"]');
    await Promise.all([page.waitForNavigation(), page.click('button[data-sign-in="oidc"]')]);
  }

  /** The provider's answer lands back on the portal, which says in words why it did not sign in. */
  async function refusal(page: Page): Promise<string | null> {
    await page.waitForSelector('.state.error');
    expect(await page.evaluate(() => sessionStorage.getItem('anju.session'))).toBeNull();
    return page.$eval('.state.error p', (e) => e.textContent);
  }

  it('a county officer signs in at the provider and lands on the county, which the API then serves', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await page.waitForSelector('button[data-sign-in="oidc"]');
    expect(await page.$('select[name=role]')).toBeNull(); // no development page where a provider is set up
    await Promise.all([page.waitForNavigation(), page.click('button[data-sign-in="oidc"]')]);
    expect(page.url().startsWith(`${provider.issuer}/authorize?`)).toBe(true);
    const asked = new URL(page.url()).searchParams;
    expect(asked.get('code_challenge_method')).toBe('S256');
    expect(asked.get('client_id')).toBe(provider.clientId);
    await Promise.all([page.waitForNavigation(), page.click('a[data-login="county"]')]);
    await page.waitForFunction((c) => location.hash === `#/region/${c}`, {}, COUNTY);
    await page.waitForSelector('h1');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent?.includes('镇雄县'));
    // The code and state are gone from the address; the header names the person the provider signed in.
    expect(new URL(page.url()).search).toBe('');
    expect(await page.$eval('.who', (e) => e.textContent)).toContain('张县干');
    const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('anju.session')!).token as string);
    // The provider's token is what the gateway and the subgraphs accept.
    const answer = await sys.query('{ sites(first: 50) { nodes { region { code } } } }', {}, token);
    expect(answer.errors).toBeUndefined();
    const codes = new Set(answer.data!.sites.nodes.map((s: { region: { code: string } }) => s.region.code));
    expect([...codes]).toEqual([COUNTY]); // the county's sites, and only those: the scope the provider gave
    await screenshot(page, 'portal-sign-in-oidc');
  });

  it('refusing at the provider, a forged return and a role without a portal are each told in words', async () => {
    const page = await newPage();
    await toProvider(page);
    await Promise.all([page.waitForNavigation(), page.click('a[data-deny]')]);
    expect(await refusal(page)).toBe('您在统一身份认证页面取消了登录。');

    // A return nobody started here (a link sent by someone else): no session.
    await page.goto(`${base}/?code=stolen&state=forged`);
    expect(await refusal(page)).toBe('登录已失效（可能在另一个窗口中完成了登录），请重新登录。');

    // Started here, but the state that comes back is not ours.
    await toProvider(page);
    await page.goto(`${base}/?code=stolen&state=forged&iss=${encodeURIComponent(provider.issuer)}`);
    expect(await refusal(page)).toBe('登录未完成：统一身份认证返回的信息不正确，请重新登录。');

    // Signed in at the provider, but the account holds no role the portal serves.
    await toProvider(page);
    await Promise.all([page.waitForNavigation(), page.click('a[data-login="nobody"]')]);
    expect(await refusal(page)).toBe('您的账号在统一身份认证中没有本系统的角色，请联系上级主管部门开通。');
  });

  it("accepts only the provider's own tokens for the API, at the gateway and straight at a subgraph", async () => {
    const good = await provider.sign({ sub: 'oidc-county-2', role: 'county', regions: [COUNTY] });
    const attempts = {
      'another audience': await provider.sign(
        { sub: 'oidc-county-2', role: 'county', regions: [COUNTY] },
        { audience: 'someone-else' },
      ),
      'a key the provider does not publish': await provider.sign(
        { sub: 'oidc-county-2', role: 'county', regions: ['53'] },
        { key: 'foreign' },
      ),
      'the development key': await mintToken(
        { sub: 'dev', role: 'province', regions: ['53'] },
        {
          ...loadConfig(issuerSettings, { AUTH_PRIVATE_KEY: DEV_PRIVATE_JWK }),
          AUTH_ISSUER: provider.issuer,
          AUTH_AUDIENCE: 'anju-api',
        },
      ),
      'an expired token': await provider.sign(
        { sub: 'oidc-county-2', role: 'county', regions: [COUNTY] },
        { ttlSeconds: -60 },
      ),
    };
    for (const target of ['gateway', 'social-orgs'] as const) {
      const ask = (token: string) =>
        target === 'gateway'
          ? sys.query(REGIONS, {}, token)
          : sys.direct('social-orgs', '{ organizations(first: 1) { totalCount } }', {}, token);
      expect((await ask(good)).errors).toBeUndefined();
      for (const [what, token] of Object.entries(attempts)) {
        const answer = await ask(token);
        expect({ what, target, code: answer.errors?.[0]?.extensions?.code, data: answer.data ?? null }).toEqual({
          what,
          target,
          code: 'UNAUTHENTICATED',
          data: null,
        });
      }
    }
  });
});
