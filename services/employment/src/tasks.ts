import type { ScheduledTask, ServiceRuntime } from '@anju/kit';
import type { EmploymentConfig } from './config';
import { monitoringNightlyTask } from './monitoring/monitoring.task';

/** Employment's scheduled tasks, run by its worker at the process clock's "now" (tests run them with theirs). */
export function tasks({ db, clock }: ServiceRuntime<EmploymentConfig>): ScheduledTask[] {
  return [monitoringNightlyTask(db, clock)];
}
