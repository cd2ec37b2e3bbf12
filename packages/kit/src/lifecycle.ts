import type { Logger } from './logger';

/**
 * Graceful shutdown in the order that loses nothing: stop taking work (close listeners, pause
 * workers), let what runs finish within the grace period, then close pools. Steps run in the
 * reverse order they were registered, like a stack unwinding.
 */
export class Lifecycle {
  private readonly steps: { name: string; run: () => Promise<unknown> }[] = [];
  private stopping?: Promise<void>;
  /** Steps that failed or overran the grace period while stopping: a stop that lost something. */
  readonly failures: { step: string; error: string }[] = [];

  constructor(
    private readonly logger: Logger,
    readonly graceMs: number,
  ) {}

  onStop(name: string, run: () => Promise<unknown>): void {
    this.steps.push({ name, run });
  }

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  stop(reason = 'stop requested'): Promise<void> {
    this.stopping ??= (async () => {
      this.logger.info({ reason }, 'shutting down');
      for (const step of [...this.steps].reverse()) {
        const started = Date.now();
        try {
          await withDeadline(step.run(), this.graceMs, step.name);
        } catch (err) {
          this.failures.push({ step: step.name, error: err instanceof Error ? err.message : String(err) });
          this.logger.warn({ err, step: step.name }, 'shutdown step did not finish cleanly');
        }
        this.logger.debug({ step: step.name, ms: Date.now() - started }, 'shutdown step done');
      }
      if (this.failures.length) this.logger.error({ failures: this.failures }, 'stopped, but not cleanly');
      else this.logger.info('stopped');
    })();
    return this.stopping;
  }

  /**
   * For process entry points: SIGTERM/SIGINT stop gracefully (exit 0, or 1 when a step failed);
   * a second signal exits at once.
   */
  installSignalHandlers(): void {
    let signals = 0;
    const handler = (signal: NodeJS.Signals) => {
      if (++signals > 1) process.exit(1);
      // A step that failed may have lost work: the exit code says so.
      void this.stop(signal).then(() => process.exit(this.failures.length ? 1 : 0));
    };
    process.on('SIGTERM', handler);
    process.on('SIGINT', handler);
  }
}

function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} still running after ${ms} ms`)), ms);
      timer.unref();
    }),
  ]);
}
