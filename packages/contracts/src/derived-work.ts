import type { Logger } from '@anju/kit';
import type { EventName } from './catalog';

/**
 * Work derived from events that is marked in the event's transaction and done once per distinct
 * key shortly after, outside it (employment's household re-check): a loop in the worker runs
 * `run` when a batch of `wakeOn` events has committed (after `settleMs`, so that batches landing
 * together share one pass), and every `intervalMs` in any case (marks made by other processes).
 */
export interface DerivedWork {
  name: string;
  /** Does one pass; returns true when more is waiting (the loop runs again at once). */
  run(): Promise<boolean>;
  wakeOn: EventName[];
  intervalMs: number;
  settleMs: number;
}

export class DerivedWorkLoop {
  private running = false;
  private loop?: Promise<void>;
  private wakeup?: () => void;
  private pending = false;

  constructor(
    private readonly work: DerivedWork,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.spin();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeup?.();
    await this.loop;
  }

  /** Called with the names of the events a committed batch applied. */
  applied(events: Set<EventName>): void {
    if (!this.work.wakeOn.some((e) => events.has(e))) return;
    this.pending = true;
    this.wakeup?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeup = done;
    });
  }

  private async spin(): Promise<void> {
    while (this.running) {
      if (!this.pending) await this.sleep(this.work.intervalMs);
      if (!this.running) break;
      if (this.pending) await new Promise((r) => setTimeout(r, this.work.settleMs));
      this.pending = false;
      try {
        while (this.running && (await this.work.run()));
      } catch (err) {
        this.logger.warn({ err, work: this.work.name }, 'derived work failed; will retry');
        await this.sleep(this.work.intervalMs);
      }
    }
  }
}
