/**
 * `pnpm seed --scale demo|county|province [--seed N] [--database-url postgres://…]`
 *
 * Fills an empty database with a generated, deterministic Yunnan: real GB/T 2260 regions, sites,
 * households and residents (valid, sealed ID numbers), labour profiles, demands and partner
 * organizations, each written into its own service's tables by bulk COPY after that service's
 * migrations. No events are published: every consumer's copy (site directories, labour profiles)
 * is written directly from the same generated data.
 */
import { loadConfig, platformSettings } from '@anju/kit';
import { seed, type SeedReport } from './seed';
import { SCALES, type Scale } from './world';

const USAGE = `Usage: pnpm seed --scale demo|county|province [--seed N] [--database-url postgres://…]

  --scale         demo: one county (镇雄县), 4 sites, 600 residents (seconds)
                  county: one county, 40 sites, 40,000 residents
                  province: Yunnan, 129 counties, 2,832 sites, 996,000 residents (minutes)
  --seed          the random seed (default 1): the same seed gives the same data
  --database-url  an empty database (default: DATABASE_URL, ${platformSettings.DATABASE_URL.parse(undefined)})`;

export function parseSeedArgs(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): { scale: Scale; seed: number; databaseUrl: string } {
  let scale: Scale | undefined;
  let seedNumber = 1;
  let databaseUrl: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--') continue;
    if (flag === '--scale') {
      const v = value();
      if (!SCALES.includes(v as Scale))
        throw new UsageError(`--scale must be one of ${SCALES.join(', ')} (got ${JSON.stringify(v)})`);
      scale = v as Scale;
    } else if (flag === '--seed') {
      const v = value();
      if (!/^\d{1,9}$/.test(v ?? '')) throw new UsageError(`--seed must be a whole number (got ${JSON.stringify(v)})`);
      seedNumber = Number(v);
    } else if (flag === '--database-url') {
      databaseUrl = value();
      if (!databaseUrl) throw new UsageError('--database-url needs a URL');
    } else if (flag === '--help' || flag === '-h') throw new UsageError('');
    else throw new UsageError(`unknown argument ${JSON.stringify(argv[i])}`);
  }
  if (!scale) throw new UsageError('--scale is required');
  return {
    scale,
    seed: seedNumber,
    databaseUrl: databaseUrl ?? loadConfig({ DATABASE_URL: platformSettings.DATABASE_URL }, env).DATABASE_URL,
  };
}

export class UsageError extends Error {}

export function formatReport(report: SeedReport): string {
  const width = Math.max(...Object.keys(report.rows).map((k) => k.length));
  return [
    ...Object.entries(report.rows).map(
      ([table, n]) => `  ${table.padEnd(width)}  ${n.toLocaleString('en-US').padStart(11)}`,
    ),
    `loaded ${report.scale} (seed ${report.seed}) in ${report.seconds.total} s: ` +
      `migrations ${report.seconds.migrate} s, writing ${report.seconds.write} s, ` +
      `ANALYZE ${report.seconds.analyze} s, first monitoring run ${report.seconds.monitor} ` +
      `s (${report.monitoring.households} households, ${report.monitoring.gapsOpened} gaps)`,
  ].join('\n');
}

async function main(): Promise<void> {
  const args = parseSeedArgs(process.argv.slice(2));
  const started = Date.now();
  const report = await seed({
    ...args,
    log: (m) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${m}`),
  });
  console.log(formatReport(report));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    if (err instanceof UsageError) {
      console.error(err.message ? `${err.message}\n\n${USAGE}` : USAGE);
      process.exit(err.message ? 2 : 0);
    }
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
