import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { EVENTS, RELAY_BATCH, eventJobOptions, type EventEnvelope } from '@anju/contracts';
import { loadConfig, platformSettings } from '@anju/kit';
import { ServiceProcess, TestSystem, seedPlace, until, type Place } from '@anju/testing';

/**
 * Events travel in batches (one job, one transaction per batch) and every event still takes
 * effect once: a poison event fails alone, a worker killed mid-batch leaves nothing half-done.
 */
describe('events in batches', () => {
  let sys: TestSystem;
  let place: Place;

  beforeAll(async () => {
    sys = await TestSystem.start({
      label: 'batches',
      workers: ['governance', 'employment'],
      env: { JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '50', JOB_LOCK_MS: '1500' },
    });
    place = await seedPlace(sys, 1);
    await sys.waitForIdle();
  });
  afterAll(() => sys?.stop());

  /** A batch of resident.registered events as the relay sends them: one job (named here by its first event). */
  const batchOf = (n: number) =>
    Array.from({ length: n }, (): EventEnvelope<'resident.registered'> => ({
      id: randomUUID(),
      name: 'resident.registered',
      version: EVENTS['resident.registered'].version,
      producer: 'governance',
      occurredAt: new Date().toISOString(),
      payload: {
        residentId: randomUUID(),
        householdId: place.householdIds[0],
        siteId: place.siteIds[0],
        regionCode: '530102',
        labourCapacity: 'full',
        canWorkAway: true,
        wantsWork: true,
        birthYear: 1990,
      },
    }));
  const send = async (batch: EventEnvelope[]) => {
    const queue = sys.queue('employment');
    await queue.add(
      'events',
      { batch },
      { ...eventJobOptions(loadConfig(platformSettings, sys.env)), jobId: batch[0].id },
    );
    return queue;
  };
  const effects = async (batch: EventEnvelope<'resident.registered'>[]) => {
    const [r] = await sys.sql(
      `SELECT (SELECT count(*) FROM employment.labour_profile WHERE resident_id = ANY($1::uuid[]))::int AS profiles,
              (SELECT count(*) FROM employment.inbox WHERE event_id = ANY($2::uuid[]))::int AS inbox,
              (SELECT count(*) FROM employment.dead_letter WHERE event_id = ANY($2::uuid[]))::int AS dead`,
      [batch.map((e) => e.payload.residentId), batch.map((e) => e.id)],
    );
    return r;
  };

  it('a relay round of more events than a job carries goes as jobs of RELAY_BATCH at most, each once', async () => {
    // 1,200 events committed at once, as an import's INSERT … SELECT writes them: one round of the relay.
    const events: { id: string; resident_id: string }[] = await sys.sql(
      `INSERT INTO governance.outbox (id, event, version, payload)
       SELECT gen_random_uuid(), 'resident.registered', $1, jsonb_build_object(
                'residentId', gen_random_uuid(), 'householdId', $2::uuid, 'siteId', $3::uuid, 'regionCode', '530102',
                'labourCapacity', 'full', 'canWorkAway', true, 'wantsWork', true, 'birthYear', 1990)
         FROM generate_series(1, 1200)
       RETURNING id, payload->>'residentId' AS resident_id`,
      [EVENTS['resident.registered'].version, place.householdIds[0], place.siteIds[0]],
    );
    await sys.waitForIdle(60_000);
    const ids = events.map((e) => e.id);
    const [r] = await sys.sql(
      `SELECT (SELECT count(*) FROM employment.labour_profile WHERE resident_id = ANY($1::uuid[]))::int AS profiles,
              (SELECT count(*) FROM employment.inbox WHERE event_id = ANY($2::uuid[]))::int AS inbox`,
      [events.map((e) => e.resident_id), ids],
    );
    expect(r).toEqual({ profiles: 1200, inbox: 1200 });
    const batches = await sys.sql(
      `SELECT batch_id::text AS id, count(*)::int AS n FROM governance.outbox WHERE id = ANY($1::uuid[]) GROUP BY 1`,
      [ids],
    );
    expect(batches.map((b) => b.n).sort((a, b) => b - a)).toEqual([RELAY_BATCH, RELAY_BATCH, 1200 - 2 * RELAY_BATCH]);
    const queue = sys.queue('employment');
    for (const b of batches) expect((await queue.getJob(b.id))?.data.batch).toHaveLength(b.n);
    await queue.close();
  });

  it('a poison event inside a batch goes to the dead letters alone; the rest of its batch commits once', async () => {
    const batch = batchOf(6);
    const poison = batch[2];
    // The poison: this resident's insert fails in the database, every time.
    await sys.sql(`CREATE FUNCTION employment.poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.resident_id = '${poison.payload.residentId}' THEN RAISE EXCEPTION 'poisoned resident';
        END IF; RETURN NEW; END $$`);
    await sys.sql(
      `CREATE TRIGGER poison BEFORE INSERT
        ON employment.labour_profile FOR EACH ROW EXECUTE FUNCTION employment.poison()`,
    );
    // And one that can never be understood: a version the contract does not know.
    const unknownVersion = { ...batch[4], version: 99 };
    batch[4] = unknownVersion as never;
    try {
      const queue = await send(batch);
      await until(async () => (await effects(batch)).dead === 2, 'the two bad events to be dead-lettered', 30_000);
      await sys.waitForIdle();
      await queue.close();
      expect(await effects(batch)).toEqual({ profiles: 4, inbox: 4, dead: 2 });
      const dead = await sys.sql(
        `SELECT event_id, error FROM employment.dead_letter WHERE event_id = ANY($1::uuid[]) ORDER BY error`,
        [[poison.id, unknownVersion.id]],
      );
      expect(dead.map((d) => d.event_id).sort()).toEqual([poison.id, unknownVersion.id].sort());
      expect(dead.map((d) => d.error).join(' ')).toMatch(
        /poisoned resident.*version 99|version 99.*poisoned resident/s,
      );
      // Delivered again (a re-send after Redis lost it): nothing more happens.
      const again = sys.queue('employment');
      await again.add('events', { batch }, { jobId: `${batch[0].id}.again` });
      await sys.waitForIdle();
      await again.close();
      expect((await effects(batch)).profiles).toBe(4);
      expect((await effects(batch)).inbox).toBe(4);
    } finally {
      await sys.sql(`DROP TRIGGER poison ON employment.labour_profile; DROP FUNCTION employment.poison()`);
    }
  });

  it('a worker killed (SIGKILL) mid-batch leaves none of it; after restart the whole batch commits once', async () => {
    await sys.stopComponent('employment-worker');
    const env = { ...sys.env, EMPLOYMENT_WORKER_HEALTH_PORT: '0' };
    let worker = ServiceProcess.start('employment', 'worker', env);
    await worker.waitForLog('employment worker running');
    const batch = batchOf(5);
    // The batch's first statements run; its labour_profile insert waits on this lock.
    const blocker = new Client({ connectionString: sys.db.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE employment.labour_profile IN EXCLUSIVE MODE');
    try {
      const queue = await send(batch);
      await until(async () => (await queue.getJob(batch[0].id))?.isActive() ?? false, 'the batch to be running');
      await until(
        async () =>
          (
            await sys.sql(
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'
                AND query LIKE '%labour_profile%'`,
            )
          )[0].n > 0,
        'the batch to wait inside its transaction',
      );
      await worker.kill('SIGKILL');
      await blocker.query('ROLLBACK');
      expect(await effects(batch)).toEqual({ profiles: 0, inbox: 0, dead: 0 });

      worker = ServiceProcess.start('employment', 'worker', env);
      await worker.waitForLog('employment worker running');
      await until(
        async () => (await queue.getJob(batch[0].id))?.isCompleted() ?? false,
        'the batch to complete after restart',
        30_000,
      );
      await queue.close();
      expect(await effects(batch)).toEqual({ profiles: 5, inbox: 5, dead: 0 });
    } finally {
      await blocker.end();
      await worker.kill('SIGTERM');
      await sys.startWorker('employment');
    }
  });
});
