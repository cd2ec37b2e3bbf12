import type { Clock, ScheduledTask } from '@anju/kit';
import type { SqlRunner } from '../scope';
import { publishDueNotices } from './notice.service';

/** Publishes scheduled notices whose time has come, every minute. */
export function noticePublishTask(db: SqlRunner, clock: Clock): ScheduledTask {
  return { name: 'notices.publish', everyMs: 60_000, run: () => publishDueNotices(db, clock.now()) };
}
