import { Writable } from 'node:stream';

/** Collects the JSON log lines of in-process services, for assertions on what was logged. */
export class LogCapture extends Writable {
  readonly raw: string[] = [];

  constructor(private readonly echo = false) {
    super();
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
