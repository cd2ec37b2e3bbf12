import {
  ConfigError,
  assertProductionSafe,
  loadConfig,
  lookupHashKey,
  personalDataKeys,
  personalDataSettings,
  platformSettings,
  setting,
  uploadSealingKey,
  uploadSettings,
} from './config';
import { LookupHasher, PersonalDataVault, UploadSealer } from './personal-data';

describe('configuration', () => {
  it('has defaults that work on a developer machine', () => {
    const c = loadConfig(platformSettings, {});
    expect(c.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/anju');
    expect(c.JOB_ATTEMPTS).toBe(8);
  });

  it('reports every bad key at once, with what each setting is', () => {
    let error: unknown;
    try {
      loadConfig(platformSettings, { DATABASE_POOL_SIZE: 'many', REDIS_URL: 'not a url', NODE_ENV: 'staging' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect((error as ConfigError).problems).toHaveLength(3);
    expect(problems).toMatch(/DATABASE_POOL_SIZE="many"/);
    expect(problems).toMatch(/REDIS_URL="not a url"/);
    expect(problems).toMatch(/NODE_ENV="staging".*development/);
  });

  it('tracing: off unless a collector is named; a bad endpoint or ratio is refused', () => {
    expect(loadConfig(platformSettings, {})).toMatchObject({
      OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
      OTEL_TRACES_SAMPLE_RATIO: 1,
    });
    expect(
      loadConfig(platformSettings, {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318',
        OTEL_TRACES_SAMPLE_RATIO: '0.1',
      }),
    ).toMatchObject({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318', OTEL_TRACES_SAMPLE_RATIO: 0.1 });
    expect(() =>
      loadConfig(platformSettings, {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'otel-collector:4318',
        OTEL_TRACES_SAMPLE_RATIO: '2',
      }),
    ).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT="otel-collector:4318": must be an http\(s\) URL[\s\S]*OTEL_TRACES_SAMPLE_RATIO="2"/,
    );
  });

  it('parses booleans, lists and numbers', () => {
    const c = loadConfig(
      { A: setting.bool(false, 'a'), L: setting.list([], 'l'), N: setting.int(1, 'n') },
      { A: 'true', L: 'x, y,,z', N: '42' },
    );
    expect(c).toEqual({ A: true, L: ['x', 'y', 'z'], N: 42 });
  });

  it('refuses development keys in production', () => {
    expect(() => assertProductionSafe(loadConfig(platformSettings, { NODE_ENV: 'production' }))).toThrow(
      /AUTH_PUBLIC_KEYS/,
    );
    expect(() => assertProductionSafe({ NODE_ENV: 'production', ...personalDataKeys({ NODE_ENV: 'test' }) })).toThrow(
      /PII_ENCRYPTION_KEY/,
    );
  });

  it('PII keys: a process that never opens ID numbers needs none; one that does needs real ones in production', () => {
    expect(loadConfig(personalDataSettings, {})).toEqual({ PII_ENCRYPTION_KEY: undefined, PII_HASH_KEY: undefined });
    expect(() => personalDataKeys({ NODE_ENV: 'production' })).toThrow(/PII_ENCRYPTION_KEY: required/);
    expect(() =>
      personalDataKeys({ NODE_ENV: 'production', ...personalDataKeys({ NODE_ENV: 'development' }) }),
    ).toThrow(/development key/);
    const real = { PII_ENCRYPTION_KEY: 'ab'.repeat(32), PII_HASH_KEY: 'cd'.repeat(32) };
    expect(personalDataKeys({ NODE_ENV: 'production', ...real })).toEqual(real);
  });

  it('upload key and hash key: required in production, never the development ones, validated as 64 hex digits', () => {
    expect(() => uploadSealingKey({ NODE_ENV: 'production' })).toThrow(/UPLOAD_SEALING_KEY: required/);
    expect(() =>
      uploadSealingKey({ NODE_ENV: 'production', UPLOAD_SEALING_KEY: uploadSealingKey({ NODE_ENV: 'test' }) }),
    ).toThrow(/development key/);
    expect(uploadSealingKey({ NODE_ENV: 'production', UPLOAD_SEALING_KEY: 'ef'.repeat(32) })).toBe('ef'.repeat(32));
    expect(() => lookupHashKey({ NODE_ENV: 'production' })).toThrow(/PII_HASH_KEY: required/);
    expect(lookupHashKey({ NODE_ENV: 'production', PII_HASH_KEY: 'cd'.repeat(32) })).toBe('cd'.repeat(32));
    expect(() => loadConfig(uploadSettings, { UPLOAD_SEALING_KEY: 'not-hex' })).toThrow(
      /UPLOAD_SEALING_KEY="not-hex": must be 64 hex digits/,
    );
    // The upload key opens what it sealed, and nothing sealed with the ID numbers' key.
    const sealer = new UploadSealer('ef'.repeat(32));
    expect(sealer.open(sealer.seal(Buffer.from('身份证号')))).toEqual(Buffer.from('身份证号'));
    const vault = new PersonalDataVault({ PII_ENCRYPTION_KEY: 'ab'.repeat(32), PII_HASH_KEY: 'cd'.repeat(32) });
    expect(() => sealer.open(vault.seal('530627198503121231'))).toThrow();
    expect(new LookupHasher('cd'.repeat(32)).lookupHash('530627198503121231')).toEqual(
      vault.lookupHash('530627198503121231'),
    );
  });

  it('safe default: no NODE_ENV is production (development is opt-in) and refuses the development keys', () => {
    const c = loadConfig(platformSettings, {});
    expect(c.NODE_ENV).toBe('production');
    expect(() => assertProductionSafe(c)).toThrow(ConfigError);
    expect(loadConfig(platformSettings, { NODE_ENV: 'development' }).NODE_ENV).toBe('development');
  });

  it('shares no secret with every process: the signing key and the PII keys are separate settings', () => {
    const shared = Object.keys(platformSettings);
    for (const key of [
      'AUTH_PRIVATE_KEY',
      'AUTH_JWT_SECRET',
      'PII_ENCRYPTION_KEY',
      'PII_HASH_KEY',
      'UPLOAD_SEALING_KEY',
    ])
      expect(shared).not.toContain(key);
  });
});
