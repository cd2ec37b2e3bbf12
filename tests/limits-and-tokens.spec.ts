import { SignJWT, importJWK, type JWK } from 'jose';
import { DEV_PUBLIC_JWKS, generateSigningKeys } from '@anju/kit';
import { TestSystem, dataOf, seedPlace, tokenFor, type GraphQLResponse, type Place } from '@anju/testing';

/**
 * Issue 14, items 4 and 5 as an attacker tries them, through the gateway and straight at a
 * subgraph (partners call social-orgs directly): every subgraph applies the gateway's limits
 * (one implementation, kit `limits.ts`), and only the issuer's private key mints a token.
 * Each attempt fails with a typed error, changes nothing and reveals nothing.
 */
jest.setTimeout(120_000);

const LIMITS = {
  QUERY_MAX_DEPTH: '8',
  QUERY_MAX_ALIASES: '5',
  QUERY_MAX_COST: '2000',
  QUERY_MAX_LIST_ITEMS: '20',
  QUERY_MAX_ENTITIES: '20',
  QUERY_MAX_RESPONSE_BYTES: '4096',
};

let sys: TestSystem;
let place: Place;
let orgId: string;
let ngo: string;

/** The same operation at the gateway and straight at social-orgs. */
const both = async (query: string, variables: Record<string, unknown>, token: string) =>
  [
    ['gateway', await sys.query(query, variables, token)],
    ['social-orgs', await sys.direct('social-orgs', query, variables, token)],
  ] as const;

const expectLimit = (res: GraphQLResponse, limit: string) => {
  expect(res.data ?? null).toBeNull();
  expect(res.errors?.[0].extensions).toMatchObject({
    code: limit === 'response' ? 'RESPONSE_TOO_LARGE' : 'GRAPHQL_VALIDATION_FAILED',
    limit,
    max: expect.any(Number),
  });
};

const activityCount = async () => Number((await sys.sql(`SELECT count(*)::int AS n FROM social_orgs.activity`))[0].n);
const inDays = (d: number) => new Date(sys.clock.now().getTime() + d * 86_400_000).toISOString();

beforeAll(async () => {
  sys = await TestSystem.start({ label: 'limits', workers: [], env: LIMITS });
  place = await seedPlace(sys, 1);
  orgId = dataOf(
    await sys.query(
      `mutation($i: RegisterOrganizationInput!) { registerOrganization(input: $i) { id } }`,
      { i: { name: '限额测试社工中心', kind: 'PROFESSIONAL', serviceRegionCodes: ['530102'] } },
      place.provinceToken,
    ),
  ).registerOrganization.id;
  ngo = await tokenFor({ role: 'ngo_member', org: orgId, sub: 'ngo-limits' });
  // No workers run here, so social-orgs learns the site as governance's site.registered would tell it.
  await sys.sql(
    `INSERT INTO social_orgs.site_directory (site_id, region_code, name, latitude, longitude, planned_households)
    VALUES ($1, '530102', '限额测试安置点', 25.05, 102.7, 300) ON CONFLICT (site_id) DO NOTHING`,
    [place.siteIds[0]],
  );
});
afterAll(() => sys?.stop());

const CREATE = `mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }`;
const activityInput = (title: string) => ({
  siteId: place.siteIds[0],
  title,
  kind: 'CULTURAL',
  startsAt: inDays(3),
  endsAt: inDays(3.1),
  capacity: 30,
});

describe('limits at the gateway and at every subgraph', () => {
  it('refuses a selection deeper than QUERY_MAX_DEPTH through the activity ↔ registrations cycle', async () => {
    const deep = `query($id: ID!) { activityRegistration(id: $id) { activity { registrations { activity {
      registrations {
      activity { registrations { activity { registrations { id } } } } } } } } } }`;
    for (const [, res] of await both(deep, { id: '00000000-0000-0000-0000-000000000000' }, ngo))
      expectLimit(res, 'depth');
  });

  // The nested lists: case ↔ referrals, call ↔ applications, activity ↔ registrations, grid ↔ buildings.
  it('refuses nested unpaged lists by their cost (case ↔ referrals, call ↔ applications, and more)', async () => {
    const cycles = [
      `{ socialCases(first: 1) { nodes { referrals { case { referrals { case { referrals { id } } } } } } } }`,
      `{ ventureCalls(first: 1) { nodes { applications { call { applications { call { applications {
        id } } } } } } } }`,
      `query($id: ID!) { activity(id: $id) { registrations { activity { registrations { activity { registrations {
        id } } } } } } }`,
    ];
    for (const q of cycles)
      for (const [, res] of await both(q, { id: '00000000-0000-0000-0000-000000000000' }, ngo))
        expectLimit(res, 'cost');
    // grid ↔ buildings, in governance, through the gateway and straight at it.
    const grids = `query($s: ID!) { grids(siteId: $s) { buildings { grid { buildings { grid { buildings {
      id } } } } } } }`;
    expectLimit(await sys.query(grids, { s: place.siteIds[0] }, place.provinceToken), 'cost');
    expectLimit(await sys.direct('governance', grids, { s: place.siteIds[0] }, place.provinceToken), 'cost');
  });

  it('counts `first` given as a variable and left to its schema default, not only a literal', async () => {
    const paged = `query($n: Int) { activities(first: $n) { nodes { id registrations { id activity {
      id title } } } } }`;
    for (const [where, res] of await both(paged, { n: 200 }, ngo)) {
      expectLimit(res, 'cost');
      expect([where, res.errors?.[0].extensions?.actual]).toEqual([where, expect.any(Number)]);
      expect(res.errors?.[0].extensions?.actual).toBeGreaterThan(2000);
    }
    // Left out, `first` is its schema default (50): still too costly. Five rows are fine.
    for (const [, res] of await both(paged.replace('query($n: Int) ', '').replace('(first: $n)', ''), {}, ngo))
      expectLimit(res, 'cost');
    for (const [where, res] of await both(paged, { n: 5 }, ngo))
      expect([where, res.errors]).toEqual([where, undefined]);
  });

  it('refuses more aliases than QUERY_MAX_ALIASES, and a refused mutation changes nothing', async () => {
    const before = await activityCount();
    const six = `mutation($i: CreateActivityInput!) {
      ${['a', 'b', 'c', 'd', 'e', 'f'].map((a) => `${a}: createActivity(input: $i) { id }`).join(' ')} }`;
    for (const [, res] of await both(six, { i: activityInput('别名攻击') }, ngo)) expectLimit(res, 'aliases');
    expect(await activityCount()).toBe(before);
  });

  it('refuses an _entities batch larger than QUERY_MAX_ENTITIES at the subgraph', async () => {
    const reps = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        __typename: 'Activity',
        id: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
      }));
    const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Activity { id title } } }`;
    expectLimit(await sys.direct('social-orgs', q, { r: reps(21) }, ngo), 'entities');
    const ok = await sys.direct('social-orgs', q, { r: reps(20) }, ngo);
    expect(ok.errors?.find((e) => e.extensions?.limit)).toBeUndefined();
  });

  it('caps a list without paging at QUERY_MAX_LIST_ITEMS (what the cost assumes)', async () => {
    for (let i = 1; i <= 22; i++) {
      const code = `5301${String(i + 10).padStart(2, '0')}`;
      if (code === '530102') continue;
      dataOf(
        await sys.query(
          `mutation($i: RegisterRegionInput!) { registerRegion(input: $i) { code } }`,
          { i: { code, name: `测试区${i}` } },
          place.provinceToken,
        ),
      );
    }
    const total = Number(
      (await sys.sql(`SELECT count(*)::int AS n FROM governance.region WHERE parent_code = '5301'`))[0].n,
    );
    expect(total).toBeGreaterThan(20);
    const q = `{ regions(parentCode: "5301") { code } }`;
    expect(dataOf(await sys.query(q, {}, place.provinceToken)).regions).toHaveLength(20);
    expect(dataOf(await sys.direct('governance', q, {}, place.provinceToken)).regions).toHaveLength(20);
  });

  it('refuses a response larger than QUERY_MAX_RESPONSE_BYTES with a typed error and no partial data', async () => {
    for (let i = 0; i < 25; i++)
      dataOf(await sys.direct('social-orgs', CREATE, { i: activityInput(`${'长'.repeat(90)}${i}`) }, ngo));
    const q = `{ activities(first: 30) { nodes { id title organizationName } } }`;
    for (const [, res] of await both(q, {}, ngo)) {
      expectLimit(res, 'response');
      expect(JSON.stringify(res)).not.toContain('长长长');
    }
  });
});

describe('tokens: only the issuer can mint one', () => {
  const claims = { role: 'province', regions: ['53'] };
  const sign = async (jwk: JWK, alg: string, key: Parameters<SignJWT['sign']>[0], kid?: string) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg, kid: kid ?? jwk.kid })
      .setSubject('attacker')
      .setIssuer('anju')
      .setAudience('anju-api')
      .setExpirationTime('1h')
      .sign(key);

  it('refuses a token signed with a foreign key pair or HMAC-signed with the public key; nothing changes', async () => {
    const foreign = JSON.parse((await generateSigningKeys('anju-development')).AUTH_PRIVATE_KEY) as JWK;
    const publicJwk = JSON.parse(DEV_PUBLIC_JWKS).keys[0] as JWK;
    const forged = [
      await sign(foreign, 'EdDSA', await importJWK(foreign, 'EdDSA')),
      await sign(publicJwk, 'HS256', new TextEncoder().encode(JSON.stringify(publicJwk))),
      await sign(publicJwk, 'HS256', new TextEncoder().encode(publicJwk.x!)),
    ];
    const before = await activityCount();
    for (const token of forged) {
      for (const [where, res] of await both(
        CREATE,
        { i: { ...activityInput('伪造令牌'), organizationId: orgId } },
        token,
      )) {
        expect([where, res.status, res.errors?.[0].extensions?.code]).toEqual([where, 401, 'UNAUTHENTICATED']);
        expect(res.data ?? null).toBeNull();
      }
    }
    expect(await activityCount()).toBe(before);
  });
});
