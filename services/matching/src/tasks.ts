import type { DataSource } from 'typeorm';
import type { Clock, ScheduledTask, ServiceRuntime } from '@anju/kit';
import type { MatchingConfig } from './config';
import { flagOverdue } from './demand/demand.service';
import { runBatch } from './match/match.service';

/** Matching's scheduled work, at the process clock's "now" (tests run it with theirs). */
export function matchingTasks(db: DataSource, clock: Clock): ScheduledTask[] {
  const now = () => clock.now();
  return [
    /** Claimed demands past their promised date are flagged (and shown as overdue on the board). */
    { name: 'matching.flag-overdue-claims', cron: '5 * * * *', run: () => flagOverdue(db, now()) },
    /** The nightly batch assignment of every unmatched demand to volunteers. */
    { name: 'matching.nightly-batch', cron: '30 1 * * *', run: () => db.transaction((m) => runBatch(m, now())) },
  ];
}

/** Matching's scheduled tasks, as its worker runs them. */
export function tasks(runtime: ServiceRuntime<MatchingConfig>): ScheduledTask[] {
  return matchingTasks(runtime.db, runtime.clock);
}
