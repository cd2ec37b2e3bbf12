import type { DataSource } from 'typeorm';
import type { Clock, ScheduledTask } from '@anju/kit';
import { runNightly } from './monitoring.run';

/**
 * The nightly income-stability check of every household (a BullMQ job scheduler: every replica
 * upserts the same id, one run per tick), at 01:30 province time. `now` is injectable for tests.
 */
export function monitoringNightlyTask(db: DataSource, clock: Clock): ScheduledTask {
  return { name: 'monitoring.nightly', cron: '30 1 * * *', run: () => runNightly(db, clock.now()) };
}
