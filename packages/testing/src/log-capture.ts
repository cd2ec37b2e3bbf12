import { Writable } from 'node:stream';

/** The global (of a test file) under which every LogCapture is listed, for the environment to print. */
export const LOG_CAPTURES = '__anjuLogCaptures';

/** What the test environment reads of a capture. */
export interface CapturedLines {
  readonly label: string;
  readonly raw: string[];
}

/**
 * Collects the JSON log lines of in-process services, for assertions on what was logged. Every
 * capture is listed for the test environment (log-environment.ts), which prints what it collected
 * while a test ran when that test fails.
 */
export class LogCapture extends Writable implements CapturedLines {
  readonly raw: string[] = [];

  constructor(
    private readonly echo = false,
    readonly label = 'the in-process services',
  ) {
    super();
    const g = globalThis as Record<string, unknown>;
    ((g[LOG_CAPTURES] ??= new Set<CapturedLines>()) as Set<CapturedLines>).add(this);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    const text = chunk.toString('utf8');
    for (const line of text.split('\n')) if (line.trim()) this.raw.push(line);
    if (this.echo) process.stderr.write(text);
    done();
  }

  entries(): Record<string, unknown>[] {
    return this.raw.map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        return { msg: l };
      }
    });
  }

  text(): string {
    return this.raw.join('\n');
  }
}
