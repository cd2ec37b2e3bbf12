import { runNightly, service as employmentService } from '@anju/employment';
import { governanceSettings, openGridTasksFromCauses, service as governanceService } from '@anju/governance';
import {
  createDataSource,
  createLogger,
  loadConfig,
  migrate,
  PersonalDataVault,
  personalDataKeys,
  personalDataSettings,
  platformSettings,
} from '@anju/kit';
import { SchemaWriter } from './copy';
import { employmentSeeder } from './employment.seed';
import { governanceSeeder } from './governance.seed';
import { matchingSeeder } from './matching.seed';
import type { ServiceSeeder } from './seeder';
import { socialOrgsSeeder } from './social-orgs.seed';
import { planWorld, type Scale } from './world';

/** One module per service, each writing only its own schema. */
export const SEEDERS: readonly ServiceSeeder[] = [governanceSeeder, employmentSeeder, matchingSeeder, socialOrgsSeeder];

export interface SeedOptions {
  scale: Scale;
  seed: number;
  databaseUrl: string;
  /** The environment the PII keys come from (the services' own settings); process.env by default. */
  env?: Record<string, string | undefined>;
  log?: (message: string) => void;
}

export interface SeedReport {
  scale: Scale;
  seed: number;
  /** Rows written, by `service.table`. */
  rows: Record<string, number>;
  seconds: { migrate: number; write: number; analyze: number; monitor: number; total: number };
  /** The first monitoring run over the generated population. */
  monitoring: { households: number; gapsOpened: number };
}

export class NotEmptyError extends Error {}

export async function seed(opts: SeedOptions): Promise<SeedReport> {
  const log = opts.log ?? (() => undefined);
  const started = Date.now();
  const config = loadConfig(
    { ...platformSettings, ...personalDataSettings },
    { ...(opts.env ?? process.env), DATABASE_URL: opts.databaseUrl },
  );
  const logger = createLogger({ service: 'seed', level: 'warn' });

  // Each service's own migrations, from its own data-source export, as the service would at boot.
  for (const s of SEEDERS) {
    // As the owner (the login user), as bootRuntime migrates: never as the service's runtime role.
    const ds = createDataSource(
      { ...config, DATABASE_POOL_SIZE: 2 },
      {
        ...s.data,
        runtimeRole: undefined,
        migrations: s.data.migrations as never,
        applicationName: `seed-${s.service}`,
      },
    );
    await ds.initialize();
    try {
      await migrate(ds, s.data.schema, logger);
    } finally {
      await ds.destroy();
    }
  }
  const migrated = Date.now();
  log(`migrations up to date (${secs(migrated - started)} s)`);

  const writer = (s: ServiceSeeder) => new SchemaWriter(opts.databaseUrl, s.data.schema);
  const [{ n }] = await writer(governanceSeeder).query<{ n: number }>('SELECT count(*)::int AS n FROM region');
  if (n > 0)
    throw new NotEmptyError(`the database already holds ${n} regions: seed into an empty database (e.g.
    --database-url postgres://…/anju_seed, or drop it first)`);

  const world = planWorld(opts.scale, opts.seed);
  log(`plan: ${world.regions.length} regions, ${world.sites.length} sites,
    ${world.sites.reduce((a, s) => a + s.residents, 0).toLocaleString('en-US')} residents`);
  const ctx = { world, vault: new PersonalDataVault(personalDataKeys(config)), log };
  const rows: Record<string, number> = {};
  const record = (s: ServiceSeeder) => (counts: Record<string, number>) => {
    for (const [table, count] of Object.entries(counts)) rows[`${s.data.schema}.${table}`] = count;
  };
  // Side by side, each on connections of its own: no service's rows reference another's tables,
  // so the streams only share the generated people (each site generated once, see sitePeople).
  await Promise.all(SEEDERS.map(async (s) => record(s)(await s.write(ctx, writer(s)))));
  const written = Date.now();

  // Fresh statistics, so the first queries plan on the real sizes.
  for (const s of SEEDERS) {
    const tables = Object.keys(rows)
      .filter((k) => k.startsWith(`${s.data.schema}.`))
      .map((k) => k.split('.')[1]);
    if (tables.length) await writer(s).query(`ANALYZE ${tables.join(', ')}`);
  }
  const analyzed = Date.now();

  // Employment's own nightly check, once, as of now: statuses, roll-ups, the day's snapshot and
  // gaps (whose events reach governance's grid tasks and matching's demands once workers run).
  const employment = createDataSource(
    { ...config, DATABASE_POOL_SIZE: 2 },
    { ...employmentService.data, applicationName: 'seed-monitoring' },
  );
  await employment.initialize();
  let monitoring: SeedReport['monitoring'];
  try {
    const outcome = await runNightly(employment, new Date());
    monitoring = { households: outcome.households, gapsOpened: outcome.gapsOpened };
    log(`income-stability monitoring: ${outcome.households.toLocaleString('en-US')} households checked,
      ${outcome.gapsOpened.toLocaleString('en-US')} gaps opened (${secs(Date.now() - analyzed)} s)`);
  } finally {
    await employment.destroy();
  }
  if (opts.scale !== 'province') await storyAfterEvents(opts.databaseUrl, opts.env ?? process.env, log);
  const done = Date.now();
  return {
    scale: opts.scale,
    seed: opts.seed,
    monitoring,
    rows,
    seconds: {
      migrate: secs(migrated - started),
      write: secs(written - migrated),
      analyze: secs(analyzed - written),
      monitor: secs(done - analyzed),
      total: secs(done - started),
    },
  };
}

const secs = (ms: number) => Math.round(ms / 100) / 10;

/**
 * The demo story's rows that governance learns from other services' events and from its own passes, which
 * the seeders (each writing only its own schema) cannot write: legal-study attendance checked in at
 * social-orgs (what `activity.attended` tells governance, for the 法治 indicator), and the hourly grid pass
 * over the households not visited for too long and the escalated micro-issues (tasks and their digests).
 */
async function storyAfterEvents(
  databaseUrl: string,
  env: Record<string, string | undefined>,
  log: (m: string) => void,
): Promise<void> {
  const legal = await new SchemaWriter(databaseUrl, 'governance').query<{ n: number }>(`WITH learned AS (
      INSERT INTO legal_study_attendance (attendance_id, site_id, region_code, topic, attended_at)
      SELECT r.id, a.site_id, s.region_code, a.legal_topic, r.attended_at
        FROM social_orgs.activity_registration r JOIN social_orgs.activity a ON a.id = r.activity_id JOIN site s ON
          s.id = a.site_id
       WHERE a.legal_topic IS NOT NULL AND r.attended_at IS NOT NULL
      ON CONFLICT (attendance_id) DO NOTHING RETURNING 1)
    SELECT count(*)::int AS n FROM learned`);
  // The pass's setting as governance reads it from the same environment.
  const settings = { GRID_VISIT_EVERY_DAYS: governanceSettings.GRID_VISIT_EVERY_DAYS };
  const { GRID_VISIT_EVERY_DAYS: visitEveryDays } = loadConfig(settings, env);
  const governance = createDataSource(
    { DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: 2 },
    { ...governanceService.data, applicationName: 'seed-grid-pass' },
  );
  await governance.initialize();
  try {
    const tasks = await openGridTasksFromCauses(governance, new Date(), visitEveryDays);
    log(
      `governance: ${legal[0].n} legal-study attendances learned, ${tasks.opened} grid tasks opened by the grid pass`,
    );
  } finally {
    await governance.destroy();
  }
}
