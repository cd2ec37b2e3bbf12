import type { ScheduledTask, ServiceRuntime } from '@anju/kit';
import { overdueReferralsTask } from './casework/overdue-referrals.task';

/** Social-orgs' recurring jobs, run by its worker. */
export function scheduledTasks(runtime: ServiceRuntime): ScheduledTask[] {
  return [overdueReferralsTask(runtime.db, { clock: runtime.clock, logger: runtime.logger })];
}
