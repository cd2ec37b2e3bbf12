import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { ConfigError, assertProductionSafe, loadConfig, platformSettings } from '@anju/kit';
import { REPO_ROOT } from '@anju/testing';
import { NODE_OPTIONS_BY_PROCESS, SERVICES, workerNodeOptions } from '@anju/contracts';

/** The processes that import spreadsheets: they seal the uploaded sheet with UPLOAD_SEALING_KEY. */
const SHEET_IMPORTERS = ['governance-api', 'governance-imports', 'employment-api', 'matching-api'];
/** The processes that seal and open ID numbers: governance's subgraph and its import worker, no other. */
const ID_SEALERS = ['governance-api', 'governance-imports'];
/** The processes that find residents by the keyed hash of an ID number: the sealers, employment's and matching's. */
const ID_HASHERS = [...ID_SEALERS, 'employment-api', 'matching-api'];

/**
 * Safe defaults (issue 14, item 7): what ships must be safe when nobody sets anything. A process
 * with no NODE_ENV is production; compose and the Kubernetes manifests protect Redis with a
 * password, publish only the gateway, and give the PII keys to governance alone.
 */
type ComposeService = { ports?: string[]; environment?: Record<string, string>; command?: string[] };
const compose = parse(readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const k8sDir = path.join(REPO_ROOT, 'infra', 'k8s');
const manifests = readdirSync(k8sDir)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) =>
    parseAllDocuments(readFileSync(path.join(k8sDir, f), 'utf8')).map((d) => ({
      file: f,
      doc: d.toJS() as Record<string, any>,
    })),
  );

describe('safe defaults', () => {
  it('a process with no NODE_ENV is production and will not boot on the development keys', () => {
    const config = loadConfig(platformSettings, {});
    expect(config.NODE_ENV).toBe('production');
    expect(() => assertProductionSafe(config)).toThrow(ConfigError);
  });

  it('compose publishes only the gateway', () => {
    const published = Object.entries(compose.services)
      .filter(([, s]) => s.ports?.length)
      .map(([name]) => name);
    expect(published).toEqual(['gateway']);
  });

  it('compose: Redis requires a password, every process connects with it, and NODE_ENV defaults to production', () => {
    const redis = compose.services.redis;
    expect(redis.command?.join(' ')).toMatch(/--requirepass \$\{REDIS_PASSWORD:\?/);
    for (const [name, s] of Object.entries(compose.services)) {
      if (!s.environment?.REDIS_URL) continue;
      expect([name, s.environment.REDIS_URL]).toEqual([
        name,
        expect.stringMatching(/^redis:\/\/:\$\{REDIS_PASSWORD:\?[^}]*\}@redis:6379$/),
      ]);
      expect([name, s.environment.NODE_ENV]).toEqual([name, '${NODE_ENV:-production}']);
    }
  });

  // And no signing key anywhere.
  it('compose and Kubernetes: the ID-number key in governance only, the upload key where imports run', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      const keys = Object.keys(s.environment ?? {});
      const holds = {
        sealsIds: keys.includes('PII_ENCRYPTION_KEY'),
        hashes: keys.includes('PII_HASH_KEY'),
        uploads: keys.includes('UPLOAD_SEALING_KEY'),
      };
      expect([name, holds]).toEqual([
        name,
        {
          sealsIds: ID_SEALERS.includes(name),
          hashes: ID_HASHERS.includes(name),
          uploads: SHEET_IMPORTERS.includes(name),
        },
      ]);
      expect(keys.filter((k) => /PRIVATE_KEY|JWT_SECRET/.test(k))).toEqual([]);
    }
    for (const { doc } of manifests.filter((m) => m.doc.kind === 'Deployment')) {
      const name: string = doc.metadata.name;
      const containers: any[] = doc.spec.template.spec.containers;
      const refs = containers.flatMap((c) => (c.envFrom ?? []).map((e: any) => e.secretRef?.name).filter(Boolean));
      const keyRefs = containers
        .flatMap((c) => (c.env ?? []).map((e: any) => e.valueFrom?.secretKeyRef).filter(Boolean))
        .map((r: { name: string; key: string }) => `${r.name}/${r.key}`);
      const holds = {
        sealsIds: refs.includes('anju-pii'),
        hashes: refs.includes('anju-pii') || keyRefs.includes('anju-pii/PII_HASH_KEY'),
        uploads: refs.includes('anju-uploads'),
      };
      expect([name, holds]).toEqual([
        name,
        {
          sealsIds: ID_SEALERS.includes(name),
          hashes: ID_HASHERS.includes(name),
          uploads: SHEET_IMPORTERS.includes(name),
        },
      ]);
    }
    const text = manifests.map((m) => JSON.stringify(m.doc)).join('\n');
    expect(text).not.toMatch(/AUTH_PRIVATE_KEY|AUTH_JWT_SECRET/);
  });

  it('Kubernetes: production, Redis reached with a password, public keys only', () => {
    const config = manifests.find((m) => m.doc.kind === 'ConfigMap')!.doc.data;
    expect(config.NODE_ENV).toBe('production');
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.AUTH_PUBLIC_KEYS).toBeDefined();
    const secrets = parseAllDocuments(readFileSync(path.join(k8sDir, 'secret.template.yaml'), 'utf8')).map((d) =>
      d.toJS(),
    );
    expect(secrets.find((s) => s.metadata.name === 'anju-secrets').stringData.REDIS_URL).toMatch(/^redis:\/\/:[^@]+@/);
  });

  it('compose and Kubernetes: every service runs as its own login; only workers (which migrate) hold the owner', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      const service = /^(.*)-(api|worker)$/.exec(name);
      if (!service) continue;
      expect([name, s.environment?.DATABASE_URL]).toEqual([
        name,
        expect.stringMatching(new RegExp(`^postgres://${service[1].replace('-', '_')}_app:`)),
      ]);
      expect([name, 'DATABASE_OWNER_URL' in (s.environment ?? {})]).toEqual([name, service[2] === 'worker']);
    }
    for (const { doc } of manifests.filter((m) => m.doc.kind === 'Deployment')) {
      const name: string = doc.metadata.name;
      const refs = doc.spec.template.spec.containers.flatMap((c: any) =>
        (c.envFrom ?? []).map((e: any) => e.secretRef?.name).filter(Boolean),
      );
      expect([name, refs.includes('anju-db-owner')]).toEqual([name, name.endsWith('-worker')]);
      if (name !== 'gateway')
        expect([name, refs.includes(`anju-db-${name.replace(/-(api|worker|imports)$/, '')}`)]).toEqual([name, true]);
    }
  });

  it("compose and Kubernetes bound the V8 heap of every process as the contract's NODE_OPTIONS_BY_PROCESS does", () => {
    // The import worker checks a county's sheet in memory (~80 MiB live): a larger bound of its own.
    const expected = [
      ...SERVICES.map((s) => [`${s}-api`, NODE_OPTIONS_BY_PROCESS.api]),
      ...SERVICES.map((s) => [`${s}-worker`, workerNodeOptions(s)]),
      ['gateway', NODE_OPTIONS_BY_PROCESS.gateway],
      ['governance-imports', NODE_OPTIONS_BY_PROCESS['import-worker']],
    ].sort();
    const inCompose = Object.entries(compose.services)
      .filter(([, s]) => s.environment?.NODE_OPTIONS)
      .map(([name, s]) => [name, s.environment!.NODE_OPTIONS]);
    expect(inCompose.sort()).toEqual(expected);
    const inK8s = manifests
      .filter((m) => m.doc.kind === 'Deployment')
      .flatMap((m) =>
        (m.doc.spec.template.spec.containers as { env?: { name: string; value: string }[] }[]).flatMap((c) =>
          (c.env ?? []).filter((e) => e.name === 'NODE_OPTIONS').map((e) => [m.doc.metadata.name, e.value]),
        ),
      );
    expect(inK8s.sort()).toEqual(expected);
  });
});
