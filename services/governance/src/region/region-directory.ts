import type { DataSource } from 'typeorm';
import { runOutsideRequest } from '@anju/kit';
import type { Region } from './region.row';

const COLUMNS = `code, name, level, parent_code AS "parentCode"`;
/** How stale another process's new region may be here at most (this process's own show at once). */
const CHECK_EVERY_MS = 5_000;

/**
 * Regions (行政区划) held in memory, per process: reference data of ~150 rows that every site,
 * dashboard and region filter reads. Loaded once; a cheap fingerprint of the table is compared
 * at most every few seconds, in the background, and the rows reloaded when it moved; a region
 * registered by this process is seen at once (`changed`).
 */
export class RegionDirectory {
  private static readonly byDataSource = new WeakMap<DataSource, RegionDirectory>();

  static of(db: DataSource): RegionDirectory {
    let d = RegionDirectory.byDataSource.get(db);
    if (!d) RegionDirectory.byDataSource.set(db, (d = new RegionDirectory(db)));
    return d;
  }

  private loaded?: Promise<{ byCode: Map<string, Region>; fingerprint: string }>;
  private checkedAt = 0;
  private checking = false;

  private constructor(private readonly db: DataSource) {}

  async byCodes(codes: readonly string[]): Promise<Region[]> {
    const { byCode } = await this.current();
    return codes.flatMap((c) => byCode.get(c) ?? []);
  }

  /** Regions under a parent (the provinces without one), by code. */
  async children(parentCode: string | null): Promise<Region[]> {
    const { byCode } = await this.current();
    return [...byCode.values()].filter((r) => r.parentCode === parentCode).sort((a, b) => a.code.localeCompare(b.code));
  }

  /** This process changed the table: read it again before the next answer. */
  changed(): void {
    this.loaded = undefined;
  }

  private current() {
    if (!this.loaded) {
      this.loaded = this.load();
      this.loaded.catch(() => (this.loaded = undefined));
    } else if (Date.now() - this.checkedAt > CHECK_EVERY_MS && !this.checking) {
      // For the process, not for the request that happened to notice: its statements are not the request's.
      void runOutsideRequest(() => this.check());
    }
    return this.loaded;
  }

  private async load() {
    this.checkedAt = Date.now();
    const [rows, fingerprint] = await Promise.all([
      this.db.query(`SELECT ${COLUMNS} FROM region`) as Promise<Region[]>,
      this.fingerprint(),
    ]);
    return { byCode: new Map(rows.map((r) => [r.code, r])), fingerprint };
  }

  private async check(): Promise<void> {
    this.checking = true;
    try {
      const held = await this.loaded;
      const now = await this.fingerprint();
      this.checkedAt = Date.now();
      if (held && now !== held.fingerprint) this.changed();
    } catch {
      // The next request checks again; what is held stays valid meanwhile.
    } finally {
      this.checking = false;
    }
  }

  private async fingerprint(): Promise<string> {
    const [row] = await this.db.query(
      `SELECT count(*) AS n, coalesce(sum(hashtext(code || name || coalesce(parent_code, ''))), 0) AS h FROM region`,
    );
    return `${row.n}:${row.h}`;
  }
}
