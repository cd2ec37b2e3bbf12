import { readFileSync } from 'node:fs';
import type { Children } from './harness';

/** Resident set size of a process in MiB (Linux /proc), or null if it is gone. */
export function rssMiB(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

/** RSS of every child now. */
export function snapshot(children: Children): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { name, pid } of children.pids()) {
    const v = rssMiB(pid);
    if (v !== null) out[name] = v;
  }
  return out;
}

/** Samples every child's RSS while something runs and keeps the peak of each. */
export class PeakRss {
  private readonly peaks: Record<string, number> = {};
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly children: Children, everyMs = 250) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  private sample(): void {
    for (const [name, v] of Object.entries(snapshot(this.children))) this.peaks[name] = Math.max(this.peaks[name] ?? 0, v);
  }

  stop(): Record<string, number> {
    clearInterval(this.timer);
    this.sample();
    return { ...this.peaks };
  }
}

/** Rows `process | at rest | under load` for the report table. */
export function memoryRows(atRest: Record<string, number>, underLoad: Record<string, number>): string[][] {
  const fmt = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(0));
  return [['process', 'RSS at rest (MiB)', 'RSS peak under load (MiB)'], ...Object.keys({ ...atRest, ...underLoad }).map((name) => [name, fmt(atRest[name]), fmt(underLoad[name])])];
}
