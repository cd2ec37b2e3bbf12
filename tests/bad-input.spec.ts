import { SignJWT, importJWK, type JWK } from 'jose';
import { DEV_PRIVATE_JWK, cursor } from '@anju/kit';
import {
  REGISTER_RESIDENT,
  TestSystem,
  residentInput,
  seedPlace,
  type GraphQLResponse,
  type Place,
} from '@anju/testing';

type Service = 'governance' | 'employment' | 'social-orgs' | 'matching';

/**
 * Input PostgreSQL would refuse never gets that far: a NUL in a string, a malformed cursor, a page
 * size below 1, a malformed id in a token's scope claims are typed errors naming the field — through
 * the gateway and straight at a subgraph, as a partner would send them — and nothing is written.
 */
describe('bad input is refused before it reaches the database', () => {
  let sys: TestSystem;
  let place: Place;
  const SITE_RESIDENTS = `query($s: ID!, $q: String, $first: Int, $after: String) {
    residents(siteId: $s, search: $q, first: $first, after: $after) { totalCount } }`;
  const PROFILES = `query($s: ID!, $f: Int, $a: String) {
    labourProfiles(siteId: $s, first: $f, after: $a) { totalCount } }`;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'badinput', workers: [] });
    place = await seedPlace(sys, 1);
  });
  afterAll(() => sys?.stop());

  /** The same operation through the gateway and straight at the subgraph. */
  type Vars = Record<string, unknown>;
  async function both(service: Service, query: string, variables: Vars, token = place.provinceToken) {
    return [await sys.query(query, variables, token), await sys.direct(service, query, variables, token)];
  }

  async function expectRefused(service: Service, query: string, variables: Vars, code: string, field: string) {
    for (const res of await both(service, query, variables)) expectError(res, code, field);
  }

  function expectError(res: GraphQLResponse, code: string, field: string) {
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].extensions).toMatchObject({ code, field });
  }

  afterEach(() => {
    // None of these may be an internal error, logged or answered.
    expect(sys.logs.text()).not.toContain('operation failed with an internal error');
  });

  it('a NUL character in a string: in an input object, in a search, in an entity representation', async () => {
    const input = residentInput(place.householdIds[0], 1, { name: '张\u0000三' });
    await expectRefused('governance', REGISTER_RESIDENT, { i: input }, 'BAD_USER_INPUT', 'input.name');
    await expectRefused('governance', SITE_RESIDENTS, { s: place.siteIds[0], q: '\u0000' }, 'BAD_USER_INPUT', 'search');
    const entities = await sys.direct(
      'governance',
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Resident { id } } }',
      { r: [{ __typename: 'Resident', id: 'a\u0000b' }] },
      place.provinceToken,
    );
    expectError(entities, 'BAD_USER_INPUT', 'representations[0].id');
    const [{ n }] = await sys.sql(`SELECT count(*)::int AS n FROM governance.resident`);
    expect(n).toBe(0);
  });

  it('a page size of zero or below', async () => {
    for (const first of [0, -1]) {
      await expectRefused('governance', SITE_RESIDENTS, { s: place.siteIds[0], first }, 'BAD_USER_INPUT', 'first');
      await expectRefused('employment', PROFILES, { s: place.siteIds[0], f: first }, 'BAD_USER_INPUT', 'first');
    }
  });

  it('a malformed cursor, whether garbage or well-formed JSON of the wrong shape', async () => {
    const bad = ['garbage!', cursor.encode(['李', 'not-a-uuid']), cursor.encode([1, 2, 3])];
    for (const after of bad) {
      await expectRefused('governance', SITE_RESIDENTS, { s: place.siteIds[0], after }, 'BAD_USER_INPUT', 'after');
      await expectRefused('employment', PROFILES, { s: place.siteIds[0], a: after }, 'BAD_USER_INPUT', 'after');
      const demands = 'query($a: String) { demands(after: $a) { totalCount } }';
      await expectRefused('matching', demands, { a: after }, 'BAD_USER_INPUT', 'after');
      const activities = 'query($a: String) { activities(after: $a) { totalCount } }';
      await expectRefused('social-orgs', activities, { a: after }, 'BAD_USER_INPUT', 'after');
    }
  });

  it("a malformed id in a token's scope claims is UNAUTHENTICATED naming the claim", async () => {
    // Signed with the (development) issuer's key, as the issuer would: the kit's mintToken refuses such claims.
    const jwk = JSON.parse(DEV_PRIVATE_JWK) as JWK;
    const token = await new SignJWT({ role: 'site_officer', sites: ["x' OR '1'='1"] })
      .setProtectedHeader({ alg: 'EdDSA', kid: jwk.kid })
      .setSubject('intruder')
      .setIssuer('anju')
      .setAudience('anju-api')
      .setExpirationTime('5m')
      .sign(await importJWK(jwk, 'EdDSA'));
    for (const res of await both('governance', SITE_RESIDENTS, { s: place.siteIds[0] }, token)) {
      expectError(res, 'UNAUTHENTICATED', 'token.sites[0]');
      expect(res.status).toBe(401);
    }
  });
});
