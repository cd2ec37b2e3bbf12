import type { Clock, ScheduledTask } from '@anju/kit';
import type { DataSource } from 'typeorm';
import { closeSurveys } from './survey.service';

/** Closes surveys at their deadline, every minute; their named needs go to matching as demands. */
export function surveyCloseTask(db: DataSource, clock: Clock): ScheduledTask {
  return {
    name: 'surveys.close',
    everyMs: 60_000,
    run: async () => ({ closed: await db.transaction((m) => closeSurveys(m, clock.now(), null)) }),
  };
}
