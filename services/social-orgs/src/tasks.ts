import type { ScheduledTask, ServiceRuntime } from '@anju/kit';
import type { SocialOrgsConfig } from './config';
import { overdueReferralsTask } from './casework/overdue-referrals.task';

/** Social-orgs' scheduled tasks, run by its worker at the process clock's "now" (tests run them with theirs). */
export function tasks(runtime: ServiceRuntime<SocialOrgsConfig>): ScheduledTask[] {
  return [overdueReferralsTask(runtime.db, { clock: runtime.clock, logger: runtime.logger })];
}
