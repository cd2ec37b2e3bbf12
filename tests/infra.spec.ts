import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { SERVICES, inboxQueueName } from '@anju/contracts';

const ROOT = path.resolve(__dirname, '..');
const K8S = path.join(ROOT, 'infra', 'k8s');
const read = (...p: string[]) => fs.readFileSync(path.join(ROOT, ...p), 'utf8');

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: any;
}
const manifests = (): K8sObject[] =>
  fs
    .readdirSync(K8S)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .flatMap((f) =>
      parseAllDocuments(fs.readFileSync(path.join(K8S, f), 'utf8'))
        .map((d) => d.toJS() as K8sObject)
        .filter(Boolean),
    );

/** Every metric family the code makes (kit, contracts, gateway): the names dashboards and alerts may use. */
function knownFamilies(): Set<string> {
  const sources = [
    'packages/kit/src/metrics.ts',
    'packages/kit/src/scheduler.ts',
    'packages/contracts/src/worker-metrics.ts',
    'gateway/src/subgraph-data-source.ts',
  ];
  return new Set(sources.flatMap((f) => [...read(f).matchAll(/\b(anju_[a-z_]*[a-z])\b/g)].map((m) => m[1])));
}
/** The metric names an expression reads (histogram series reduced to their family). */
const familiesIn = (expr: string) =>
  [...expr.matchAll(/\b((?:anju|process|nodejs)_[a-z_]+)\b/g)].map((m) => m[1].replace(/_(bucket|count|sum)$/, ''));

/**
 * infra/ checked without a cluster: every Kubernetes object against the API's schemas (Kubernetes
 * and KEDA, from the kubernetes-models packages), the autoscalers and disruption budgets against
 * the Deployments they name, and Prometheus's scrape config, alert rules and the Grafana dashboard
 * against the metric families the code serves.
 */
describe('infra manifests', () => {
  const objects = manifests();
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);

  it('are valid objects of their API version (schemas of Kubernetes and KEDA)', () => {
    const files = fs
      .readdirSync(K8S)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => path.join(K8S, f));
    let out: string;
    try {
      out = execFileSync(
        process.execPath,
        [path.join(ROOT, 'packages/devtools/src/infra/validate-manifests.mjs'), ...files],
        { cwd: ROOT, encoding: 'utf8' },
      );
    } catch (err) {
      throw new Error(`invalid manifests: ${(err as { stdout?: string }).stdout}`);
    }
    const { objects: valid, errors } = JSON.parse(out) as { objects: unknown[]; errors: string[] };
    expect(errors).toEqual([]);
    expect(valid.length).toBe(objects.length);
  });

  it('the validator refuses a malformed object', () => {
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'anju-infra-')), 'bad.yaml');
    fs.writeFileSync(
      bad,
      'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: x ' +
        '}\nspec: { scaleTargetRef: { kind: Deployment, name: x }, maxReplicas: many }\n',
    );
    try {
      expect(() =>
        execFileSync(process.execPath, [path.join(ROOT, 'packages/devtools/src/infra/validate-manifests.mjs'), bad], {
          encoding: 'utf8',
          stdio: 'pipe',
        }),
      ).toThrow();
    } finally {
      fs.rmSync(bad);
    }
  });

  it("docker-compose.yml is a valid Compose file to Docker's own Compose (`config`), its secrets required", () => {
    // Debian ships Compose 1.29 (.ci/run installs it), which predates the top-level `name` of today's Compose
    // spec: the file is checked without that one line. `config` reads and validates; it needs no engine.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-compose-'));
    try {
      const file = path.join(dir, 'docker-compose.yml');
      fs.writeFileSync(file, read('docker-compose.yml').replace(/^name: anju\n/m, ''));
      const config = (env: Record<string, string>) =>
        execFileSync('docker-compose', ['-f', file, '--project-directory', ROOT, '-p', 'anju', 'config', '-q'], {
          env: { PATH: process.env.PATH!, ...env },
          stdio: 'pipe',
          encoding: 'utf8',
        });
      const secrets = { POSTGRES_PASSWORD: 'p', DATABASE_APP_PASSWORD: 'a', REDIS_PASSWORD: 'r' };
      expect(() => config(secrets)).not.toThrow();
      // Without its passwords the file refuses to become a configuration, naming what is missing.
      expect(() => config({ ...secrets, REDIS_PASSWORD: '' })).toThrow(/REDIS_PASSWORD/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs every process from the compiled build with node (pnpm build writes dist/<entry>.js from <entry>.ts)', () => {
    const compose = parse(read('docker-compose.yml'), { merge: true }) as {
      services: Record<string, { command?: string[]; image?: string; build?: unknown }>;
    };
    const commands = [
      ...deployments.flatMap((d) =>
        (d.spec.template.spec.containers as { command: string[] }[]).map((c) => ({
          where: d.metadata.name,
          command: c.command,
        })),
      ),
      ...Object.entries(compose.services)
        .filter(([, s]) => s.image === 'anju:dev')
        .map(([name, s]) => ({ where: `compose ${name}`, command: s.command! })),
    ];
    // ten processes in each: the nine and governance's import worker
    expect(commands.length).toBeGreaterThanOrEqual(20);
    for (const { where, command } of commands) {
      expect({ where, command: command.slice(0, 2) }).toEqual({ where, command: ['node', '--enable-source-maps'] });
      const source = command[2].replace(/^dist\//, '').replace(/\.js$/, '.ts');
      expect({ where, source: fs.existsSync(path.join(ROOT, source)) }).toEqual({ where, source: true });
    }
    expect(read('infra/docker/Dockerfile')).toMatch(/^USER node$/m);
  });

  it('kustomization lists every manifest but the secret template', () => {
    const k = parse(fs.readFileSync(path.join(K8S, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    const files = fs
      .readdirSync(K8S)
      .filter((f) => f.endsWith('.yaml') && !['kustomization.yaml', 'secret.template.yaml'].includes(f));
    expect([...k.resources].sort()).toEqual(files.sort());
  });

  it('scales subgraphs, gateway by HPA, workers by KEDA on their events queue; budgets each for disruptions', () => {
    // Governance's import worker scales on its own queue, from zero (it relays and schedules nothing).
    const IMPORTS = 'governance-imports';
    const names = new Set(deployments.map((d) => d.metadata.name));
    expect(names.has(IMPORTS)).toBe(true);
    const apis = [...names].filter((n) => !n.endsWith('-worker') && n !== IMPORTS);
    const workers = [...names].filter((n) => n.endsWith('-worker'));
    expect(apis.sort()).toEqual(['employment-api', 'gateway', 'governance-api', 'matching-api', 'social-orgs-api']);

    const hpas = byKind('HorizontalPodAutoscaler');
    expect(hpas.map((h) => h.spec.scaleTargetRef.name).sort()).toEqual(apis.sort());
    for (const h of hpas) {
      expect(h.spec.scaleTargetRef).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' });
      expect(h.spec.minReplicas).toBeGreaterThanOrEqual(2);
    }

    const scaledObjects = byKind('ScaledObject');
    expect(scaledObjects.map((s) => s.spec.scaleTargetRef.name).sort()).toEqual([...workers, IMPORTS].sort());
    const auth = new Set(byKind('TriggerAuthentication').map((t) => t.metadata.name));
    const imports = scaledObjects.find((s) => s.spec.scaleTargetRef.name === IMPORTS)!;
    expect(imports.spec.triggers).toEqual([
      expect.objectContaining({
        type: 'redis',
        metadata: expect.objectContaining({ listName: 'anju:governance.imports:wait' }),
      }),
    ]);
    expect(auth.has(imports.spec.triggers[0].authenticationRef.name)).toBe(true);
    const scaled = scaledObjects.filter((s) => s !== imports);
    for (const s of scaled) {
      const service = SERVICES.find((sv) => `${sv}-worker` === s.spec.scaleTargetRef.name)!;
      expect(s.spec.minReplicaCount).toBeGreaterThanOrEqual(1); // the relay and the schedules live in the worker
      // BullMQ's wait list of the service's events queue under QUEUE_PREFIX (configmap: anju).
      expect(s.spec.triggers).toEqual([
        expect.objectContaining({
          type: 'redis',
          metadata: expect.objectContaining({ listName: `anju:${inboxQueueName(service)}:wait` }),
        }),
      ]);
      expect(auth.has(s.spec.triggers[0].authenticationRef.name)).toBe(true);
    }

    const pdbs = byKind('PodDisruptionBudget');
    for (const d of deployments) {
      const matching = pdbs.filter((p) =>
        Object.entries(p.spec.selector.matchLabels as Record<string, string>).every(
          ([k, v]) => d.spec.template.metadata.labels[k] === v,
        ),
      );
      expect({ deployment: d.metadata.name, budgets: matching.length }).toEqual({
        deployment: d.metadata.name,
        budgets: 1,
      });
    }
    // A budget matches exactly one Deployment's pods.
    for (const p of pdbs) {
      const matched = deployments.filter((d) =>
        Object.entries(p.spec.selector.matchLabels as Record<string, string>).every(
          ([k, v]) => d.spec.template.metadata.labels[k] === v,
        ),
      );
      expect({ pdb: p.metadata.name, deployments: matched.length }).toEqual({ pdb: p.metadata.name, deployments: 1 });
    }
  });

  it("Prometheus scrapes each pod on its /metrics port: the gateway's metrics port, never its public one", () => {
    const config = parse(read('infra/prometheus/prometheus.yml')) as {
      scrape_configs: { relabel_configs: { regex?: string; action?: string; source_labels?: string[] }[] }[];
      rule_files: string[];
    };
    const keep = config.scrape_configs[0].relabel_configs.find((r) =>
      r.source_labels?.includes('__meta_kubernetes_pod_container_port_name'),
    )!;
    const regex = new RegExp(`^(?:${keep.regex})$`);
    const scraped = deployments.flatMap((d) =>
      (d.spec.template.spec.containers as { ports: { name: string; containerPort: number }[] }[])
        .flatMap((c) =>
          c.ports.map((port) => ({ component: d.spec.template.metadata.labels['app.kubernetes.io/component'], port })),
        )
        .filter((x) => regex.test(`${x.component};${x.port.name}`))
        .map((x) => `${x.component}:${x.port.containerPort}`),
    );
    expect(scraped.sort()).toEqual([
      'employment-api:4002',
      'employment-worker:4102',
      'gateway:4100',
      'governance-api:4001',
      'governance-worker:4101',
      'matching-api:4004',
      'matching-worker:4104',
      'social-orgs-api:4003',
      'social-orgs-worker:4103',
    ]);
    expect(config.rule_files).toEqual(['alerts.yml']);
    const compose = parse(read('infra/prometheus/prometheus.compose.yml')) as {
      scrape_configs: { static_configs: { targets: string[] }[] }[];
    };
    expect(compose.scrape_configs[0].static_configs.flatMap((s) => s.targets)).toHaveLength(9);
  });

  it('alert rules cover what operators must be told, each on metric families the code serves', () => {
    const known = knownFamilies();
    const rules = (
      parse(read('infra/prometheus/alerts.yml')) as {
        groups: {
          rules: { alert: string; expr: string; labels: { severity: string }; annotations: { summary: string } }[];
        }[];
      }
    ).groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'AnjuOutboxStale',
        'AnjuDeadLetters',
        'AnjuQueueWaitHigh',
        'AnjuNightlyMonitoringFailed',
        'AnjuNightlyMonitoringMissed',
        'AnjuSchedulerMissing',
        'AnjuErrorRateHigh',
      ]),
    );
    for (const r of rules) {
      expect(['warning', 'critical']).toContain(r.labels.severity);
      expect(r.annotations.summary).toBeTruthy();
      const unknown = familiesIn(r.expr).filter((f) => f.startsWith('anju_') && !known.has(f));
      expect({ alert: r.alert, unknown }).toEqual({ alert: r.alert, unknown: [] });
    }
  });

  it('the Grafana dashboard reads only families the code serves, and shows every anju_ family', () => {
    const known = knownFamilies();
    const dash = JSON.parse(read('infra/grafana/anju-dashboard.json')) as {
      uid: string;
      panels: { title: string; targets?: { expr: string }[] }[];
    };
    expect(dash.uid).toBe('anju-operations');
    const used = new Set<string>();
    for (const p of dash.panels) {
      for (const t of p.targets ?? []) {
        for (const f of familiesIn(t.expr)) {
          used.add(f);
          if (f.startsWith('anju_'))
            expect({ panel: p.title, family: f, known: known.has(f) }).toEqual({
              panel: p.title,
              family: f,
              known: true,
            });
        }
      }
    }
    const shown = [...known].filter((f) => !used.has(f));
    expect(shown).toEqual([]);
  });
});
