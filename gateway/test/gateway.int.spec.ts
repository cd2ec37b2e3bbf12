import { randomUUID } from 'node:crypto';
import { checkCharacter } from '@anju/kit';
import {
  LogCapture,
  createTestDatabase,
  definitionOf,
  deleteQueuePrefix,
  gql,
  migratedTemplate,
  testQueuePrefix,
  tokenFor,
  type TestDatabase,
} from '@anju/testing';
import { composeFrom, readSubgraphSources } from '../src/compose';
import { loadGatewayConfig } from '../src/config';
import { startGateway, type RunningGateway } from '../src/server';

/**
 * The gateway in front of a real governance subgraph (its own database), over a supergraph of
 * governance alone: the token check, the request id, the limits, and that a subgraph's typed
 * errors reach the caller with their code and field while everything internal is masked.
 */
jest.setTimeout(60_000);

let db: TestDatabase;
const governanceService = definitionOf('governance');
let governance: Awaited<ReturnType<typeof governanceService.startApi>>;
let gateway: RunningGateway;
const logs = new LogCapture();
let province: string;
// The governance api's import queue writes under it (its `meta` key outlived the file before).
const queuePrefix = testQueuePrefix();

const LIMITS = { QUERY_MAX_DEPTH: '6', QUERY_MAX_ALIASES: '3', QUERY_MAX_COST: '300', GATEWAY_MAX_BODY_BYTES: '4096' };

const env = () => ({
  NODE_ENV: 'test',
  LOG_LEVEL: 'debug',
  DATABASE_URL: db.url,
  DATABASE_POOL_SIZE: '3',
  QUEUE_PREFIX: queuePrefix,
  GOVERNANCE_PORT: '0',
});
/** A governance api on the file's database. */
const startGovernance = () => governanceService.startApi(governanceService.loadConfig(env()), { logDestination: logs });
/** A gateway over a supergraph of governance alone, in front of the governance api at `governanceUrl`. */
const gatewayTo = (governanceUrl: string) =>
  startGateway(
    loadGatewayConfig({
      ...env(),
      ...LIMITS,
      GATEWAY_PORT: '0',
      GATEWAY_METRICS_PORT: '0',
      GOVERNANCE_URL: governanceUrl,
    }),
    {
      supergraphSdl: composeFrom(readSubgraphSources().sources.filter((s) => s.name === 'governance')),
      logDestination: logs,
    },
  );

beforeAll(async () => {
  db = await createTestDatabase('gateway', await migratedTemplate(['governance']));
  governance = await startGovernance();
  gateway = await gatewayTo(governance.url);
  province = await tokenFor({ role: 'province', regions: ['53'] });
});

afterAll(async () => {
  try {
    await gateway?.stop();
    await governance?.lifecycle.stop('test finished');
  } finally {
    await deleteQueuePrefix(queuePrefix);
    await db?.drop();
  }
});

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${province}`, ...headers },
    body,
  });

const REGION = 'mutation($i: RegisterRegionInput!){ registerRegion(input:$i){ code } }';
const SITE = 'mutation($i: RegisterSiteInput!){ registerSite(input:$i){ id } }';
const HOUSEHOLD = 'mutation($i: RegisterHouseholdInput!){ registerHousehold(input:$i){ id } }';
const RESIDENT = 'mutation($i: RegisterResidentInput!){ registerResident(input:$i){ id name nationalIdMasked } }';
const nationalId = (first17: string) => first17 + checkCharacter(first17);

describe('authentication at the gateway', () => {
  it('refuses a request without a bearer token: 401 UNAUTHENTICATED, before any subgraph is asked', async () => {
    const res = await gql(gateway.url, '{ regions { code } }');
    expect(res.status).toBe(401);
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: 'A bearer token is required (Authorization: Bearer <token>).',
        extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }),
      }),
    ]);
  });

  it('refuses a token signed with another secret', async () => {
    const res = await gql(gateway.url, '{ regions { code } }', {}, { token: `${province.slice(0, -4)}AAAA` });
    expect(res.status).toBe(401);
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.errors?.[0].message).toBe('Authentication failed: the token is not valid.');
  });
});

describe('request id', () => {
  it('keeps a valid incoming x-request-id, returns it, and forwards it (and the token) to the subgraph', async () => {
    const requestId = `portal-${randomUUID()}`;
    // A query of its own: the answer to one another test sent may be in the gateway's response cache, and a
    // cached answer never reaches the subgraph.
    const res = await gql(gateway.url, '{ forwarded: regions { code } }', {}, { token: province, requestId });
    expect(res.errors).toBeUndefined();
    expect(res.headers.get('x-request-id')).toBe(requestId);
    // The subgraph answered (it verifies the token itself) and logged the operation under the same id.
    const governanceLines = logs.entries().filter((e) => e.service === 'governance-api' && e.requestId === requestId);
    expect(governanceLines.length).toBeGreaterThan(0);
  });

  it('replaces a malformed id with a fresh one', async () => {
    const res = await gql(
      gateway.url,
      '{ regions { code } }',
      {},
      { token: province, requestId: 'bad id\twith spaces' },
    );
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('typed errors from the subgraph keep their code and field', () => {
  let siteId: string;
  let householdId: string;

  beforeAll(async () => {
    for (const [code, name] of [
      ['53', '云南省'],
      ['5301', '昆明市'],
      ['530102', '五华区'],
    ]) {
      const r = await gql(gateway.url, REGION, { i: { code, name } }, { token: province });
      expect(r.errors).toBeUndefined();
    }
    const site = await gql<{ registerSite: { id: string } }>(
      gateway.url,
      SITE,
      {
        i: {
          regionCode: '530102',
          name: '网关测试安置点',
          address: '五华区1号',
          latitude: 25,
          longitude: 102.7,
          plannedHouseholds: 10,
        },
      },
      { token: province },
    );
    siteId = site.data!.registerSite.id;
    const household = await gql<{ registerHousehold: { id: string } }>(
      gateway.url,
      HOUSEHOLD,
      { i: { siteId, householdNumber: 'GW-1' } },
      { token: province },
    );
    householdId = household.data!.registerHousehold.id;
  });

  const resident = (id: string) => ({
    householdId,
    name: '测试居民',
    nationalId: id,
    ethnicity: '彝族',
    labourCapacity: 'FULL',
    canWorkAway: true,
    wantsWork: true,
    relationToHead: 'HEAD',
  });

  it('BAD_USER_INPUT with extensions.field and reason, and no subgraph name', async () => {
    const wrong =
      nationalId('53010219800101123').slice(0, 17) + (checkCharacter('53010219800101123') === '0' ? '1' : '0');
    const res = await gql(gateway.url, RESIDENT, { i: resident(wrong) }, { token: province });
    expect(res.errors).toHaveLength(1);
    const [err] = res.errors!;
    expect(err.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.nationalId', reason: 'CHECK_DIGIT' });
    expect(err.message).toMatch(/check digit/);
    expect(err.path).toEqual(['registerResident']);
  });

  it('CONFLICT with its field', async () => {
    const id = nationalId('53010219800101125');
    expect((await gql(gateway.url, RESIDENT, { i: resident(id) }, { token: province })).errors).toBeUndefined();
    const again = await gql(gateway.url, RESIDENT, { i: resident(id) }, { token: province });
    expect(again.errors?.[0].extensions).toEqual({
      code: 'CONFLICT',
      field: 'input.nationalId',
      reason: 'DUPLICATE_NATIONAL_ID',
    });
  });

  it('NOT_FOUND with its field', async () => {
    const res = await gql(
      gateway.url,
      HOUSEHOLD,
      { i: { siteId: randomUUID(), householdNumber: 'GW-2' } },
      { token: province },
    );
    expect(res.errors?.[0].extensions).toEqual({ code: 'NOT_FOUND', field: 'input.siteId' });
  });

  it('FORBIDDEN for a caller outside the scope', async () => {
    const county = await tokenFor({ role: 'county', regions: ['530103'] });
    const res = await gql(gateway.url, HOUSEHOLD, { i: { siteId, householdNumber: 'GW-3' } }, { token: county });
    expect(res.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN' });
    expect(res.errors?.[0].message).toBe('The site is outside your scope.');
  });
});

describe('limits', () => {
  const codeOf = async (res: Response) => ({
    status: res.status,
    body: (await res.json()) as { errors?: { message: string; extensions?: { code?: string } }[] },
  });

  it('refuses a query deeper than QUERY_MAX_DEPTH with a typed error', async () => {
    const deep =
      '{ site(id: "00000000-0000-0000-0000-000000000000") { region { ' +
      'parent { parent { parent { parent { parent { code } } } } } } } }';
    const { status, body } = await codeOf(await post(JSON.stringify({ query: deep })));
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors?.[0].message).toMatch(/depth/i);
  });

  it('refuses more aliases than QUERY_MAX_ALIASES', async () => {
    const { status, body } = await codeOf(
      await post(
        JSON.stringify({
          query: '{ a: regions { code } b: regions { code } c: regions { code } d: regions { code } }',
        }),
      ),
    );
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors?.[0].message).toMatch(/alias/i);
  });

  it('refuses a query costlier than QUERY_MAX_COST', async () => {
    // The kit's cost: a field 1, times `first` rows below it: 1 + 100 × (nodes 1 + id 1 + name 1) = 301.
    const query = '{ sites(first: 100) { nodes { id name } } }';
    const { status, body } = await codeOf(await post(JSON.stringify({ query })));
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors?.[0].message).toMatch(/cost/i);
  });

  it('does not suggest field names outside development', async () => {
    const { status, body } = await codeOf(await post(JSON.stringify({ query: '{ regons { code } }' })));
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors?.[0].message).not.toMatch(/Did you mean/);
  });

  it('refuses introspection outside development', async () => {
    const { status, body } = await codeOf(await post(JSON.stringify({ query: '{ __schema { types { name } } }' })));
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses batched requests', async () => {
    const res = await post(JSON.stringify([{ query: '{ regions { code } }' }, { query: '{ regions { code } }' }]));
    expect(res.status).toBe(400);
  });

  it('refuses a body over GATEWAY_MAX_BODY_BYTES with a JSON error carrying the request id', async () => {
    const res = await post(JSON.stringify({ query: '{ regions { code } }', variables: { pad: 'x'.repeat(5_000) } }));
    expect(res.status).toBe(413);
    const body = (await res.json()) as { errors: { extensions: { code: string; requestId: string } }[] };
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(body.errors[0].extensions.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('answers malformed JSON with a typed error, not an HTML page', async () => {
    const res = await post('{"query": ');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe(
      'BAD_REQUEST',
    );
  });
});

describe('health', () => {
  it('is ready while its subgraphs answer', async () => {
    const base = gateway.url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', service: 'gateway', checks: { governance: 'ok' } });
  });
});

// A governance api of its own, stopped, behind a gateway of its own: the file's subgraph keeps answering the others.
describe('when a subgraph is down', () => {
  let cutOff: RunningGateway;
  beforeAll(async () => {
    const stopped = await startGovernance();
    cutOff = await gatewayTo(stopped.url);
    await stopped.lifecycle.stop('test: subgraph down');
  });
  afterAll(() => cutOff?.stop());

  it('masks the failure (no URL, no subgraph name), says it is worth a retry, and quotes the request id', async () => {
    const res = await gql(cutOff.url, '{ regions { code } }', {}, { token: province, requestId: 'down-1' });
    expect(res.errors).toHaveLength(1);
    const [err] = res.errors!;
    // An outage, not a bug (kit maskError): retryable.
    expect(err.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true, requestId: 'down-1' });
    expect(JSON.stringify(err)).not.toMatch(/127\.0\.0\.1|governance|ECONNREFUSED/);
  });

  it('is not ready', async () => {
    const ready = await fetch(cutOff.url.replace(/\/graphql$/, '/ready'));
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual(expect.objectContaining({ checks: { governance: 'down' } }));
  });
});
