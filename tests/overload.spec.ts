import { Client } from 'pg';
import { TestSystem, tokenFor } from '@anju/testing';

/**
 * Overload is refused, not suffered: a runaway statement is cancelled (QUERY_TIMEOUT), a token that
 * sends too much is told to wait (RATE_LIMITED with retryAfter, HTTP 429 and Retry-After) at the
 * gateway and at a subgraph called directly, and the expensive operations are for the roles that need
 * them and limited apart. Limits are set low here so that a handful of requests meet them.
 */
describe('overload', () => {
  let sys: TestSystem;
  const REGIONS = '{ regions { code } }';

  beforeAll(async () => {
    sys = await TestSystem.start({
      label: 'overload',
      workers: [],
      env: {
        DATABASE_STATEMENT_TIMEOUT_MS: '1500',
        // One request a minute after a burst of three: nothing refills during the test.
        RATE_LIMIT_PER_MINUTE: '1',
        RATE_LIMIT_BURST: '3',
        EXPENSIVE_RATE_LIMIT_PER_HOUR: '1',
        EXPENSIVE_RATE_LIMIT_BURST: '1',
      },
    });
  });
  afterAll(() => sys?.stop());

  const token = (sub: string, role: 'province' | 'county' | 'grid_worker' = 'county') =>
    role === 'grid_worker'
      ? tokenFor({ sub, role, grids: ['5e7b3d10-0000-4000-8000-000000000001'] })
      : tokenFor({ sub, role, regions: ['53'] });

  it('a statement longer than the statement timeout is cancelled with QUERY_TIMEOUT', async () => {
    const blocker = new Client({ connectionString: sys.db.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      // The query waits on the lock, and waiting counts. Sites, not regions: governance answers regions from memory
      // once an earlier request loaded them, and then no statement would wait.
      await blocker.query('LOCK TABLE governance.site IN ACCESS EXCLUSIVE MODE');
      const res = await sys.direct('governance', '{ sites(first: 1) { totalCount } }', {}, await token('slow-reader'));
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TIMEOUT' });
      expect(res.errors?.[0].message).not.toMatch(/statement|canceling|site/i);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
  });

  it('a token over its rate is refused at the gateway: RATE_LIMITED, 429, Retry-After; another is not', async () => {
    const busy = await token('busy-portal');
    for (let i = 0; i < 3; i++) expect((await sys.query(REGIONS, {}, busy)).errors).toBeUndefined();
    const refused = await sys.query(REGIONS, {}, busy);
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    expect(refused.errors?.[0].message).toMatch(/^Too many requests for this token/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await sys.query(REGIONS, {}, await token('other-portal'))).errors).toBeUndefined();
  });

  it('a partner calling a subgraph directly meets the same limit there', async () => {
    const partner = await token('partner-direct');
    for (let i = 0; i < 3; i++) expect((await sys.direct('governance', REGIONS, {}, partner)).errors).toBeUndefined();
    const refused = await sys.direct('governance', REGIONS, {}, partner);
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('expensive operations: other roles are FORBIDDEN, the permitted role is limited apart', async () => {
    const RUN = 'mutation { runBatchMatch { assigned } }';
    const CSV = '{ householdGapsCsv }';
    const grid = await token('grid-worker', 'grid_worker');
    expect((await sys.query(CSV, {}, grid)).errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    const county = await token('county-officer');
    expect((await sys.query(RUN, {}, county)).errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });

    const province = await token('province-officer', 'province');
    expect((await sys.query(RUN, {}, province)).errors).toBeUndefined();
    const again = await sys.query(RUN, {}, province);
    expect(again.errors?.[0].extensions).toMatchObject({
      code: 'RATE_LIMITED',
      field: 'runBatchMatch',
      retryAfter: expect.any(Number),
    });
    const exporter = await token('province-exporter', 'province');
    expect((await sys.query(CSV, {}, exporter)).errors).toBeUndefined();
    expect((await sys.query(CSV, {}, exporter)).errors?.[0].extensions).toMatchObject({
      code: 'RATE_LIMITED',
      field: 'householdGapsCsv',
    });
  });
});
