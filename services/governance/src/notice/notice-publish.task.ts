import type { Clock, ScheduledTask, SqlRunner } from '@anju/kit';
import { publishDueNotices } from './notice.service';

/** Publishes scheduled notices whose time has come, every minute. */
export function noticePublishTask(db: SqlRunner, clock: Clock): ScheduledTask {
  return { name: 'notices.publish', everyMs: 60_000, run: () => publishDueNotices(db, clock.now()) };
}
