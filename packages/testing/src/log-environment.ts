import path from 'node:path';
import NodeEnvironment from 'jest-environment-node';
import { LOG_CAPTURES, type CapturedLines } from './log-capture';
import { activeHandles, countResources, describeHandle, openAfter, type ResourceCounts } from './open-resources';

/** What this environment reads of jest-circus's events. */
interface Block {
  name: string;
  parent?: Block;
}
interface TestEvent {
  name: string;
  test?: Block & { errors: unknown[] };
  hook?: { type: string; parent?: Block };
}

/** Lines printed at most per capture and failure (the latest: the cause is usually near the end). */
export const PRINTED_LINES = 300;

/** How long a file's sockets, timers and child processes may take to close after it ends. */
export const CLOSING_GRACE_MS = 2_000;

/**
 * The tests' environment (package.json's `jest.testEnvironment`): Node's, and when a test (or a
 * beforeAll/afterAll hook) fails it prints what every LogCapture of the file (a TestSystem's
 * services, a test's own) logged while it ran: the services' logs are kept in memory, so a flaky
 * 500 would otherwise leave nothing to read but the status.
 * After the file, it says what the file left open (see open-resources.ts): a timer, socket or child
 * process that keeps the jest worker alive.
 */
export default class LogPrintingEnvironment extends NodeEnvironment {
  /** Each capture's line count when the running test or hook started. */
  private marks = new Map<CapturedLines, number>();
  private readonly testPath: string;
  private baseline: ResourceCounts = new Map();
  private baselineHandles = new Set<object>();

  constructor(...[config, context]: ConstructorParameters<typeof NodeEnvironment>) {
    super(config, context);
    this.testPath = path.relative(config.globalConfig.rootDir, context.testPath);
  }

  override async setup(): Promise<void> {
    await super.setup();
    // The process's stdio streams live as long as the worker; a library may create one on first use (stdin).
    void [process.stdin, process.stdout, process.stderr];
    this.baseline = countResources();
    this.baselineHandles = activeHandles();
  }

  override async teardown(): Promise<void> {
    await super.teardown();
    const open = await openAfter(this.baseline, CLOSING_GRACE_MS);
    if (open.length) {
      const handles = [...activeHandles()].filter((h) => !this.baselineHandles.has(h)).map(describeHandle);
      process.stderr.write(
        `\n✗ left open by ${this.testPath} ${CLOSING_GRACE_MS / 1000} s after its last test: ${open.join(', ')}` +
          `${handles.length ? ` — ${handles.join('; ')}` : ''} (they keep the jest worker from exiting: close them ` +
          `in afterAll)\n`,
      );
    }
  }

  handleTestEvent(event: TestEvent): void {
    if (event.name === 'test_start' || (event.name === 'hook_start' && /^(before|after)All$/.test(event.hook!.type)))
      this.mark();
    if (event.name === 'test_done' && event.test!.errors.length) this.print(`test "${fullName(event.test!)}"`);
    if (event.name === 'hook_failure') this.print(`${event.hook!.type} of "${fullName(event.hook!.parent)}"`);
  }

  private captures(): Set<CapturedLines> {
    return ((this.global as Record<string, unknown>)[LOG_CAPTURES] as Set<CapturedLines> | undefined) ?? new Set();
  }

  private mark(): void {
    this.marks = new Map([...this.captures()].map((c) => [c, c.raw.length]));
  }

  private print(what: string): void {
    for (const capture of this.captures()) {
      const lines = capture.raw.slice(this.marks.get(capture) ?? 0);
      if (!lines.length) continue;
      const shown = lines.slice(-PRINTED_LINES);
      const skipped = lines.length - shown.length;
      process.stderr.write(
        `\n── logs of ${capture.label} while ${what} ran (it failed)` +
          `${skipped ? `: the last ${shown.length} of ${lines.length} lines` : ''} ──\n` +
          `${shown.join('\n')}\n── end of the logs of ${capture.label} ──\n`,
      );
    }
  }
}

function fullName(block: Block | undefined): string {
  const names: string[] = [];
  for (let b = block; b && b.name !== 'ROOT_DESCRIBE_BLOCK'; b = b.parent) names.unshift(b.name);
  return names.join(' › ');
}
