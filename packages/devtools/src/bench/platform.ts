import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { SERVICES, declarationOf } from '@anju/contracts';
import {
  generateSigningKeys,
  serviceLoginUrl,
  issuerSettings,
  loadConfig,
  mintToken,
  PersonalDataVault,
  personalDataKeys,
  setting,
  type TokenClaims,
} from '@anju/kit';
import { seed } from '../seed/seed';
import { formatReport } from '../seed/index';
import { SCALES, planWorld, sitePeople, type Scale } from '../seed/world';
import {
  ADMIN_DATABASE_URL,
  API_NODE_OPTIONS,
  Children,
  REPO_ROOT,
  freePort,
  recreateDatabase,
  waitForOk,
} from './harness';

/**
 * A benchmark database that holds a seeded Yunnan, and the platform started over it. The
 * database is kept between runs (seeding the province takes minutes) and reused when it still
 * holds the same scale and seed; its PII keys are derived from its name, so that data sealed
 * by one run opens in the next (a benchmark database is not personal data: it is generated).
 */
/** Which seeded data a benchmark runs on (`pnpm bench dashboard`, and `pipeline` when given a database). */
export const seededDataSettings = {
  BENCH_SCALE: setting.oneOf(
    SCALES as unknown as [Scale, ...Scale[]],
    'province',
    '`pnpm bench dashboard`/`pipeline`: the seeded scale the benchmark runs on',
  ),
  BENCH_SEED: setting.int(1, 'the seed of the benchmark data'),
  BENCH_DATABASE: setting.list(
    [],
    'a database of its own for this run, e.g. a copy of ' +
      'anju_bench_<scale> (createdb -T); dashboard default anju_bench_<scale>',
  ),
};

export const envName = (service: string) => service.toUpperCase().replace(/-/g, '_');

export interface BenchSecrets {
  /**
   * What the processes get: the public keys that verify tokens, the PII
   * keys and the upload key (production refuses the development ones).
   */
  env: Record<'AUTH_PUBLIC_KEYS' | 'PII_ENCRYPTION_KEY' | 'PII_HASH_KEY' | 'UPLOAD_SEALING_KEY', string>;
  /** Mints a token with the run's private key, which stays in the benchmark's own process. */
  mint(claims: TokenClaims): Promise<string>;
}

/** A key pair of the run's own; PII keys derived from the database's name when given, else random. */
export async function benchSecrets(database?: string): Promise<BenchSecrets> {
  const key = (what: string) =>
    database
      ? createHash('sha256').update(`anju-bench:${database}:${what}`).digest('hex')
      : randomBytes(32).toString('hex');
  const { AUTH_PRIVATE_KEY, AUTH_PUBLIC_KEYS } = await generateSigningKeys('bench');
  const issuer = loadConfig(issuerSettings, { AUTH_PRIVATE_KEY });
  return {
    env: {
      AUTH_PUBLIC_KEYS,
      PII_ENCRYPTION_KEY: key('pii'),
      PII_HASH_KEY: key('pii-hash'),
      UPLOAD_SEALING_KEY: key('uploads'),
    },
    mint: (claims) => mintToken(claims, issuer),
  };
}

/** A service's database settings: migrations as the owner, the process itself as the service's own login. */
export function serviceDatabaseEnv(
  ownerUrl: string,
  service: string,
): { DATABASE_OWNER_URL: string; DATABASE_URL: string } {
  return { DATABASE_OWNER_URL: ownerUrl, DATABASE_URL: serviceLoginUrl(ownerUrl, `${service.replace(/-/g, '_')}_app`) };
}

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Reuses `name` if it holds the scale and seed asked for (and its
 * IDs open with the derived key); otherwise recreates and seeds it.
 */
export async function seededDatabase(
  name: string,
  scale: Scale,
  seedNumber: number,
  secrets: BenchSecrets,
): Promise<{ url: string; seededNow: boolean; loadSeconds?: number }> {
  const world = planWorld(scale, seedNumber);
  const expected = { sites: world.sites.length, residents: world.sites.reduce((a, s) => a + s.residents, 0) };
  const url = databaseUrl(name);
  const vault = new PersonalDataVault(personalDataKeys({ NODE_ENV: 'production', ...secrets.env }));
  const reusable = await (async () => {
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      const {
        rows: [row],
      } = await client.query(
        `SELECT (SELECT count(*) FROM governance.site)::int AS sites,
          (SELECT count(*) FROM governance.resident)::int AS residents,
                (SELECT national_id_sealed FROM governance.resident WHERE id = $1) AS sealed`,
        [sitePeopleFirstResident(world)],
      );
      return (
        row.sites === expected.sites &&
        row.residents === expected.residents &&
        row.sealed &&
        /^\d{17}[\dX]$/.test(vault.open(row.sealed))
      );
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  if (reusable) {
    console.log(
      `database ${name} already holds ${scale} ` +
        `(seed ${seedNumber}): ${expected.sites.toLocaleString('en-US')} ` +
        `sites, ${expected.residents.toLocaleString('en-US')} residents`,
    );
    return { url, seededNow: false };
  }
  await recreateDatabase(name);
  console.log(`seeding ${name} at ${scale} scale (seed ${seedNumber})…`);
  const report = await seed({
    scale,
    seed: seedNumber,
    databaseUrl: url,
    env: secrets.env,
    log: (m) => console.log(`  ${m}`),
  });
  console.log(formatReport(report));
  return { url, seededNow: true, loadSeconds: report.seconds.total };
}

/** The first resident of the first site, generated again (cheap) rather than stored anywhere. */
function sitePeopleFirstResident(world: ReturnType<typeof planWorld>): string {
  return sitePeople({ ...world, cache: undefined }, world.sites[0]).households[0].members[0].id;
}

export interface Platform {
  urls: Record<string, string>;
  gatewayUrl: string;
  services: string[];
}

/** Every subgraph api (one at a time: each migrates at boot) and the gateway, in production mode. */
export async function startPlatform(children: Children, env: Record<string, string>): Promise<Platform> {
  const services = SERVICES.filter((s) => existsSync(path.join(REPO_ROOT, declarationOf(s).api.entry)));
  const ports: Record<string, number> = {};
  for (const s of services) ports[s] = await freePort();
  const urls = Object.fromEntries(services.map((s) => [`${envName(s)}_URL`, `http://127.0.0.1:${ports[s]}/graphql`]));
  for (const s of services) {
    children.start(
      `${s}-api`,
      `services/${s}/src/api.ts`,
      { ...env, ...serviceDatabaseEnv(env.DATABASE_URL, s), [`${envName(s)}_PORT`]: String(ports[s]) },
      API_NODE_OPTIONS,
    );
    await waitForOk(`http://127.0.0.1:${ports[s]}/ready`, children);
  }
  const gatewayUrl = await startGatewayChild(children, 'gateway', { ...env, ...urls });
  return { urls, gatewayUrl, services };
}

/** One more gateway process over the same subgraphs (another setting to compare with). */
export async function startGatewayChild(
  children: Children,
  name: string,
  env: Record<string, string>,
): Promise<string> {
  const port = await freePort();
  children.start(
    name,
    'gateway/src/server.ts',
    { ...env, GATEWAY_PORT: String(port), GATEWAY_METRICS_PORT: '0' },
    API_NODE_OPTIONS,
  );
  await waitForOk(`http://127.0.0.1:${port}/ready`, children);
  return `http://127.0.0.1:${port}/graphql`;
}
