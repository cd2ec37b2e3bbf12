import { z } from 'zod';
import { isDevelopmentKey, privateJwkSetting, publicJwksSetting } from './signing-keys';

/**
 * Declarative configuration. Every setting is a zod schema with a default that works on a
 * developer machine and a one-line description; `loadConfig` reads the environment once and
 * reports every bad key at the same time. Nothing else in the code base reads `process.env`.
 */
export type Settings = Record<string, z.ZodType>;
export type ConfigOf<S extends Settings> = { readonly [K in keyof S]: z.output<S[K]> };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig<S extends Settings>(
  settings: S,
  env: Record<string, string | undefined> = process.env,
): ConfigOf<S> {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(settings)) {
    const raw = env[key];
    const parsed = schema.safeParse(raw === '' ? undefined : raw);
    if (parsed.success) out[key] = parsed.data;
    else {
      const why = parsed.error.issues.map((i) => i.message).join('; ');
      const doc = schema.description ? ` (${schema.description})` : '';
      problems.push(`${key}=${raw === undefined ? '<unset>' : JSON.stringify(raw)}: ${why}${doc}`);
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(out) as ConfigOf<S>;
}

// Small typed builders, so a setting reads as one line.
export const setting = {
  string: (def: string, doc: string) => z.string().min(1).default(def).describe(doc),
  url: (def: string, doc: string) => z.url().default(def).describe(doc),
  /** A URL with no default: unset means the feature it configures is off. */
  optionalUrl: (doc: string) => z.url().optional().describe(doc),
  optionalString: (doc: string) => z.string().min(1).optional().describe(doc),
  int: (def: number, doc: string, min = 0, max = Number.MAX_SAFE_INTEGER) =>
    z.coerce.number().int().min(min).max(max).default(def).describe(doc),
  port: (def: number, doc: string) => z.coerce.number().int().min(0).max(65535).default(def).describe(doc),
  bool: (def: boolean, doc: string) =>
    z
      .enum(['true', 'false', '1', '0'])
      .default(def ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1')
      .describe(doc),
  list: (def: string[], doc: string) =>
    z
      .string()
      .default(def.join(','))
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .describe(doc),
  oneOf: <T extends readonly [string, ...string[]]>(values: T, def: T[number], doc: string) =>
    z
      .enum(values)
      .default(def as never)
      .describe(doc),
};

const DEV_PII_KEY = '0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';
const DEV_PII_HASH_KEY = 'f9e8d7c6b5a4938271605f4e3d2c1b0af9e8d7c6b5a4938271605f4e3d2c1b0a';
const DEV_UPLOAD_SEALING_KEY = '5e7a1c0d9b8f4a3e2d1c0b9a8f7e6d5c4b3a29180f1e2d3c4b5a69788796a5b4';
const hexKey = (doc: string) =>
  z
    .string()
    .regex(/^[0-9a-f]{64}$/i, 'must be 64 hex digits (32 bytes)')
    .optional()
    .describe(doc);

/** Query limits: the same in the gateway and every subgraph (applied by limits.ts). */
export const limitSettings = {
  QUERY_MAX_DEPTH: setting.int(12, 'deepest GraphQL selection accepted', 2, 100),
  QUERY_MAX_COST: setting.int(
    100_000,
    'largest GraphQL query cost accepted (a field costs 1, times the rows its list may return)',
    10,
  ),
  QUERY_MAX_ALIASES: setting.int(30, 'most aliases accepted in one query', 1),
  QUERY_MAX_LIST_ITEMS: setting.int(
    100,
    'most items a list without paging returns, and what the cost assumes it returns',
    1,
    10_000,
  ),
  QUERY_MAX_ENTITIES: setting.int(1_000, 'most representations in one `_entities` batch', 1, 100_000),
  QUERY_MAX_RESPONSE_BYTES: setting.int(8 * 1_048_576, 'largest response body sent, in bytes', 1_024),
};
/**
 * Settings every process of the platform shares. They hold no secret that would let a process
 * mint a token or open an ID number: those live in `issuerSettings` and `personalDataSettings`,
 * loaded only by the processes that need them.
 */
/** Spreadsheets in and out (kit `spreadsheet/`): what an uploaded file may be, checked before it is parsed. */
export const spreadsheetSettings = {
  SPREADSHEET_MAX_BYTES: setting.int(
    20 * 1_048_576,
    'largest spreadsheet (.xlsx or .csv) accepted for import, in bytes',
    1_024,
  ),
  SPREADSHEET_MAX_UNCOMPRESSED_BYTES: setting.int(
    200 * 1_048_576,
    'most bytes an .xlsx may unpack to (all entries together): a larger one is refused as a zip bomb',
    1_024,
  ),
  SPREADSHEET_MAX_RATIO: setting.int(
    200,
    'largest unpacked/packed ratio of one .xlsx entry over 1 MiB: a larger one is refused as a zip bomb',
    10,
  ),
  SPREADSHEET_MAX_ROWS: setting.int(200_000, 'most data rows one imported sheet may have', 1),
};

export const platformSettings = {
  NODE_ENV: setting.oneOf(
    ['development', 'test', 'production'] as const,
    'production',
    'production unless a developer opts in: development shows ' +
      'error detail and the explorer and accepts the development keys',
  ),
  LOG_LEVEL: setting.oneOf(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
    'info',
    'pino log level',
  ),
  DATABASE_URL: setting.url(
    'postgres://postgres@127.0.0.1:5432/anju',
    "PostgreSQL login the process runs as: the service's own login (<schema>_app), never the owner in production",
  ),
  DATABASE_OWNER_URL: z
    .url()
    .optional()
    .describe(
      "the schemas' owner, for migrations only: given to the process " +
        'that migrates (a worker), never to a subgraph in production',
    ),
  DATABASE_POOL_SIZE: setting.int(10, 'connections per process', 1, 200),
  DATABASE_POOL_WAIT_MS: setting.int(
    5_000,
    "how long a request waits for one of the pool's connections before it is answered SERVICE_UNAVAILABLE (503)",
    1,
  ),
  REDIS_URL: setting.url('redis://127.0.0.1:6379', 'Redis for the BullMQ queues'),
  QUEUE_PREFIX: setting.string('anju', 'BullMQ key prefix; tests use their own to isolate themselves'),
  AUTH_PUBLIC_KEYS: publicJwksSetting(
    'JWKS of the public keys bearer tokens are verified with (Ed25519 or P-256, by kid); never a private key',
  ),
  AUTH_JWKS_URL: setting.optionalUrl(
    "the identity provider's JWKS (OpenID Connect `jwks_uri`): " +
      'when set, tokens are verified with the keys published there ' +
      '(fetched once, fetched again for an unknown kid) instead of AUTH_PUBLIC_KEYS; https in production',
  ),
  AUTH_ISSUER: setting.string('anju', 'expected `iss` of bearer tokens'),
  AUTH_AUDIENCE: setting.string('anju-api', 'expected `aud` of bearer tokens'),
  DATABASE_STATEMENT_TIMEOUT_MS: setting.int(
    15_000,
    'an API statement still running after this long is cancelled (QUERY_TIMEOUT); 0 = none',
    0,
  ),
  WORKER_STATEMENT_TIMEOUT_MS: setting.int(600_000, 'the same for a worker (nightly monitoring, batches); 0 = none', 0),
  RATE_LIMIT_PER_MINUTE: setting.int(
    6_000,
    'requests per minute per token, per process (a gateway operation fans out to subgraphs); 0 = off',
    0,
  ),
  RATE_LIMIT_BURST: setting.int(1_000, 'requests a token may send at once before the per-minute rate applies', 1),
  EXPENSIVE_RATE_LIMIT_PER_HOUR: setting.int(
    12,
    'calls per hour per token of an expensive operation (batch match, exports), per process; 0 = off',
    0,
  ),
  EXPENSIVE_RATE_LIMIT_BURST: setting.int(3, 'expensive calls a token may make at once', 1),
  RETENTION_OUTBOX_DAYS: setting.int(7, 'days an outbox row is kept after its event settled', 1),
  RETENTION_INBOX_DAYS: setting.int(
    30,
    'days an inbox id is kept after its event was applied (keep it longer than the outbox)',
    1,
  ),
  RETENTION_DEAD_LETTER_DAYS: setting.int(
    90,
    'days a dead letter is kept after it was resolved (unresolved ones stay)',
    1,
  ),
  SHUTDOWN_GRACE_MS: setting.int(10_000, 'how long shutdown waits for requests and jobs to finish', 0),
  JOB_ATTEMPTS: setting.int(8, 'deliveries of an event before it goes to the dead-letter list', 1, 100),
  JOB_BACKOFF_MS: setting.int(1_000, 'first retry delay; doubles each attempt', 1),
  JOB_LOCK_MS: setting.int(30_000, 'a job whose worker stops renewing its lock this long is re-run', 500),
  JOB_CONCURRENCY: setting.int(8, 'jobs (batches of events) a worker process runs at once', 1, 500),
  METRICS_CACHE_MS: setting.int(
    5_000,
    'how long /metrics reuses its PostgreSQL and Redis counts (outbox, dead letters, queues) between scrapes',
    0,
  ),
  SCHEDULE_CHECK_MS: setting.int(
    15_000,
    'how often a worker checks that Redis still has its job schedulers and restores lost ones',
    100,
  ),
  OUTBOX_POLL_MS: setting.int(
    50,
    'longest pause of the outbox relay between looks when idle (it looks again within ms while events come)',
    5,
  ),
  OUTBOX_RECONCILE_MS: setting.int(10_000, 'how often sent events are checked to still be in Redis', 100),
  ...limitSettings,
  ...spreadsheetSettings,
  CLOCK_AT: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('domain time starts at this instant (tests, CI, demos); unset: the system clock'),
  CLOCK_RUNS: setting.bool(
    true,
    'with CLOCK_AT: the clock runs on from that instant (true) or holds still there (false)',
  ),
  SCHEDULES_ENABLED: setting.bool(
    true,
    'register the recurring job schedulers; tests turn them off and run tasks with their clock',
  ),
  // Traces (kit tracing.ts): off unless a collector is named.
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .optional()
    .describe(
      'OpenTelemetry collector (OTLP over HTTP, e.g. ' +
        'http://otel-collector:4318): spans go to <it>/v1/traces; unset: no tracing',
    ),
  OTEL_TRACES_SAMPLE_RATIO: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(1)
    .describe(
      'share of new traces recorded, 0 to 1 (a request arriving with a sampled `traceparent` is always recorded)',
    ),
};
export type PlatformConfig = ConfigOf<typeof platformSettings>;

/** Keys only the issuer of tokens holds (`pnpm token`, the test token factory, an identity service). */
export const issuerSettings = {
  NODE_ENV: platformSettings.NODE_ENV,
  AUTH_PRIVATE_KEY: privateJwkSetting(
    'private JWK (Ed25519 or P-256, with kid) that signs bearer tokens; only the issuer holds it',
  ),
  AUTH_ISSUER: platformSettings.AUTH_ISSUER,
  AUTH_AUDIENCE: platformSettings.AUTH_AUDIENCE,
};
export type IssuerConfig = ConfigOf<typeof issuerSettings>;

/**
 * Keys of personal data at rest, declared only by the services that seal or open ID numbers and
 * phones, and read (`personalDataKeys`) only by the processes that do: a process that never opens
 * one (governance's worker, unless it sends SMS) runs without them.
 */
export const personalDataSettings = {
  PII_ENCRYPTION_KEY: hexKey(
    'AES-256-GCM key for ID numbers and phones at rest; required by the process that seals and opens them',
  ),
  PII_HASH_KEY: hexKey(
    'HMAC key of the searchable hash of ID numbers; required by the process that seals and opens them',
  ),
};
export type PersonalDataConfig = { PII_ENCRYPTION_KEY: string; PII_HASH_KEY: string };

/**
 * The hash key alone, for a service that finds residents by the keyed hash of an ID number it is
 * given (employment's imports) but never seals nor opens one: it runs without PII_ENCRYPTION_KEY.
 */
export const lookupHashSettings = {
  PII_HASH_KEY: hexKey(
    "HMAC key of the searchable hash of ID numbers (governance's); " +
      'required by a process that finds residents by ID number',
  ),
};

/**
 * The key of uploaded sheets and import reports at rest (they hold ID numbers in clear until the
 * job ends), declared by the services that import: a key of its own, so that a service importing
 * sheets never holds the key of the ID numbers that governance keeps.
 */
export const uploadSettings = {
  UPLOAD_SEALING_KEY: hexKey(
    'AES-256-GCM key of uploaded sheets and import reports at rest; required by the processes that import',
  ),
};

/** Required in production, the development key otherwise; a development key in production is refused. */
function requiredKey(
  nodeEnv: PlatformConfig['NODE_ENV'],
  name: 'PII_HASH_KEY' | 'UPLOAD_SEALING_KEY',
  key: string | undefined,
  dev: string,
  what: string,
): string {
  if (!key && nodeEnv === 'production') throw new ConfigError([`${name}: required by a process that ${what}`]);
  assertProductionSafe({ NODE_ENV: nodeEnv, [name]: key ?? dev });
  return key ?? dev;
}

/** The PII keys of a process that seals or opens ID numbers: required in production, the development ones otherwise. */
export function personalDataKeys(
  config: Pick<PlatformConfig, 'NODE_ENV'> & Partial<PersonalDataConfig>,
): PersonalDataConfig {
  const missing = (['PII_ENCRYPTION_KEY', 'PII_HASH_KEY'] as const).filter((k) => !config[k]);
  if (missing.length && config.NODE_ENV === 'production') {
    throw new ConfigError(missing.map((k) => `${k}: required by a process that seals or opens ID numbers`));
  }
  const keys = {
    PII_ENCRYPTION_KEY: config.PII_ENCRYPTION_KEY ?? DEV_PII_KEY,
    PII_HASH_KEY: config.PII_HASH_KEY ?? DEV_PII_HASH_KEY,
  };
  assertProductionSafe({ NODE_ENV: config.NODE_ENV, ...keys });
  return keys;
}

/** The hash key of a process that finds residents by ID number without opening any. */
export function lookupHashKey(config: Pick<PlatformConfig, 'NODE_ENV'> & { PII_HASH_KEY?: string }): string {
  return requiredKey(
    config.NODE_ENV,
    'PII_HASH_KEY',
    config.PII_HASH_KEY,
    DEV_PII_HASH_KEY,
    'finds residents by ID number',
  );
}

/** The key a process that imports seals uploaded sheets and their reports with. */
export function uploadSealingKey(config: Pick<PlatformConfig, 'NODE_ENV'> & { UPLOAD_SEALING_KEY?: string }): string {
  return requiredKey(
    config.NODE_ENV,
    'UPLOAD_SEALING_KEY',
    config.UPLOAD_SEALING_KEY,
    DEV_UPLOAD_SEALING_KEY,
    'imports spreadsheets',
  );
}

/**
 * Refuses development keys in production: a config that boots must be a safe one. Checks what
 * the process holds (the issuer's key and the PII keys only where they are loaded).
 */
export function assertProductionSafe(
  config: Pick<PlatformConfig, 'NODE_ENV'> &
    Partial<PlatformConfig & IssuerConfig & PersonalDataConfig & { UPLOAD_SEALING_KEY: string }>,
): void {
  if (config.NODE_ENV !== 'production') return;
  const problems: string[] = [];
  if (config.AUTH_JWKS_URL) {
    const url = new URL(config.AUTH_JWKS_URL);
    if (url.protocol !== 'https:')
      problems.push("AUTH_JWKS_URL: the provider's keys must be fetched over https in production");
  } else if (isDevelopmentKey(config.AUTH_PUBLIC_KEYS)) {
    problems.push('AUTH_PUBLIC_KEYS: the development key cannot be trusted in production');
  }
  if (isDevelopmentKey(config.AUTH_PRIVATE_KEY))
    problems.push('AUTH_PRIVATE_KEY: the development key cannot sign in production');
  if (config.PII_ENCRYPTION_KEY === DEV_PII_KEY)
    problems.push('PII_ENCRYPTION_KEY: the development key cannot be used in production');
  if (config.PII_HASH_KEY === DEV_PII_HASH_KEY)
    problems.push('PII_HASH_KEY: the development key cannot be used in production');
  if (config.UPLOAD_SEALING_KEY === DEV_UPLOAD_SEALING_KEY) {
    problems.push('UPLOAD_SEALING_KEY: the development key cannot be used in production');
  }
  if (problems.length) throw new ConfigError(problems);
}
