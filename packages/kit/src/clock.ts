import type { PlatformConfig } from './config';

/**
 * The process's clock: everything that reads "now" for the domain — schedules, monitoring days,
 * points months and expiry, ages, deadlines, escalations, due dates — asks it, never `Date.now()`,
 * `new Date()` or SQL `now()`. One is made per process from CLOCK_AT / CLOCK_RUNS and passed down
 * through the service's runtime; tests and CI set it to the instants they mean. Elapsed time
 * (how long a step took) is not "now" and uses `performance.now()`; record-keeping timestamps
 * (audit, outbox, inbox) keep the database's time.
 */
export interface Clock {
  now(): Date;
}

/** The system's clock: production's. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that can be set and moved: what tests and CI hold still at a chosen instant. */
export class SetClock implements Clock {
  private origin = performance.now();

  /** `runs`: the clock moves on from `at` in real time; otherwise it holds still until set again. */
  constructor(
    private at: Date,
    private readonly runs = false,
  ) {}

  now(): Date {
    return new Date(this.at.getTime() + (this.runs ? Math.floor(performance.now() - this.origin) : 0));
  }

  set(at: Date | string): void {
    this.at = new Date(at);
    this.origin = performance.now();
  }

  advance(ms: number): void {
    this.set(new Date(this.now().getTime() + ms));
  }
}

const made = new Map<string, Clock>();

/**
 * The clock a process runs on: the system's, or the instant CLOCK_AT names. Made once per process
 * (the api and worker of one process share it, so a running clock reads the same in both).
 */
export function clockFromConfig(config: Pick<PlatformConfig, 'CLOCK_AT' | 'CLOCK_RUNS'>): Clock {
  if (!config.CLOCK_AT) return systemClock;
  const key = `${config.CLOCK_AT}|${config.CLOCK_RUNS}`;
  let clock = made.get(key);
  if (!clock) made.set(key, (clock = new SetClock(new Date(config.CLOCK_AT), config.CLOCK_RUNS)));
  return clock;
}
