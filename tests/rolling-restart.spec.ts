import http from 'node:http';
import { Client } from 'pg';
import { TestSystem, seedPlace, until, type Place } from '@anju/testing';

/**
 * A rolling restart drops no request: a subgraph told to stop (SIGTERM runs the same steps)
 * closes its listener first, lets the requests it has finish, and only then stops Apollo and its
 * pools. The requests here are held inside PostgreSQL by a table lock while the stop begins.
 */
describe('rolling restart of a subgraph', () => {
  let sys: TestSystem;
  let place: Place;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'rolling', apis: ['governance'], workers: [] });
    place = await seedPlace(sys, 1);
  });
  afterAll(() => sys?.stop());

  /** One POST on its own keep-alive connection, as the gateway's pooled connections send them. */
  type Answer = { status: number; connection?: string; json: any };
  function post(url: string, agent: http.Agent, body: unknown): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        url,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${place.provinceToken}` },
        },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () =>
            resolve({
              status: res.statusCode!,
              connection: res.headers.connection,
              json: JSON.parse(text),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  }

  it('requests in flight when the stop begins complete with their data', async () => {
    const url = sys.urls.governance!;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 3 });
    const query = {
      query: 'query($s: ID!) { residents(siteId: $s) { totalCount } sites(regionCode: "53") { totalCount } }',
      variables: { s: place.siteIds[0] },
    };
    const blocker = new Client({ connectionString: sys.db.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE governance.resident IN ACCESS EXCLUSIVE MODE');
      const direct = [post(url, agent, query), post(url, agent, query)];
      const viaGateway = sys.query(query.query, query.variables, place.provinceToken);
      await until(async () => {
        const [{ n }] = await sys.sql(`SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE application_name = 'governance-api' AND wait_event_type = 'Lock'`);
        return n === 3;
      }, 'three requests (two direct, one through the gateway) to wait on the lock');

      const stopped = sys.stopComponent('governance-api');
      await until(async () => sys.logs.text().includes('"msg":"shutting down"'), 'the stop to begin');
      await blocker.query('ROLLBACK');

      const expected = { residents: { totalCount: 0 }, sites: { totalCount: 1 } };
      for (const res of await Promise.all(direct)) {
        expect(res.json).toEqual({ data: expected });
        expect(res.status).toBe(200);
        // The client is told not to reuse a connection that is about to close.
        expect(res.connection).toBe('close');
      }
      const res = await viaGateway;
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual(expected);
      await stopped;
      // Stopped means stopped: a new connection is refused (a load balancer sends it elsewhere).
      await expect(post(url, new http.Agent(), query)).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      agent.destroy();
      await blocker.end();
    }
  });
});
