import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALERTS_TOPIC_V1, EVENTS_TOPIC_V1, SARWATCH_DEPLOYMENT_DEFAULTS } from '@sarwatch/core';
import { EnricherConfigSchema, parseEnricherConfig } from '@sarwatch/enricher';
import { NotifierConfigSchema, parseNotifierConfig } from '@sarwatch/notifier';
import { afterAll, describe, expect, it } from 'vitest';
// The reconciler's package exports its commands only; its configuration parser is read from the source.
import { parseReconcilerConfig, ReconcilerConfigSchema } from '../../services/reconciler/src/config.js';

// The Helm chart against the services' own code: every variable it sets is one the service reads, and the
// environment each rendered Deployment gets passes the service's configuration parser (a service refuses a bad one
// at start with exit code 2). Rendering needs Helm (.ci/check-helm.sh installs it) and Python's PyYAML to turn
// Helm's YAML into JSON; without them those tests are skipped, and .ci/check-helm.sh still checks the manifests.

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const chart = here('./sarwatch');

function findHelm(): string | null {
  const candidates = [process.env.HELM, 'helm'];
  try {
    const gopath = execFileSync('go', ['env', 'GOPATH'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    candidates.push(join(gopath.trim().split(':')[0] ?? '', 'bin', 'helm'));
  } catch {
    // no Go: only a helm on PATH or in HELM
  }
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      execFileSync(candidate, ['version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

function hasPyYaml(): boolean {
  try {
    execFileSync('python3', ['-c', 'import yaml'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const helm = findHelm();
const canRender = helm !== null && hasPyYaml();

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Manifest {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: {
    template?: {
      metadata: { labels: Record<string, string> };
      spec: { containers: { name: string; args: string[]; env: EnvVar[] }[] };
    };
  };
}

function render(valuesFile?: string, ...set: string[]): Manifest[] {
  const args = ['template', 'sarwatch', chart, '--namespace', 'sarwatch'];
  if (valuesFile) args.push('-f', join(chart, valuesFile));
  for (const value of set) args.push('--set', value);
  const yaml = execFileSync(helm as string, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const json = execFileSync(
    'python3',
    ['-c', 'import json, sys, yaml; print(json.dumps([d for d in yaml.safe_load_all(sys.stdin) if d]))'],
    { input: yaml, encoding: 'utf8' },
  );
  return JSON.parse(json) as Manifest[];
}

const deployments = (manifests: Manifest[]) =>
  manifests
    .filter((m) => m.kind === 'Deployment')
    .map((m) => {
      const template = m.spec?.template;
      const container = template?.spec.containers[0];
      if (!template || !container) throw new Error(`${m.metadata.name}: no pod template`);
      return { component: template.metadata.labels['app.kubernetes.io/component'], container };
    });

// Stand-ins for what the cluster provides: the files mounted from Secrets and ConfigMaps, and the webhook URL.
const mounted = mkdtempSync(join(tmpdir(), 'sarwatch-chart-'));
afterAll(() => rmSync(mounted, { recursive: true, force: true }));
const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function environment(env: EnvVar[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const variable of env) {
    // No secret reaches the environment: the chart mounts every one as a file.
    expect(variable.valueFrom?.secretKeyRef).toBeUndefined();
    const value = variable.value ?? '';
    if (variable.name === 'ALERT_RULES_FILE') {
      out[variable.name] = here('../alerts/sar-rules.json');
    } else if (variable.name.endsWith('_FILE')) {
      const file = join(mounted, variable.name);
      const contents: Record<string, string> = {
        KAFKA_SASL_PASSWORD_FILE: 'password\n',
        WEBHOOK_URL_FILE: 'https://hooks.slack.example/services/T000/B000/XXXX\n',
      };
      writeFileSync(file, contents[variable.name] ?? pem);
      out[variable.name] = file;
    } else {
      out[variable.name] = value;
    }
  }
  return out;
}

const services = {
  enricher: { command: 'run', shape: EnricherConfigSchema.shape, parse: parseEnricherConfig },
  notifier: { command: 'notify', shape: NotifierConfigSchema.shape, parse: parseNotifierConfig },
  reconciler: { command: 'reconcile', shape: ReconcilerConfigSchema.shape, parse: parseReconcilerConfig },
} as const;

// Read by Node.js itself, not by sarwatch's parser; ci/all-values.yaml sets it through extraEnv.
const readByNode = new Set(['NODE_OPTIONS']);

describe('the Helm chart', () => {
  it('takes the Prometheus rules and the Grafana dashboard from infra/, through symbolic links', () => {
    for (const [link, target] of [
      ['./sarwatch/files/alerts.yml', '../prometheus/alerts.yml'],
      ['./sarwatch/files/sarwatch-dashboard.json', '../grafana/dashboards/sarwatch.json'],
    ] as const) {
      expect(lstatSync(here(link)).isSymbolicLink(), `${link} is a symbolic link`).toBe(true);
      expect(realpathSync(here(link))).toBe(realpathSync(here(target)));
    }
  });

  it.skipIf(!canRender).each([
    ['the default values', undefined],
    ['values-msk-iam.yaml', 'values-msk-iam.yaml'],
    ['every optional part', 'ci/all-values.yaml'],
    ['the rules as a ConfigMap', 'ci/configmap-rules-values.yaml'],
  ])(
    'gives each service, with %s, only variables it reads, and values its parser accepts',
    (_, valuesFile) => {
      const rendered = deployments(render(valuesFile));
      const optional = {
        'ci/all-values.yaml': ['enricher', 'notifier', 'reconciler'],
        'ci/configmap-rules-values.yaml': ['enricher', 'reconciler'],
      };
      expect(rendered.map((d) => d.component).sort()).toEqual(
        optional[valuesFile as keyof typeof optional] ?? ['enricher'],
      );
      for (const { component, container } of rendered) {
        const service = services[component as keyof typeof services];
        expect(container.args[0]).toBe(service.command);
        if (component !== 'reconciler') expect(container.args).toEqual([service.command]);
        const unknown = container.env
          .map((variable) => variable.name)
          .filter((name) => !(name in service.shape) && !readByNode.has(name));
        expect(unknown, `${component}: variables it does not read`).toEqual([]);
        const config = service.parse(environment(container.env));
        expect(config.METRICS_HOST).toBe('0.0.0.0');
      }
    },
  );

  it.skipIf(!canRender)('defaults to the names and settings the services and the infrastructure use', () => {
    const enricher = deployments(render()).find((d) => d.component === 'enricher');
    const env = Object.fromEntries((enricher?.container.env ?? []).map((v) => [v.name, v.value]));
    expect(env.KINESIS_STREAM_NAME).toBe(SARWATCH_DEPLOYMENT_DEFAULTS.streamName);
    expect(env.KAFKA_EVENTS_TOPIC).toBe(EVENTS_TOPIC_V1);
    expect(env.KAFKA_ALERTS_TOPIC).toBe(ALERTS_TOPIC_V1);
    // Where the chart repeats a service default, it is that default.
    const shape = EnricherConfigSchema.shape as Record<string, { parse(value: unknown): unknown }>;
    const sameAsService = [
      'KAFKA_DLQ_TOPIC',
      'KAFKA_EVENT_INDEX_TOPIC',
      'KAFKA_CHECKPOINT_TOPIC',
      'KAFKA_LEASE_TOPIC',
      'KAFKA_CREATE_TOPICS',
      'KAFKA_REPLICATION_FACTOR',
      'KAFKA_TOPIC_PARTITIONS',
      'SARWATCH_APPLICATION_NAME',
      'SHUTDOWN_TIMEOUT_MS',
      'METRICS_PORT',
      'LOG_LEVEL',
      'LOG_FORMAT',
      'AWS_REGION',
    ];
    for (const name of sameAsService) {
      expect(shape[name]?.parse(env[name]), name).toEqual(shape[name]?.parse(undefined));
    }
  });

  it.skipIf(!canRender)('runs the notifier with its own defaults when enabled', () => {
    const notifier = deployments(render('ci/all-values.yaml')).find((d) => d.component === 'notifier');
    const env = Object.fromEntries((notifier?.container.env ?? []).map((v) => [v.name, v.value]));
    const shape = NotifierConfigSchema.shape as Record<string, { parse(value: unknown): unknown }>;
    for (const name of [
      'KAFKA_ALERTS_TOPIC',
      'KAFKA_NOTIFIER_DLQ_TOPIC',
      'NOTIFIER_GROUP_ID',
      'METRICS_PORT',
    ]) {
      expect(shape[name]?.parse(env[name]), name).toEqual(shape[name]?.parse(undefined));
    }
  });

  const trail = [
    'reconciler.enabled=true',
    'reconciler.trail.bucket=audit-trail',
    'reconciler.trail.from=2026-12-01',
  ];

  it.skipIf(!canRender)(
    "runs the reconciler on the enricher's names, with `reconcile --every` on the trail",
    () => {
      const rendered = deployments(render(undefined, ...trail, 'reconciler.trail.prefix=audit/org'));
      const envOf = (component: string) =>
        Object.fromEntries(
          (rendered.find((d) => d.component === component)?.container.env ?? []).map((v) => [
            v.name,
            v.value,
          ]),
        );
      const reconciler = rendered.find((d) => d.component === 'reconciler')?.container;
      expect(reconciler?.args).toEqual([
        'reconcile',
        '--bucket',
        'audit-trail',
        '--prefix=audit/org',
        '--from',
        '2026-12-01',
        '--every',
        '1h',
        '--rule-state',
        'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
        '--repair',
      ]);
      // Whatever the enricher and the reconciler both read, they read the same: brokers, topics, stream, application.
      const enricher = envOf('enricher');
      const env = envOf('reconciler');
      const shared = Object.keys(enricher).filter(
        (name) => name in ReconcilerConfigSchema.shape && name !== 'METRICS_PORT',
      );
      expect(shared.length).toBeGreaterThan(10);
      for (const name of shared) expect(env[name], name).toBe(enricher[name]);
      // Where the chart repeats a reconciler default, it is that default.
      const shape = ReconcilerConfigSchema.shape as Record<string, { parse(value: unknown): unknown }>;
      for (const name of ['KAFKA_EVENT_INDEX_TOPIC', 'KINESIS_RETENTION_HOURS', 'METRICS_PORT']) {
        expect(shape[name]?.parse(env[name]), name).toEqual(shape[name]?.parse(undefined));
      }
      const manifests = render(undefined, ...trail);
      const accounts = manifests.filter((m) => m.kind === 'ServiceAccount').map((m) => m.metadata.name);
      expect(accounts.sort()).toEqual(['sarwatch', 'sarwatch-reconciler']);
      const without = deployments(render(undefined, ...trail, 'reconciler.trail.repair=false'));
      expect(without.find((d) => d.component === 'reconciler')?.container.args).not.toContain('--repair');
    },
  );

  it.skipIf(!canRender)('refuses a reconciler without its trail or its start, naming the setting', () => {
    for (const [missing, message] of [
      ['reconciler.trail.bucket=', 'reconciler.trail.bucket'],
      ['reconciler.trail.from=', 'reconciler.trail.from'],
      ['reconciler.trail.from=yesterday', "at '/reconciler/trail/from'"],
      ['reconciler.trail.every=0h', "at '/reconciler/trail/every'"],
    ] as const) {
      expect(() => render(undefined, ...trail, missing)).toThrow(message);
    }
  });
});
