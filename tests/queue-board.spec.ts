import { randomUUID } from 'node:crypto';
import { TestSystem, operatorToken, tokenFor, until } from '@anju/testing';

/**
 * Bull Board on a worker's health port (/queues): operators only, and every retry or removal is in
 * the service's audit log before it happens. An operator's token opens no domain data anywhere.
 */
describe('queue board', () => {
  let sys: TestSystem;
  let board: string;
  let operator: string;
  let province: string;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'board', apis: ['governance'], workers: ['governance'] });
    board = sys.workerReady.governance!.replace(/\/ready$/, '/queues');
    operator = await operatorToken('ops-zhang');
    province = await tokenFor({ role: 'province', regions: ['53'] });
  });
  afterAll(() => sys?.stop());

  const call = (path: string, token?: string, method = 'GET') =>
    fetch(`${board}${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const boardAudits = () =>
    sys.sql(`SELECT actor_subject, actor_role, action, entity_type, entity_id, detail FROM governance.audit_log
    WHERE actor_role = 'operator' ORDER BY id`);

  /**
   * A job of governance's events queue that completed (its one event dead-lettered: the payload breaks the contract).
   */
  const finishedJob = async () => {
    const id = randomUUID();
    const queue = sys.queue('governance');
    await queue.add(
      'micro_issue.resolved',
      {
        id,
        name: 'micro_issue.resolved',
        version: 1,
        producer: 'governance',
        occurredAt: sys.clock.now().toISOString(),
        payload: { microIssueId: 'not-a-uuid' },
      },
      { jobId: id },
    );
    await until(async () => (await queue.getJob(id))?.finishedOn !== undefined, 'the job to finish');
    await queue.close();
    return id;
  };

  it('refuses a caller without a token (401), with a bad one (401) and with a domain token (403)', async () => {
    const audited = await boardAudits(); // the other tests' retries and removals
    for (const path of ['/', '/api/queues']) {
      expect((await call(path)).status).toBe(401);
      expect((await call(path, 'not.a.token')).status).toBe(401);
      expect((await call(path, province)).status).toBe(403);
    }
    const id = await finishedJob();
    expect((await call(`/api/queues/governance.events/${id}/retry`, province, 'PUT')).status).toBe(403);
    expect((await call(`/api/queues/governance.events/${id}/retry`, undefined, 'PUT')).status).toBe(401);
    expect(await boardAudits()).toEqual(audited);
  });

  it('shows an operator every queue of the service', async () => {
    const page = await call('/', operator);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const res = await call('/api/queues', operator);
    expect(res.status).toBe(200);
    const { queues } = (await res.json()) as { queues: { name: string }[] };
    expect(queues.map((q) => q.name).sort()).toEqual([
      'governance.events',
      'governance.imports',
      'governance.schedules',
    ]);
  });

  it('signs a browser in with a cookie from the form, and refuses a domain token there', async () => {
    const form = (token: string) =>
      fetch(`${board}/login`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ token }) });
    expect((await form(province)).status).toBe(403);
    const signedIn = await form(operator);
    expect(signedIn.status).toBe(303);
    const cookie = signedIn.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly; SameSite=Strict; Path=\/queues/);
    const res = await fetch(`${board}/api/queues`, { headers: { cookie: cookie.split(';')[0] } });
    expect(res.status).toBe(200);
  });

  it('writes an audit row for a retry and a removal, before either happens', async () => {
    const id = await finishedJob();
    const retried = await call(`/api/queues/governance.events/${id}/retry`, operator, 'PUT');
    expect(retried.status).toBe(204);
    const queue = sys.queue('governance');
    try {
      await until(
        async () =>
          (await queue.getJob(id))?.attemptsMade !== undefined && (await queue.getJob(id))!.finishedOn !== undefined,
        'the retried job to finish',
      );
      expect((await call(`/api/queues/governance.events/${id}/clean`, operator, 'PUT')).status).toBe(204);
      expect(await queue.getJob(id)).toBeUndefined();
    } finally {
      await queue.close();
    }
    expect(await boardAudits()).toEqual([
      {
        actor_subject: 'ops-zhang',
        actor_role: 'operator',
        action: 'job.retry',
        entity_type: 'job',
        entity_id: `governance.events/${id}`,
        detail: { queue: 'governance.events', jobId: id },
      },
      {
        actor_subject: 'ops-zhang',
        actor_role: 'operator',
        action: 'job.remove',
        entity_type: 'job',
        entity_id: `governance.events/${id}`,
        detail: { queue: 'governance.events', jobId: id },
      },
    ]);
  });

  it('refuses what an operator may not do on the board (obliterate, edit an event, add a job); no audit', async () => {
    const before = (await boardAudits()).length;
    const id = await finishedJob();
    expect((await call('/api/queues/governance.events/obliterate', operator, 'PUT')).status).toBe(403);
    expect((await call(`/api/queues/governance.events/${id}/update-data`, operator, 'PUT')).status).toBe(403);
    expect((await call('/api/queues/governance.events/add', operator, 'POST')).status).toBe(403);
    expect((await call('/api/queues/governance.events/empty', operator, 'PUT')).status).toBe(403);
    const queue = sys.queue('governance');
    try {
      expect(await queue.getJob(id)).toBeDefined();
    } finally {
      await queue.close();
    }
    expect((await boardAudits()).length).toBe(before);
  });

  it("an operator's token reads no domain data: the gateway and the subgraph refuse it", async () => {
    const viaGateway = await sys.query('{ regions { code } }', {}, operator);
    expect(viaGateway.data ?? null).toBeNull();
    expect(viaGateway.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const direct = await sys.direct('governance', '{ regions { code } }', {}, operator);
    expect(direct.data ?? null).toBeNull();
    expect(direct.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
