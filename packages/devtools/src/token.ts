/**
 * `pnpm token --role <role> [scope flags]`: mints a development bearer token signed with the
 * issuer's AUTH_PRIVATE_KEY (the development key pair unless set) and prints only the token, so that
 *   TOKEN=$(pnpm -s token --role province --region 53)
 * works. The token is checked with the same verification every subgraph runs before it is printed.
 */
import {
  ConfigError,
  OPERATOR_ROLE,
  ROLES,
  assertProductionSafe,
  mintOperatorToken,
  isUuid,
  issuerSettings,
  loadConfig,
  mintToken,
  platformSettings,
  verifyBearer,
  type Role,
  type TokenClaims,
} from '@anju/kit';

export const TOKEN_USAGE = `Usage: pnpm -s token --role <role> [scope flags] [--sub <subject>] [--ttl 8h]

Prints a development bearer token (signed with AUTH_PRIVATE_KEY for AUTH_ISSUER, AUTH_AUDIENCE;
checked with AUTH_PUBLIC_KEYS as the subgraphs check it).
  --role <role>        one of: ${ROLES.join(', ')}; or operator (the queue boards, no domain data; --sub and --ttl only)
  --region <code>      GB/T 2260 region code governed (53 Yunnan, 5301 Kunming); repeatable
  --site <id>          resettlement site (安置点) id; repeatable
  --grid <id>          grid (网格) id of a grid worker; repeatable
  --org <id>           social organization of an NGO member
  --unit <id>          regional unit (区域单位) of a unit member
  --resident <id>      the resident a resident token speaks for
  --volunteer <id>     the volunteer record of a volunteer
  --sub <subject>      the token's subject (default dev-<role>)
  --ttl <duration>     lifetime: 90s, 30m, 8h, 7d (default 8h)
Each role needs its scope: province/county --region, site_officer --site, grid_worker --grid or
--site, ngo_member --org, unit_member --unit, resident --resident, volunteer --volunteer.

Example: TOKEN=$(pnpm -s token --role province --region 53)`;

export class UsageError extends Error {}

export interface TokenRequest {
  claims: TokenClaims;
  ttl: string;
}

const LIST_FLAGS = { region: 'regions', site: 'sites', grid: 'grids' } as const;
const SINGLE_FLAGS = {
  org: 'org',
  unit: 'unit',
  resident: 'resident',
  volunteer: 'volunteer',
  sub: 'sub',
  role: 'role',
  ttl: 'ttl',
} as const;
const TTL =
  /^\d+\s*(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks)$/i;

/** Reads the flags (`--flag value` or `--flag=value`); list flags accumulate, the rest may appear once. */
export function parseTokenArgs(argv: readonly string[]): TokenRequest | 'help' {
  const lists: Record<string, string[]> = { regions: [], sites: [], grids: [] };
  const single: Record<string, string> = {};
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') continue;
    if (arg === '--help' || arg === '-h') return 'help';
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    if (!m) {
      problems.push(`unexpected argument "${arg}" (flags look like --role province)`);
      continue;
    }
    const flag = m[1];
    const known = flag in LIST_FLAGS || flag in SINGLE_FLAGS;
    if (!known) {
      problems.push(`unknown flag --${flag}`);
      if (m[2] === undefined && argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) i++;
      continue;
    }
    let value = m[2];
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        problems.push(`--${flag} needs a value`);
        continue;
      }
      value = next;
      i++;
    }
    value = value.trim();
    if (!value) {
      problems.push(`--${flag} needs a value`);
      continue;
    }
    if (flag in LIST_FLAGS) lists[LIST_FLAGS[flag as keyof typeof LIST_FLAGS]].push(value);
    else if (flag in single) problems.push(`--${flag} given twice (only --region, --site and --grid repeat)`);
    else single[flag] = value;
  }

  const role = single.role;
  if (!role) problems.push('--role is required');
  else if (!(ROLES as readonly string[]).includes(role))
    problems.push(`--role "${role}" is not a role (one of ${ROLES.join(', ')})`);
  for (const code of lists.regions)
    if (!/^\d{2,12}$/.test(code))
      problems.push(`--region "${code}" is not a GB/T 2260 code (2 to 12 digits, e.g. 53 or 530102)`);
  const ids: [string, string[]][] = [
    ['site', lists.sites],
    ['grid', lists.grids],
    ...(['org', 'unit', 'resident', 'volunteer'] as const).map((f): [string, string[]] => [
      f,
      single[f] ? [single[f]] : [],
    ]),
  ];
  for (const [flag, values] of ids)
    for (const v of values) if (!isUuid(v)) problems.push(`--${flag} "${v}" is not an id (a uuid)`);
  const ttl = single.ttl ?? '8h';
  if (!TTL.test(ttl)) problems.push(`--ttl "${ttl}" is not a duration (e.g. 90s, 30m, 8h, 7d)`);
  if (problems.length) throw new UsageError(problems.join('\n'));

  const claims: TokenClaims = {
    sub: single.sub ?? `dev-${role}`,
    role: role as Role,
    regions: lists.regions,
    sites: lists.sites,
    grids: lists.grids,
    ...(single.org && { org: single.org }),
    ...(single.unit && { unit: single.unit }),
    ...(single.resident && { resident: single.resident }),
    ...(single.volunteer && { volunteer: single.volunteer }),
  };
  return { claims, ttl: ttl.replace(/\s+/g, '') };
}

/** `--role operator [--sub s] [--ttl t]`: an operator's token (kit auth.ts), or null when another role is asked for. */
export function parseOperatorArgs(argv: string[]): { sub: string; ttl: string } | null {
  const at = argv.indexOf('--role');
  if (at < 0 || argv[at + 1] !== OPERATOR_ROLE) return null;
  const rest = argv.filter((_, i) => i !== at && i !== at + 1);
  const flags: Record<string, string> = {};
  for (let i = 0; i < rest.length; i += 2) {
    const flag = rest[i].replace(/^--/, '');
    if (!['sub', 'ttl'].includes(flag) || rest[i + 1] === undefined)
      throw new UsageError(`an operator token takes --sub and --ttl only, not "${rest[i]}"`);
    flags[flag] = rest[i + 1];
  }
  const ttl = flags.ttl ?? '8h';
  if (!TTL.test(ttl)) throw new UsageError(`--ttl "${ttl}" is not a duration (e.g. 90s, 30m, 8h, 7d)`);
  return { sub: flags.sub ?? 'dev-operator', ttl };
}

async function main(): Promise<void> {
  let operator: { sub: string; ttl: string } | null;
  try {
    operator = parseOperatorArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`token: ${err.message}\n\n${TOKEN_USAGE}\n`);
    process.exit(2);
  }
  if (operator) {
    const issuer = loadConfig(issuerSettings);
    assertProductionSafe(issuer);
    process.stdout.write(`${await mintOperatorToken(operator.sub, issuer, operator.ttl)}\n`);
    return;
  }
  let request: TokenRequest | 'help';
  try {
    request = parseTokenArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`token: ${err.message.split('\n').join('\ntoken: ')}\n\n${TOKEN_USAGE}\n`);
    process.exit(2);
  }
  if (request === 'help') {
    process.stdout.write(`${TOKEN_USAGE}\n`);
    return;
  }
  const issuer = loadConfig(issuerSettings);
  // The development key pair mints only where development is opted into (the script does).
  assertProductionSafe(issuer);
  const config = loadConfig(platformSettings);
  const token = await mintToken(request.claims, issuer, request.ttl);
  try {
    // The same check every subgraph makes: a token printed here is one they accept.
    await verifyBearer(`Bearer ${token}`, config);
  } catch (err) {
    const flagOf: Record<string, string> = { regions: '--region', sites: '--site', grids: '--grid' };
    const why = (err as Error).message
      .replace(/^Authentication failed: /, '')
      .replace(/the "(\w+)" claim/, (_, claim: string) => `${flagOf[claim] ?? `--${claim}`}`);
    process.stderr.write(`token: ${why}\n\n${TOKEN_USAGE}\n`);
    process.exit(2);
  }
  process.stdout.write(`${token}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(
      `token: ${err instanceof ConfigError ? err.message : ((err as Error)?.stack ?? String(err))}\n`,
    );
    process.exit(1);
  });
}
