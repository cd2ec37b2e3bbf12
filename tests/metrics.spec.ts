import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { SERVICES } from '@anju/contracts';
import {
  REGISTER_RESIDENT,
  TEST_REDIS_URL,
  TestSystem,
  dataOf,
  residentInput,
  seedPlace,
  until,
  type Place,
} from '@anju/testing';

/** One sample of Prometheus's text format: `name{a="b",…} value`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a Prometheus sample: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v;
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

/** The sum of a family's samples whose labels include `where`. */
const total = (samples: Sample[], name: string, where: Record<string, string> = {}) =>
  samples
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((a, s) => a + s.value, 0);
const has = (samples: Sample[], name: string, where: Record<string, string> = {}) =>
  samples.some((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v));

/**
 * Every process of a running system answers /metrics (subgraphs on their port, workers on their
 * health port, the gateway on its own metrics port) and each family the operators' dashboards and
 * alerts read is there and moves under a small load: mutations and queries through the gateway,
 * events through outbox, queue and inbox, a poison event, a nightly monitoring run.
 */
describe('metrics of every process', () => {
  let sys: TestSystem;
  let place: Place;
  const scrape = async (proc: string) => {
    const res = await fetch(sys.metricsUrls[proc]);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    return parse(await res.text());
  };
  const scrapeAll = async () =>
    Object.fromEntries(await Promise.all(Object.keys(sys.metricsUrls).map(async (p) => [p, await scrape(p)] as const)));

  beforeAll(async () => {
    // No scrape cache, so that each scrape sees the effect just made.
    sys = await TestSystem.start({ label: 'metrics', env: { METRICS_CACHE_MS: '0', JOB_ATTEMPTS: '2' } });
    // The place both tests register residents in; its regions can be registered once only.
    place = await seedPlace(sys, 1);
  });
  afterAll(() => sys?.stop());

  it('serves every family from all nine processes, and each moves under load', async () => {
    expect(Object.keys(sys.metricsUrls).sort()).toEqual(
      ['gateway', ...SERVICES.flatMap((s) => [`${s}-api`, `${s}-worker`])].sort(),
    );
    const before = await scrapeAll();

    // Load: named mutations and a query over all four subgraphs through the gateway; one operation the gateway refuses.
    for (let i = 1; i <= 3; i++)
      dataOf(
        await sys.query(
          REGISTER_RESIDENT.replace('mutation(', 'mutation MetricsRegister('),
          { i: residentInput(place.householdIds[0], i) },
          place.provinceToken,
        ),
      );
    await sys.waitForIdle();
    const dashboard = `query MetricsDashboard($id: ID!) { site(id: $id) {
      name openDemandCount } labourProfiles(siteId: $id, first: 2) { totalCount }
      organizations(first: 1) { totalCount } }`;
    dataOf(await sys.query(dashboard, { id: place.siteIds[0] }, place.provinceToken));
    const refused = await sys.query('query MetricsBroken { noSuchField }', {}, place.provinceToken);
    expect(refused.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // One that a subgraph answers with an error (a page of no rows).
    const badPage = await sys.query(
      'query MetricsBadPage($id: ID!) { residents(siteId: $id, first: 0) { totalCount } }',
      { id: place.siteIds[0] },
      place.provinceToken,
    );
    expect(badPage.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    // A poison event on employment's queue: dead-lettered at once (it does not match the contract).
    const poison = {
      id: randomUUID(),
      name: 'resident.registered',
      version: 1,
      producer: 'governance',
      occurredAt: sys.clock.now().toISOString(),
      payload: { residentId: 'x' },
    };
    const queue = sys.queue('employment');
    await queue.add(poison.name, poison, { jobId: poison.id });
    await queue.close();
    await until(
      async () => (await sys.sql(`SELECT 1 FROM employment.dead_letter WHERE event_id = $1`, [poison.id])).length === 1,
      'the poison event in the dead letters',
    );

    // The nightly monitoring run, as its job scheduler starts it: a job on employment's schedules queue.
    const redis = new IORedis(sys.env.REDIS_URL ?? TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const schedules = new Queue('employment.schedules', { connection: redis, prefix: sys.queuePrefix });
    await schedules.add('monitoring.nightly', {});
    await schedules.close();
    redis.disconnect();
    await until(
      async () =>
        total(await scrape('employment-worker'), 'anju_scheduled_task_runs_total', { task: 'monitoring.nightly' }) ===
        1,
      'the monitoring run',
    );
    await sys.waitForIdle();

    const after = await scrapeAll();
    const moved = (proc: string, name: string, where: Record<string, string> = {}) =>
      expect({ proc, name, where, moved: total(after[proc], name, where) > total(before[proc], name, where) }).toEqual({
        proc,
        name,
        where,
        moved: true,
      });

    for (const [proc, samples] of Object.entries(after)) {
      expect({
        proc,
        labelled: samples.filter((s) => s.name.startsWith('anju_')).every((s) => s.labels.service && s.labels.process),
      }).toEqual({ proc, labelled: true });
      expect({ proc, node: has(samples, 'process_cpu_user_seconds_total') }).toEqual({ proc, node: true });
      moved(proc, 'anju_http_requests_total', { route: '/metrics' });
      moved(proc, 'anju_http_request_duration_seconds_count');
    }

    // The gateway: operations by name, their latency and errors; each subgraph's fetches.
    moved('gateway', 'anju_graphql_operations_total', {
      operation: 'MetricsRegister',
      type: 'mutation',
      outcome: 'ok',
    });
    moved('gateway', 'anju_graphql_operations_total', { operation: 'MetricsDashboard', type: 'query', outcome: 'ok' });
    moved('gateway', 'anju_graphql_operation_duration_seconds_count', { operation: 'MetricsDashboard' });
    moved('gateway', 'anju_graphql_errors_total', { operation: 'MetricsBroken', code: 'GRAPHQL_VALIDATION_FAILED' });
    moved('gateway', 'anju_http_requests_total', { route: '/graphql' });
    for (const subgraph of SERVICES)
      moved('gateway', 'anju_gateway_subgraph_fetch_duration_seconds_count', { subgraph });
    for (const subgraph of SERVICES)
      expect({
        subgraph,
        errors: has(after.gateway, 'anju_gateway_subgraph_fetch_errors_total', { subgraph }),
      }).toEqual({ subgraph, errors: true });
    moved('gateway', 'anju_gateway_subgraph_fetch_errors_total', { subgraph: 'governance', kind: 'graphql' });
    moved('governance-api', 'anju_graphql_errors_total');

    for (const service of SERVICES) {
      const api = `${service}-api`;
      const worker = `${service}-worker`;
      // Each subgraph answered part of the dashboard; governance the mutations too.
      moved(api, 'anju_graphql_operations_total', { type: 'query', outcome: 'ok' });
      moved(api, 'anju_graphql_operation_duration_seconds_count');
      moved(api, 'anju_http_requests_total', { route: '/graphql' });
      for (const proc of [api, worker]) {
        expect({ proc, pool: total(after[proc], 'anju_db_pool_connections', { state: 'total' }) > 0 }).toEqual({
          proc,
          pool: true,
        });
        expect({ proc, max: total(after[proc], 'anju_db_pool_connections', { state: 'max' }) }).toEqual({
          proc,
          max: 3,
        });
        for (const name of ['anju_outbox_backlog', 'anju_outbox_oldest_unsent_age_seconds', 'anju_dead_letters']) {
          expect({ proc, name, present: has(after[proc], name) }).toEqual({ proc, name, present: true });
        }
      }
      // Queues: every state of the events and schedules queues; jobs waited and finished.
      for (const queue of [`${service}.events`, `${service}.schedules`]) {
        for (const state of ['waiting', 'active', 'delayed', 'failed', 'completed']) {
          expect({ queue, state, present: has(after[worker], 'anju_queue_jobs', { queue, state }) }).toEqual({
            queue,
            state,
            present: true,
          });
        }
        expect({ queue, oldest: has(after[worker], 'anju_queue_oldest_waiting_seconds', { queue }) }).toEqual({
          queue,
          oldest: true,
        });
      }
      // Schedulers: one presence series per declared task (0 here: tests register no schedulers).
      expect({
        worker,
        schedulers: after[worker].filter((s) => s.name === 'anju_scheduler_present').length > 0,
      }).toEqual({ worker, schedulers: true });
      expect(total(after[worker], 'anju_schedules_enabled')).toBe(0);
    }
    // Events flowed: governance's resident.registered reached employment and matching, and their jobs completed.
    for (const service of ['employment', 'matching'] as const) {
      moved(`${service}-worker`, 'anju_jobs_total', { queue: `${service}.events`, outcome: 'completed' });
      moved(`${service}-worker`, 'anju_queue_wait_seconds_count', { queue: `${service}.events` });
      expect(
        total(after[`${service}-worker`], 'anju_queue_jobs', { queue: `${service}.events`, state: 'completed' }),
      ).toBeGreaterThan(0);
    }
    moved('employment-worker', 'anju_dead_letters');
    moved('employment-api', 'anju_dead_letters');
    // The nightly run: its duration and result.
    moved('employment-worker', 'anju_scheduled_task_last_run_duration_seconds', { task: 'monitoring.nightly' });
    expect(
      total(after['employment-worker'], 'anju_scheduled_task_last_run_success', { task: 'monitoring.nightly' }),
    ).toBe(1);
    moved('employment-worker', 'anju_scheduled_task_last_run_timestamp_seconds', { task: 'monitoring.nightly' });
  });

  it('shows the outbox backlog and its age on the API process while the worker that relays it is down', async () => {
    await sys.waitForIdle();
    const idle = await scrape('governance-api');
    expect(total(idle, 'anju_outbox_backlog', { state: 'unsent' })).toBe(0);
    expect(total(idle, 'anju_outbox_oldest_unsent_age_seconds')).toBe(0);

    await sys.stopComponent('governance-worker');
    delete sys.metricsUrls['governance-worker'];
    try {
      dataOf(await sys.query(REGISTER_RESIDENT, { i: residentInput(place.householdIds[0], 9) }, place.provinceToken));
      const stuck = await scrape('governance-api');
      expect(total(stuck, 'anju_outbox_backlog', { state: 'unsent' })).toBeGreaterThanOrEqual(1);
      expect(total(stuck, 'anju_outbox_oldest_unsent_age_seconds')).toBeGreaterThan(0);
    } finally {
      await sys.startWorker('governance');
    }
    await sys.waitForIdle();
    expect(total(await scrape('governance-worker'), 'anju_outbox_backlog', { state: 'unsent' })).toBe(0);
  });
});
