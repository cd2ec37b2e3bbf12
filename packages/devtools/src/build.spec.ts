import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import IORedis from 'ioredis';
import {
  TEST_PG_SERVER,
  TEST_REDIS_URL,
  admin,
  dataOf,
  deleteKeys,
  freePort,
  gql,
  stopChild,
  nationalId,
  testDatabaseName,
  testQueuePrefix,
  tokenFor,
  until,
} from '@anju/testing';
import { PROCESSES } from './start/processes';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * `pnpm start --production`: the build, then all nine processes from dist/ with node (no tsx), on
 * ports and a database of their own with the demo data; a story through the compiled gateway: a
 * dashboard over the four subgraphs, and a resident registered in governance reaching employment
 * through the compiled outbox, relay, queue and handler.
 */
describe('the compiled build', () => {
  let start: ChildProcess | undefined;
  let output = '';
  const name = testDatabaseName('compiled');
  const prefix = testQueuePrefix();

  afterAll(async () => {
    await stopChild(start);
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    const redis = new IORedis(TEST_REDIS_URL);
    try {
      await deleteKeys(redis, `${prefix}:*`);
    } finally {
      redis.disconnect();
    }
  });

  it('runs all nine processes with node from dist/ and passes a story through the gateway', async () => {
    const ports: Record<string, string> = {};
    for (const def of PROCESSES) ports[def.portSetting] = String(await freePort());
    ports.GATEWAY_METRICS_PORT = String(await freePort());
    start = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'start.ts'), '--production'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        NO_COLOR: '1',
        QUEUE_PREFIX: prefix,
        DATABASE_URL: `${TEST_PG_SERVER}/${name}`,
        ...ports,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    start.stdout!.on('data', (d) => (output += d));
    start.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => start!.once('exit', (code) => resolve(code)));
    await until(
      async () => output.includes('Anju is running') || start!.exitCode !== null,
      '`pnpm start --production` to be running',
      280_000,
    );
    expect(output).toContain('Anju is running: 9 processes');
    expect(output).toMatch(/compiled \d+ files into dist\//);

    // Every process is node running compiled JavaScript: no tsx, no TypeScript.
    const children = execFileSync('ps', ['-o', 'args=', '--ppid', String(start.pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .filter((args) => !/\/esbuild --service/.test(args)); // the portal's bundler, kept by esbuild for the build
    expect(children).toHaveLength(9);
    for (const args of children) {
      expect(args).toMatch(
        /^\S*node --enable-source-maps \S+\/dist\/(services\/[a-z-]+\/src\/(api|worker)|gateway\/src\/server)\.js$/,
      );
    }

    const gateway = `http://127.0.0.1:${ports.GATEWAY_PORT}/graphql`;
    const county = await tokenFor({ role: 'county', regions: ['530627'] });
    const sites = dataOf(
      await gql<{ sites: { nodes: { id: string; residentCount: number; openDemandCount: number }[] } }>(
        gateway,
        '{ sites(regionCode: "530627") { nodes { id residentCount openDemandCount } } }',
        {},
        { token: county },
      ),
    ).sites.nodes;
    expect(sites).toHaveLength(4);
    const site = sites[0];
    const dashboard = async () =>
      dataOf(
        await gql<{ labourProfiles: { totalCount: number }; organizations: { totalCount: number } }>(
          gateway,
          'query($id: ID!) { labourProfiles(siteId: $id, first: 1) ' +
            '{ totalCount } organizations(first: 1) { totalCount } }',
          { id: site.id },
          { token: county },
        ),
      );
    const before = await dashboard();
    expect(before.organizations.totalCount).toBeGreaterThan(0);

    // A resident registered in governance becomes a labour profile in employment: the compiled event path.
    const officer = await tokenFor({ role: 'site_officer', sites: [site.id] });
    const household = dataOf(
      await gql<{ registerHousehold: { id: string } }>(
        gateway,
        'mutation($i: RegisterHouseholdInput!) { registerHousehold(input: $i) { id } }',
        { i: { siteId: site.id, householdNumber: 'COMPILED-001', address: '9栋1单元101' } },
        { token: officer },
      ),
    ).registerHousehold.id;
    dataOf(
      await gql(
        gateway,
        'mutation($i: RegisterResidentInput!) { registerResident(input: $i) { id } }',
        {
          i: {
            householdId: household,
            name: '编译测试',
            nationalId: nationalId('530627', '19850312', 11),
            ethnicity: '汉族',
            labourCapacity: 'FULL',
            canWorkAway: false,
            wantsWork: true,
            relationToHead: 'HEAD',
          },
        },
        { token: officer },
      ),
    );
    await until(
      async () => (await dashboard()).labourProfiles.totalCount === before.labourProfiles.totalCount + 1,
      'the labour profile in employment',
      60_000,
    );

    start.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 400_000);
});
