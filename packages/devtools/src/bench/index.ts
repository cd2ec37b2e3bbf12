import { chaosBenchmark } from './chaos';
import { dashboardBenchmark } from './dashboard';
import { gatewayBenchmark } from './gateway';
import { pipelineBenchmark } from './pipeline';
import { matchingBenchmark } from './matching';
import { monitoringBenchmark } from './monitoring';
import { pointsBenchmark } from './points';
import { importBenchmark } from './import';
import { exportBenchmark } from './export';

/**
 * `pnpm bench` runs every benchmark, `pnpm bench <name> [<name>…]` only those. A benchmark
 * registers itself by being listed in BENCHMARKS; each starts and stops what it needs.
 */
export interface Benchmark {
  name: string;
  /** One line for `pnpm bench --list`. */
  description: string;
  /** Prints its figures, writes `.bench/<name>-<timestamp>.json`, and throws if the run is not valid. */
  run(): Promise<void>;
}

export const BENCHMARKS: Benchmark[] = [
  gatewayBenchmark,
  matchingBenchmark,
  monitoringBenchmark,
  dashboardBenchmark,
  pipelineBenchmark,
  pointsBenchmark,
  chaosBenchmark,
  importBenchmark,
  exportBenchmark,
];

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--list') || argv.includes('--help')) {
    console.log(`pnpm bench [name…]\n${BENCHMARKS.map((b) => `  ${b.name.padEnd(16)} ${b.description}`).join('\n')}`);
    return;
  }
  const unknown = argv.filter((a) => !BENCHMARKS.some((b) => b.name === a));
  if (unknown.length)
    throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  const chosen = argv.length ? BENCHMARKS.filter((b) => argv.includes(b.name)) : BENCHMARKS;
  for (const b of chosen) {
    console.log(`\n=== bench ${b.name}: ${b.description}`);
    await b.run();
  }
}

if (require.main === module) {
  // Ctrl-C: leave through process.exit, so each benchmark's exit hook kills its children.
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`\n${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
