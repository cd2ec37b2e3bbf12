import { Client } from 'pg';
import { TestSystem, fileRequest, rootOf, tokenFor, until, type FileAnswer } from '@anju/testing';

/**
 * A service whose every pooled connection is busy (under load, or held by long work) answers a
 * request that waited DATABASE_POOL_WAIT_MS for one SERVICE_UNAVAILABLE, retryable, with its
 * request id: a file route 503 with Retry-After, a GraphQL field the same code; never the
 * internal error's 500. The cause is logged with the request id the client was shown.
 */
describe('no pooled connection free in time', () => {
  let sys: TestSystem;
  let root: string;
  let county: string;

  beforeAll(async () => {
    sys = await TestSystem.start({
      label: 'pool-wait',
      apis: ['employment'],
      workers: [],
      // One connection each, and a short wait for it: a single request held busy fills the pool.
      env: { DATABASE_POOL_SIZE: '1', DATABASE_POOL_WAIT_MS: '500' },
    });
    root = rootOf(sys.urls.gateway!);
    county = await tokenFor({ role: 'county', regions: ['530102'], sub: 'clerk-pool' });
  });
  afterAll(() => sys?.stop());

  it('an upload and a query that waited too long for a connection: SERVICE_UNAVAILABLE, 503, Retry-After', async () => {
    const template = await fileRequest(root, '/files/employment/templates/employment', { token: county });
    expect(template.status).toBe(200);
    const upload = () =>
      fileRequest(root, '/files/employment/imports/employment?mode=dry_run&fileName=t.xlsx', {
        token: county,
        body: template.bytes,
      });
    // The first upload takes the API's only connection and waits on a lock the test holds.
    const blocker = new Client({ connectionString: sys.db.url });
    await blocker.connect();
    let first: Promise<FileAnswer> | undefined;
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE employment.import_job IN ACCESS EXCLUSIVE MODE');
      first = upload();
      await until(
        async () =>
          (
            await sys.sql(
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'
                AND application_name = 'employment-api' AND query LIKE '%import_job%'`,
            )
          )[0].n > 0,
        'the first upload to hold the connection, waiting on the lock',
      );
      const second = await upload();
      const requestId = second.headers.get('x-request-id');
      expect([second.status, second.headers.get('retry-after'), second.json?.errors]).toEqual([
        503,
        '5',
        [
          {
            message: expect.stringContaining('retry'),
            extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true, requestId },
          },
        ],
      ]);
      // Logged with its cause and the same request id, for whoever is quoted it.
      expect(sys.logs.entries().filter((e) => e.requestId === requestId && e.level === 40)).toEqual([
        expect.objectContaining({
          service: 'employment-api',
          msg: 'a file request found a service it needs unavailable',
          err: expect.objectContaining({ message: expect.stringMatching(/timeout exceeded when trying to connect/) }),
        }),
      ]);
      const query = await sys.query(
        `query($s: ID!) { employers(siteId: $s) { totalCount } }`,
        { s: '00000000-0000-4000-8000-000000000001' },
        county,
        'pool-wait-query',
      );
      expect(query.errors?.[0].extensions).toEqual({
        code: 'SERVICE_UNAVAILABLE',
        retryable: true,
        requestId: 'pool-wait-query',
      });
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
    }
    // The lock gone, the upload that held the connection is accepted as usual.
    const accepted = await first!;
    expect([accepted.status, accepted.json?.status]).toEqual([200, 'queued']);
  });
});
