import { readFileSync } from 'node:fs';
import { load, table, type Children, type LoadResult } from './harness';

/** Resident set size of a process in MiB (Linux /proc), or null if it is gone. */
export function rssMiB(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

/** One reading of every child still running, by name. */
function perChild(children: Children, read: (pid: number) => number | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { name, pid } of children.pids()) {
    const v = read(pid);
    if (v !== null) out[name] = v;
  }
  return out;
}

/** RSS of every child now. */
export const snapshot = (children: Children) => perChild(children, rssMiB);

/** Samples every child's RSS while something runs and keeps the peak of each. */
export class PeakRss {
  private readonly peaks: Record<string, number> = {};
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly children: Children,
    everyMs = 250,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  private sample(): void {
    for (const [name, v] of Object.entries(snapshot(this.children)))
      this.peaks[name] = Math.max(this.peaks[name] ?? 0, v);
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
  return [
    ['process', 'RSS at rest (MiB)', 'RSS peak under load (MiB)'],
    ...Object.keys({ ...atRest, ...underLoad }).map((name) => [name, fmt(atRest[name]), fmt(underLoad[name])]),
  ];
}

/** CPU time (user + system) a process has used so far, in ms (Linux /proc), or null if it is gone. */
export function cpuMs(pid: number): number | null {
  try {
    // Fields after the command (which may hold spaces) start at the last ')': utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** USER_HZ: 100 on every Linux the project runs on (getconf CLK_TCK). */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU ms every child used between two snapshots: what a run cost each process, whatever else loads the machine. */
export const cpuSnapshot = (children: Children) => perChild(children, cpuMs);

export function cpuSpent(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((name) => [name, after[name] - (before[name] ?? after[name])]));
}

/** `load`, and the CPU ms each child spent per answered request during its measured part (the warm-up left out). */
export async function loadMeasuringCpu(
  children: Children,
  label: string,
  opts: Parameters<typeof load>[1],
): Promise<LoadResult & { cpuMsPerRequest: Record<string, number> }> {
  let before: Record<string, number> = {};
  const result = await load(label, { ...opts, onStart: () => (before = cpuSnapshot(children)) });
  const spent = cpuSpent(before, cpuSnapshot(children));
  return {
    ...result,
    cpuMsPerRequest: Object.fromEntries(
      Object.entries(spent).map(([name, ms]) => [name, ms / Math.max(result.totalRequests, 1)]),
    ),
  };
}

/** The table of CPU ms per request: a row per run, a column per process, and their sum. */
export function cpuTable(results: (LoadResult & { cpuMsPerRequest: Record<string, number> })[]): string {
  const names = Object.keys(results[0]?.cpuMsPerRequest ?? {});
  const fmt = (n: number) => n.toFixed(2);
  return table([
    ['path', ...names, 'all'],
    ...results.map((r) => [
      r.label,
      ...names.map((n) => fmt(r.cpuMsPerRequest[n] ?? 0)),
      fmt(Object.values(r.cpuMsPerRequest).reduce((a, b) => a + b, 0)),
    ]),
  ]);
}

export const CPU_TABLE_TITLE =
  'CPU ms per answered request, per process (user + system from ' +
  '/proc: what a request costs, less moved by other load than req/s)';
