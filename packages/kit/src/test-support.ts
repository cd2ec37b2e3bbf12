import { Writable } from 'node:stream';

/** Collects log lines in memory (for the kit's own unit tests). */
export class LogLines extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _e: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  }
  entries(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l));
  }
}
