import { Client } from 'pg';
import {
  REGISTER_RESIDENT,
  ServiceProcess,
  TestSystem,
  dataOf,
  residentInput,
  seedPlace,
  tokenFor,
  until,
} from '@anju/testing';

/**
 * SIGTERM (a deploy, a scale-down) stops taking new jobs, lets the running one finish within
 * SHUTDOWN_GRACE_MS, closes its pools and exits 0 (1 had a step of the stop failed): nothing is
 * left half-done or redelivered.
 */
describe('graceful shutdown of a worker', () => {
  let sys: TestSystem;

  beforeAll(async () => {
    sys = await TestSystem.start({ label: 'shutdown', workers: ['governance'] });
  });
  afterAll(() => sys?.stop());

  it('finishes the running job before it exits', async () => {
    const place = await seedPlace(sys, 1);
    const worker = ServiceProcess.start('employment', 'worker', {
      ...sys.env,
      EMPLOYMENT_WORKER_HEALTH_PORT: '0',
      SHUTDOWN_GRACE_MS: '10000',
    });
    await worker.waitForLog('employment worker running');
    const blocker = new Client({ connectionString: sys.db.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE employment.labour_profile IN EXCLUSIVE MODE');
      const token = await tokenFor({ role: 'site_officer', sites: [place.siteIds[0]] });
      const residentId = dataOf(
        await sys.query(REGISTER_RESIDENT, { i: residentInput(place.householdIds[0], 1) }, token),
      ).registerResident.id;
      const [{ id: eventId }] = await sys.sql(`SELECT id FROM governance.outbox WHERE payload->>'residentId' = $1`, [
        residentId,
      ]);
      const queue = sys.queue('employment');
      let jobId: string | undefined;
      await until(
        async () =>
          !!(jobId ??= await sys.jobOf('governance', eventId)) && ((await queue.getJob(jobId))?.isActive() ?? false),
        'the job to be running',
      );

      const exited = new Promise<number | null>((resolve) => worker.proc.once('exit', (code) => resolve(code)));
      worker.proc.kill('SIGTERM');
      await worker.waitForLog('shutting down');
      await blocker.query('ROLLBACK'); // the job can now finish, during the shutdown
      expect(await exited).toBe(0);

      expect(await (await queue.getJob(jobId!))?.isCompleted()).toBe(true);
      await queue.close();
      const [{ n }] = await sys.sql(`SELECT count(*)::int AS n FROM employment.labour_profile WHERE resident_id = $1`, [
        residentId,
      ]);
      expect(n).toBe(1);
      // Every step of the stop finished: none failed nor overran the grace period.
      expect(worker.output).not.toContain('did not finish cleanly');
      expect(worker.output).toContain('"msg":"stopped"');
    } finally {
      await blocker.end();
      await worker.kill('SIGKILL');
    }
  });
});
