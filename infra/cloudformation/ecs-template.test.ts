import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseEnricherConfig } from '@sarwatch/enricher';
import { SASL_MECHANISMS } from '@sarwatch/kafka';
import { parseNotifierConfig } from '@sarwatch/notifier';
import { describe, expect, it } from 'vitest';

const TEMPLATE_URL = new URL('./sarwatch-ecs.template.json', import.meta.url);
const TEMPLATE_TEXT = readFileSync(TEMPLATE_URL, 'utf8');
const template = JSON.parse(TEMPLATE_TEXT);
const first = JSON.parse(readFileSync(new URL('./sarwatch.template.json', import.meta.url), 'utf8'));

type Json = Record<string, unknown>;
interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
}
interface Container {
  Name: string;
  Image: string;
  Command: string[];
  Environment: { Name: string; Value: string }[];
  Secrets?: { Name: string; ValueFrom: string }[];
  HealthCheck: { Command: string[]; Interval: number; Timeout: number; Retries: number; StartPeriod: number };
  StopTimeout: number;
  Memory: string;
  PortMappings?: { ContainerPort: number }[];
  LogConfiguration: { LogDriver: string; Options: Record<string, string> };
}
interface Resource {
  Type: string;
  Condition?: string;
  Metadata?: Json;
  Properties: Json;
}

const ACCOUNT = '123456789012';
const PSEUDO = {
  'AWS::Region': 'eu-west-1',
  'AWS::AccountId': ACCOUNT,
  'AWS::Partition': 'aws',
  'AWS::StackName': 'audit',
};
const STREAM_ARN = `arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/sarwatch-sar-events`;
const PASSWORD_SECRET = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:AmazonMSK_sarwatch-AbCdEf`;
const WEBHOOK_SECRET = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:sarwatch/webhook-GhIjKl`;
const SECRETS_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const STREAM_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/5678abcd-12ab-34cd-56ef-1234567890ab`;
const REPOSITORY = `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/sarwatch`;
const CLUSTER = `arn:aws:kafka:eu-west-1:${ACCOUNT}:cluster/audit-kafka/0f1e2d3c-aaaa-bbbb-cccc-0123456789ab-2`;
const within = (kind: string, name: string) =>
  `arn:aws:kafka:eu-west-1:${ACCOUNT}:${kind}/audit-kafka/0f1e2d3c-aaaa-bbbb-cccc-0123456789ab-2/${name}`;

/** What an operator must give; everything else has a default. */
const REQUIRED = {
  ImageUri: `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/sarwatch:0.1.0`,
  Subnets: 'subnet-0a1b2c3d,subnet-0e1f2a3b',
  SecurityGroups: 'sg-0123abcd',
  StreamArn: STREAM_ARN,
  KafkaBrokers: 'b-1.audit.abc123.c2.kafka.eu-west-1.amazonaws.com:9096',
};
const SCRAM = {
  KafkaSaslMechanism: 'scram-sha-512',
  KafkaSaslUsername: 'sarwatch',
  KafkaSaslPasswordSecretArn: PASSWORD_SECRET,
};
const MSK_IAM = { KafkaSaslMechanism: 'aws-msk-iam', MskClusterArn: CLUSTER };
/** Every optional grant on at once (an MSK IAM stack has no password, so the password comes from SCRAM_ALL). */
const MSK_ALL = {
  ...MSK_IAM,
  WebhookUrlSecretArn: WEBHOOK_SECRET,
  SecretsKmsKeyArn: SECRETS_KEY,
  StreamKmsKeyArn: STREAM_KEY,
  ImageRepositoryArn: REPOSITORY,
};
const SCRAM_ALL = { ...SCRAM, WebhookUrlSecretArn: WEBHOOK_SECRET, SecretsKmsKeyArn: SECRETS_KEY };

const NO_VALUE = Symbol('AWS::NoValue');
const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/**
 * A template as CloudFormation would deploy it with these parameter values: conditions decided, resources and outputs
 * whose condition is false left out, intrinsic functions evaluated, AWS::NoValue removed. A Ref to a resource reads
 * `<Name>`, a Fn::GetAtt `<Name.Attribute>`.
 */
function deploy(tpl: Json, given: Record<string, string>) {
  const parameters = tpl.Parameters as Record<string, { Type: string; Default?: unknown }>;
  const values: Record<string, string | string[]> = { ...PSEUDO };
  for (const [name, parameter] of Object.entries(parameters)) {
    const value = given[name] ?? (parameter.Default === undefined ? undefined : String(parameter.Default));
    if (value === undefined) throw new Error(`parameter ${name} has no default and was not given`);
    values[name] = parameter.Type.startsWith('List<') ? value.split(',') : value;
  }
  const resources = (tpl.Resources ?? {}) as Record<string, Resource>;
  const conditions = (tpl.Conditions ?? {}) as Record<string, unknown>;
  const decided: Record<string, boolean> = {};
  const condition = (name: string): boolean => {
    if (!(name in conditions)) throw new Error(`no condition ${name}`);
    decided[name] ??= Boolean(evaluate(conditions[name]));
    return decided[name];
  };
  const ref = (name: string): unknown => {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name in values) return values[name];
    if (name in resources) return `<${name}>`;
    throw new Error(`Ref to unknown ${name}`);
  };
  const evaluate = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(evaluate).filter((item) => item !== NO_VALUE);
    if (node === null || typeof node !== 'object') return node;
    const entries = Object.entries(node);
    const [name, raw] = entries[0] ?? ['', undefined];
    if (entries.length === 1 && name === 'Condition' && typeof raw === 'string') return condition(raw);
    if (entries.length !== 1 || !(name === 'Ref' || name.startsWith('Fn::'))) {
      return Object.fromEntries(
        entries.map(([key, value]) => [key, evaluate(value)]).filter(([, value]) => value !== NO_VALUE),
      );
    }
    if (name === 'Fn::If') {
      const [test, yes, no] = raw as [string, unknown, unknown];
      return evaluate(condition(test) ? yes : no);
    }
    if (name === 'Fn::GetAtt') return `<${(raw as string[]).join('.')}>`;
    const arg = evaluate(raw);
    const args = Array.isArray(arg) ? arg : [];
    switch (name) {
      case 'Ref':
        return ref(String(arg));
      case 'Fn::Sub': {
        const [text, vars] = typeof arg === 'string' ? [arg, {}] : (arg as [string, Record<string, unknown>]);
        return text.replace(/\$\{([\w:.]+)\}/g, (_, key: string) => {
          if (key in vars) return String(vars[key]);
          return key.includes('.') ? `<${key}>` : String(ref(key));
        });
      }
      case 'Fn::Split':
        return String(args[1]).split(String(args[0]));
      case 'Fn::Join':
        return (args[1] as string[]).join(String(args[0]));
      case 'Fn::Select':
        return (args[1] as unknown[])[Number(args[0])];
      case 'Fn::Equals':
        return String(args[0]) === String(args[1]);
      case 'Fn::Not':
        return !args[0];
      case 'Fn::And':
        return args.every(Boolean);
      case 'Fn::Or':
        return args.some(Boolean);
      case 'Fn::Contains':
        return (args[0] as unknown[]).map(String).includes(String(args[1]));
      default:
        throw new Error(`${name} is not evaluated here`);
    }
  };
  const deployed: Record<string, Resource> = {};
  for (const [name, resource] of Object.entries(resources)) {
    if (resource.Condition === undefined || condition(resource.Condition)) {
      deployed[name] = evaluate(resource) as Resource;
    }
  }
  const outputs: Record<string, unknown> = {};
  for (const [name, output] of Object.entries((tpl.Outputs ?? {}) as Record<string, Json>)) {
    if (typeof output.Condition !== 'string' || condition(output.Condition)) {
      outputs[name] = evaluate(output.Value);
    }
  }
  /** The AssertDescription of each Rules assertion these parameters break. */
  const broken: string[] = [];
  for (const rule of Object.values((tpl.Rules ?? {}) as Record<string, Json>)) {
    if (rule.RuleCondition !== undefined && !evaluate(rule.RuleCondition)) continue;
    for (const assertion of rule.Assertions as { Assert: unknown; AssertDescription: string }[]) {
      if (!evaluate(assertion.Assert)) broken.push(assertion.AssertDescription);
    }
  }
  return { resources: deployed, outputs, broken };
}

const stack = (given: Record<string, string> = {}) => deploy(template, { ...REQUIRED, ...given });
function containerOf(resources: Record<string, Resource>, taskDefinition: string): Container {
  const definition = resources[taskDefinition];
  if (!definition) throw new Error(`${taskDefinition} is not deployed with these parameters`);
  return (definition.Properties.ContainerDefinitions as Container[])[0] as Container;
}
const environmentOf = (container: Container) =>
  Object.fromEntries(container.Environment.map(({ Name, Value }) => [Name, Value]));

/** What each role may do: role -> resource -> sorted actions, from its own policies and the policies naming it. */
function grants(resources: Record<string, Resource>) {
  const byRole: Record<string, Record<string, string[]>> = {};
  const add = (role: string, statements: Statement[]) => {
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      for (const resource of list(statement.Resource)) {
        const actions = [...(byRole[role]?.[resource] ?? []), ...list(statement.Action)];
        byRole[role] = { ...byRole[role], [resource]: [...new Set(actions)].sort() };
      }
    }
  };
  for (const [name, resource] of Object.entries(resources)) {
    if (resource.Type === 'AWS::IAM::Role') {
      byRole[name] ??= {};
      for (const policy of (resource.Properties.Policies ?? []) as { PolicyDocument: Json }[]) {
        add(name, policy.PolicyDocument.Statement as Statement[]);
      }
    }
    if (resource.Type === 'AWS::IAM::Policy') {
      for (const role of resource.Properties.Roles as string[]) {
        add(role.slice(1, -1), (resource.Properties.PolicyDocument as Json).Statement as Statement[]);
      }
    }
  }
  return byRole;
}

function statementsIn(node: unknown): Statement[] {
  if (Array.isArray(node)) return node.flatMap(statementsIn);
  if (node === null || typeof node !== 'object') return [];
  const statement = node as Partial<Statement>;
  const own = statement.Effect && statement.Action && statement.Resource ? [statement as Statement] : [];
  return [...own, ...Object.values(node).flatMap(statementsIn)];
}

describe('the ECS Fargate template', () => {
  it('stays under the 51,200 bytes CloudFormation takes as a template body', () => {
    expect(Buffer.byteLength(TEMPLATE_TEXT)).toBeLessThan(51_200);
  });

  it('takes the image, the network and the cluster as parameters', () => {
    const p = template.Parameters;
    expect(p.ImageUri.Default).toBeUndefined();
    expect(p.Subnets.Type).toBe('List<AWS::EC2::Subnet::Id>');
    expect(p.SecurityGroups.Type).toBe('List<AWS::EC2::SecurityGroup::Id>');
    expect(p.AssignPublicIp).toMatchObject({ Default: 'DISABLED', AllowedValues: ['DISABLED', 'ENABLED'] });

    const own = stack();
    expect(own.resources.Cluster?.Type).toBe('AWS::ECS::Cluster');
    expect(own.resources.EnricherService?.Properties).toMatchObject({
      Cluster: '<Cluster>',
      LaunchType: 'FARGATE',
      NetworkConfiguration: {
        AwsvpcConfiguration: {
          Subnets: ['subnet-0a1b2c3d', 'subnet-0e1f2a3b'],
          SecurityGroups: ['sg-0123abcd'],
          AssignPublicIp: 'DISABLED',
        },
      },
    });
    expect(own.outputs.ClusterName).toBe('<Cluster>');

    const shared = stack({ ClusterName: 'audit', WebhookUrlSecretArn: WEBHOOK_SECRET });
    expect(shared.resources.Cluster).toBeUndefined();
    expect(shared.resources.EnricherService?.Properties.Cluster).toBe('audit');
    expect(shared.resources.NotifierService?.Properties.Cluster).toBe('audit');
    expect(shared.outputs.ClusterName).toBe('audit');
    expect(containerOf(own.resources, 'EnricherTaskDefinition').Image).toBe(REQUIRED.ImageUri);
  });

  it('runs the enricher always, and the notifier only when a webhook secret is given', () => {
    const without = stack();
    const notifierParts = (names: string[]) => names.filter((name) => name.startsWith('Notifier'));
    expect(notifierParts(Object.keys(without.resources))).toEqual([]);
    expect(notifierParts(Object.keys(without.outputs))).toEqual([]);
    expect(containerOf(without.resources, 'EnricherTaskDefinition').Command).toEqual(['run']);
    expect(without.resources.EnricherService?.Properties.DesiredCount).toBe('2');

    const withWebhook = stack({ WebhookUrlSecretArn: WEBHOOK_SECRET });
    expect(notifierParts(Object.keys(withWebhook.resources)).sort()).toEqual([
      'NotifierExecutionRole',
      'NotifierLogGroup',
      'NotifierService',
      'NotifierTaskDefinition',
      'NotifierTaskRole',
    ]);
    expect(notifierParts(Object.keys(withWebhook.outputs)).sort()).toEqual([
      'NotifierExecutionRoleArn',
      'NotifierLogGroupName',
      'NotifierServiceArn',
      'NotifierServiceName',
      'NotifierTaskRoleArn',
    ]);
    expect(containerOf(withWebhook.resources, 'NotifierTaskDefinition').Command).toEqual(['notify']);
    expect(withWebhook.resources.NotifierService?.Properties.DesiredCount).toBe(1);
    for (const [name, resource] of Object.entries(template.Resources as Record<string, Resource>)) {
      if (name.startsWith('Notifier'))
        expect(['HasNotifier', 'NotifierUsesMskIam']).toContain(resource.Condition);
    }
  });

  it('gives the operator the names and ARNs to find each service, role and log group', () => {
    const { outputs } = stack({ WebhookUrlSecretArn: WEBHOOK_SECRET });
    expect(outputs).toEqual({
      ClusterName: '<Cluster>',
      EnricherServiceName: '<EnricherService.Name>',
      EnricherServiceArn: '<EnricherService>',
      EnricherTaskRoleArn: '<EnricherTaskRole.Arn>',
      EnricherExecutionRoleArn: '<EnricherExecutionRole.Arn>',
      EnricherLogGroupName: '<EnricherLogGroup>',
      NotifierServiceName: '<NotifierService.Name>',
      NotifierServiceArn: '<NotifierService>',
      NotifierTaskRoleArn: '<NotifierTaskRole.Arn>',
      NotifierExecutionRoleArn: '<NotifierExecutionRole.Arn>',
      NotifierLogGroupName: '<NotifierLogGroup>',
    });
  });
});

describe('secrets', () => {
  it('reach the containers through ECS secrets, from exactly the secrets given', () => {
    const scram = stack(SCRAM_ALL);
    expect(containerOf(scram.resources, 'EnricherTaskDefinition').Secrets).toEqual([
      { Name: 'KAFKA_SASL_PASSWORD', ValueFrom: PASSWORD_SECRET },
    ]);
    expect(containerOf(scram.resources, 'NotifierTaskDefinition').Secrets).toEqual([
      { Name: 'WEBHOOK_URL', ValueFrom: WEBHOOK_SECRET },
      { Name: 'KAFKA_SASL_PASSWORD', ValueFrom: PASSWORD_SECRET },
    ]);

    // MSK's AmazonMSK_ secrets hold JSON; ECS takes one key of it with <arn>:<json key>::.
    const jsonKey = stack({ ...SCRAM_ALL, KafkaSaslPasswordSecretJsonKey: 'password' });
    expect(containerOf(jsonKey.resources, 'EnricherTaskDefinition').Secrets).toEqual([
      { Name: 'KAFKA_SASL_PASSWORD', ValueFrom: `${PASSWORD_SECRET}:password::` },
    ]);

    const iam = stack(MSK_ALL);
    expect(containerOf(iam.resources, 'EnricherTaskDefinition').Secrets).toBeUndefined();
    expect(containerOf(iam.resources, 'NotifierTaskDefinition').Secrets).toEqual([
      { Name: 'WEBHOOK_URL', ValueFrom: WEBHOOK_SECRET },
    ]);
  });

  it('never appear in a plain environment variable', () => {
    const secretParameters = Object.keys(template.Parameters).filter((name) =>
      /^(KafkaSaslPassword|WebhookUrl)Secret/.test(name),
    );
    expect(secretParameters.sort()).toEqual([
      'KafkaSaslPasswordSecretArn',
      'KafkaSaslPasswordSecretJsonKey',
      'WebhookUrlSecretArn',
    ]);
    // In the template itself: no Environment entry refers to a secret parameter.
    for (const resource of Object.values(template.Resources as Record<string, Resource>)) {
      for (const definition of (resource.Properties.ContainerDefinitions ?? []) as Json[]) {
        const text = JSON.stringify(definition.Environment);
        for (const name of secretParameters) expect(text).not.toContain(name);
      }
    }
    for (const given of [SCRAM_ALL, { ...SCRAM_ALL, KafkaSaslPasswordSecretJsonKey: 'password' }, MSK_ALL]) {
      const { resources } = stack(given);
      for (const definition of ['EnricherTaskDefinition', 'NotifierTaskDefinition']) {
        const container = containerOf(resources, definition);
        const secretNames = (container.Secrets ?? []).map((secret) => secret.Name);
        for (const { Name, Value } of container.Environment) {
          expect(Name).not.toMatch(/PASSWORD|SECRET|TOKEN|WEBHOOK|KEY/);
          expect(secretNames).not.toContain(Name);
          expect(Value).not.toMatch(/secretsmanager|:secret:|hooks\.|https?:\/\//);
        }
      }
    }
  });
});

describe("the services' own configuration", () => {
  const fakeSecrets = {
    KAFKA_SASL_PASSWORD: 'not-the-real-one',
    WEBHOOK_URL: 'https://hooks.example.com/T0/B0/x',
  };
  const envWithSecrets = (container: Container) => ({
    ...environmentOf(container),
    ...Object.fromEntries(
      (container.Secrets ?? []).map(({ Name }) => [Name, fakeSecrets[Name as keyof typeof fakeSecrets]]),
    ),
  });

  it('accepts the environment and secrets each task definition gives', () => {
    const { resources } = stack({ ...SCRAM_ALL, KafkaSsl: 'true', TopicPrefix: 'prod.sarwatch.' });
    const enricher = parseEnricherConfig(envWithSecrets(containerOf(resources, 'EnricherTaskDefinition')));
    expect(enricher).toMatchObject({
      KINESIS_STREAM_NAME: 'sarwatch-sar-events',
      AWS_REGION: 'eu-west-1',
      KAFKA_BROKERS: [REQUIRED.KafkaBrokers],
      KAFKA_SSL: true,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'sarwatch',
      KAFKA_SASL_PASSWORD: 'not-the-real-one',
      KAFKA_EVENTS_TOPIC: 'prod.sarwatch.events.v1',
      KAFKA_LEASE_TOPIC: 'prod.sarwatch.leases.v1',
      SARWATCH_APPLICATION_NAME: 'sarwatch',
      METRICS_HOST: '127.0.0.1',
      METRICS_PORT: 9464,
      SHUTDOWN_TIMEOUT_MS: 25_000,
      LOG_FORMAT: 'json',
    });
    const notifier = parseNotifierConfig(envWithSecrets(containerOf(resources, 'NotifierTaskDefinition')));
    expect(notifier).toMatchObject({
      WEBHOOK_URL: fakeSecrets.WEBHOOK_URL,
      KAFKA_ALERTS_TOPIC: 'prod.sarwatch.alerts.v1',
      KAFKA_NOTIFIER_DLQ_TOPIC: 'prod.sarwatch.notifier.dlq.v1',
      NOTIFIER_GROUP_ID: 'sarwatch-notifier',
      METRICS_PORT: 9465,
      SHUTDOWN_TIMEOUT_MS: 25_000,
    });
  });

  it('offers the SASL mechanisms a task can use, and its Rules let through only settings both services accept', () => {
    const mechanisms = template.Parameters.KafkaSaslMechanism.AllowedValues as string[];
    // oauthbearer needs a token file kept fresh by a sidecar, which this template does not run.
    expect(mechanisms).toEqual(['', ...SASL_MECHANISMS.filter((mechanism) => mechanism !== 'oauthbearer')]);
    let deployable = 0;
    for (const KafkaSaslMechanism of mechanisms) {
      for (const KafkaSsl of ['true', 'false']) {
        for (const KafkaSaslUsername of ['', 'sarwatch']) {
          for (const KafkaSaslPasswordSecretArn of ['', PASSWORD_SECRET]) {
            for (const MskClusterArn of ['', CLUSTER]) {
              const given = {
                KafkaSaslMechanism,
                KafkaSsl,
                KafkaSaslUsername,
                KafkaSaslPasswordSecretArn,
                MskClusterArn,
                WebhookUrlSecretArn: WEBHOOK_SECRET,
              };
              const { resources, broken } = stack(given);
              const accepted = (parse: () => unknown) => {
                try {
                  parse();
                  return true;
                } catch {
                  return false;
                }
              };
              const enricher = envWithSecrets(containerOf(resources, 'EnricherTaskDefinition'));
              const notifier = envWithSecrets(containerOf(resources, 'NotifierTaskDefinition'));
              const servicesAccept =
                accepted(() => parseEnricherConfig(enricher)) &&
                accepted(() => parseNotifierConfig(notifier));
              // The one thing the services cannot see: MSK IAM needs the cluster ARN for its permissions.
              const mskConsistent = (KafkaSaslMechanism === 'aws-msk-iam') === (MskClusterArn !== '');
              expect({ given, deployable: broken.length === 0 }).toEqual({
                given,
                deployable: servicesAccept && mskConsistent,
              });
              if (broken.length === 0) deployable += 1;
            }
          }
        }
      }
    }
    // none + TLS/plaintext, aws-msk-iam with TLS and its cluster, each password mechanism with TLS or without.
    expect(deployable).toBe(2 + 1 + 3 * 2);
  });
});

describe('health, stopping and logs', () => {
  const both = stack({ WebhookUrlSecretArn: WEBHOOK_SECRET });
  const containers = [
    containerOf(both.resources, 'EnricherTaskDefinition'),
    containerOf(both.resources, 'NotifierTaskDefinition'),
  ];

  it('checks /healthz with node (the image has no curl) on the port each service serves it', () => {
    for (const container of containers) {
      const env = environmentOf(container);
      expect(env.METRICS_HOST).toBe('127.0.0.1');
      expect(container.HealthCheck.Command).toEqual([
        'CMD-SHELL',
        `node -e "fetch('http://127.0.0.1:${env.METRICS_PORT}/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"`,
      ]);
      expect(container.HealthCheck).toMatchObject({ Interval: 30, Timeout: 5, Retries: 3, StartPeriod: 60 });
      expect(container.PortMappings).toBeUndefined();
    }
    expect(containers.map((container) => environmentOf(container).METRICS_PORT)).toEqual(['9464', '9465']);

    const exposed = stack({ WebhookUrlSecretArn: WEBHOOK_SECRET, ExposeMetrics: 'true' });
    for (const [definition, port] of [
      ['EnricherTaskDefinition', 9464],
      ['NotifierTaskDefinition', 9465],
    ] as const) {
      const container = containerOf(exposed.resources, definition);
      expect(environmentOf(container).METRICS_HOST).toBe('0.0.0.0');
      expect(container.PortMappings).toEqual([{ Name: 'metrics', ContainerPort: port, Protocol: 'tcp' }]);
      // The check still goes to 127.0.0.1, which 0.0.0.0 includes.
      expect(container.HealthCheck.Command[1]).toContain(`http://127.0.0.1:${port}/healthz`);
    }
  });

  it('has a health check command that passes on 200 and fails on 503 or no answer', async () => {
    let status = 200;
    const server = createServer((request, response) => {
      response.writeHead(request.url === '/healthz' ? status : 404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const check = (command: string) =>
      new Promise<number | null>((resolve) => {
        spawn('sh', ['-c', command], { stdio: 'ignore' }).on('exit', resolve);
      });
    try {
      for (const container of containers) {
        const command = container.HealthCheck.Command[1] as string;
        const here = command.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${port}`);
        status = 200;
        expect(await check(here)).toBe(0);
        status = 503;
        expect(await check(here)).toBe(1);
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const closed = containers[0]?.HealthCheck.Command[1]?.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${port}`);
    expect(await check(closed ?? '')).toBe(1);
  });

  it('gives each service longer to stop than it gives itself to drain', () => {
    for (const container of containers) {
      const drainMs = Number(environmentOf(container).SHUTDOWN_TIMEOUT_MS);
      // Set explicitly, above the 9 s default, within the services' 60 s maximum.
      expect(drainMs).toBeGreaterThan(9_000);
      expect(drainMs).toBeLessThanOrEqual(60_000);
      expect(container.StopTimeout).toBeGreaterThan(drainMs / 1000);
      // Fargate's maximum.
      expect(container.StopTimeout).toBeLessThanOrEqual(120);
    }
  });

  it('logs to CloudWatch Logs, to a log group per service kept LogRetentionInDays', () => {
    expect(template.Parameters.LogRetentionInDays).toMatchObject({ Type: 'Number', Default: 30 });
    expect(template.Parameters.LogRetentionInDays.AllowedValues).toContain(30);
    const kept = stack({ WebhookUrlSecretArn: WEBHOOK_SECRET, LogRetentionInDays: '90' });
    for (const [service, prefix] of [
      ['Enricher', 'enricher'],
      ['Notifier', 'notifier'],
    ] as const) {
      expect(kept.resources[`${service}LogGroup`]?.Properties).toEqual({
        LogGroupName: `/sarwatch/audit/${prefix}`,
        RetentionInDays: '90',
      });
      const container = containerOf(kept.resources, `${service}TaskDefinition`);
      expect(container.LogConfiguration).toEqual({
        LogDriver: 'awslogs',
        Options: {
          'awslogs-group': `<${service}LogGroup>`,
          'awslogs-region': 'eu-west-1',
          'awslogs-stream-prefix': prefix,
          mode: 'non-blocking',
          'max-buffer-size': '25m',
        },
      });
      expect(environmentOf(container).LOG_FORMAT).toBe('json');
    }
  });
});

describe('sizing and scaling', () => {
  it("sizes the enricher from the benchmark's peak RSS, and says so", () => {
    const p = template.Parameters;
    expect([p.EnricherCpu.Default, p.EnricherMemory.Default]).toEqual(['512', 1024]);
    expect([p.NotifierCpu.Default, p.NotifierMemory.Default]).toEqual(['256', 512]);
    for (const figure of ['227 MiB', '343 MiB', '425 MiB'])
      expect(p.EnricherMemory.Description).toContain(figure);
    // Headroom: at least twice the worst peak measured (10x overload).
    expect(p.EnricherMemory.Default).toBeGreaterThanOrEqual(2 * 425);
    const { resources } = stack({ WebhookUrlSecretArn: WEBHOOK_SECRET });
    for (const service of ['Enricher', 'Notifier']) {
      const definition = resources[`${service}TaskDefinition`]?.Properties as Json;
      expect(definition).toMatchObject({
        RequiresCompatibilities: ['FARGATE'],
        NetworkMode: 'awsvpc',
        Cpu: p[`${service}Cpu`].Default,
        Memory: String(p[`${service}Memory`].Default),
      });
      // The one container may use the whole task: its hard limit is the task's memory.
      expect(containerOf(resources, `${service}TaskDefinition`).Memory).toBe(definition.Memory);
    }
  });

  it('scales the enricher on CPU only when EnricherMaxCount is set', () => {
    const fixed = stack();
    expect(fixed.resources.EnricherScalableTarget).toBeUndefined();
    expect(fixed.resources.EnricherCpuScaling).toBeUndefined();
    const scaled = stack({ EnricherDesiredCount: '2', EnricherMaxCount: '6' });
    expect(scaled.resources.EnricherScalableTarget?.Properties).toEqual({
      ServiceNamespace: 'ecs',
      ScalableDimension: 'ecs:service:DesiredCount',
      ResourceId: 'service/<Cluster>/<EnricherService.Name>',
      MinCapacity: '2',
      MaxCapacity: '6',
    });
    expect(scaled.resources.EnricherCpuScaling?.Properties).toMatchObject({
      PolicyType: 'TargetTrackingScaling',
      ScalingTargetId: '<EnricherScalableTarget>',
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
      },
    });
  });
});

describe('IAM, least privilege', () => {
  const KINESIS_READ = [
    'kinesis:DescribeStreamSummary',
    'kinesis:GetRecords',
    'kinesis:GetShardIterator',
    'kinesis:ListShards',
  ];
  // The log group's streams (and the group, in the ARN form with :* that CloudWatch Logs authorizes).
  const logGroup = (service: string) => `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:<${service}LogGroup>:*`;
  const ecrPull = {
    '*': ['ecr:GetAuthorizationToken'],
    [REPOSITORY]: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
  };

  it('reads the stream with the actions of EnricherReadPolicy in sarwatch.template.json', () => {
    const reference = first.Resources.EnricherReadPolicy.Properties.PolicyDocument.Statement as Statement[];
    const actions = reference.flatMap((statement) => list(statement.Action)).sort();
    expect(actions).toEqual([...KINESIS_READ, 'kms:Decrypt'].sort());
    const { resources } = stack();
    expect(grants(resources).EnricherTaskRole).toEqual({ [STREAM_ARN]: KINESIS_READ, '*': ['kms:Decrypt'] });
  });

  it('gives each role exactly what its service does, with every option on', () => {
    const scram = grants(stack(SCRAM_ALL).resources);
    expect(scram).toEqual({
      EnricherTaskRole: { [STREAM_ARN]: KINESIS_READ, '*': ['kms:Decrypt'] },
      NotifierTaskRole: {},
      EnricherExecutionRole: {
        [logGroup('Enricher')]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        [PASSWORD_SECRET]: ['secretsmanager:GetSecretValue'],
        [SECRETS_KEY]: ['kms:Decrypt'],
      },
      NotifierExecutionRole: {
        [logGroup('Notifier')]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        [WEBHOOK_SECRET]: ['secretsmanager:GetSecretValue'],
        [PASSWORD_SECRET]: ['secretsmanager:GetSecretValue'],
        [SECRETS_KEY]: ['kms:Decrypt'],
      },
    });

    const msk = grants(stack(MSK_ALL).resources);
    expect(msk.EnricherTaskRole?.[STREAM_ARN]).toEqual(KINESIS_READ);
    expect(msk.EnricherTaskRole?.[STREAM_KEY]).toEqual(['kms:Decrypt']);
    expect(msk.EnricherTaskRole?.['*']).toBeUndefined();
    expect(
      Object.keys(msk.NotifierTaskRole ?? {}).every((resource) => resource.startsWith('arn:aws:kafka:')),
    ).toBe(true);
    expect(msk.EnricherExecutionRole).toEqual({
      [logGroup('Enricher')]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      ...ecrPull,
    });
    expect(msk.NotifierExecutionRole).toEqual({
      [logGroup('Notifier')]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      [WEBHOOK_SECRET]: ['secretsmanager:GetSecretValue'],
      [SECRETS_KEY]: ['kms:Decrypt'],
      ...ecrPull,
    });

    // Without a notifier or a password, the enricher's execution role reads no secret and decrypts nothing.
    expect(
      grants(stack({ ...MSK_IAM, SecretsKmsKeyArn: SECRETS_KEY }).resources).EnricherExecutionRole,
    ).toEqual({
      [logGroup('Enricher')]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    });
  });

  it('grants no kinesis, kafka-cluster or secretsmanager action on "*", no wildcard action, KMS only via its service', () => {
    for (const given of [
      {},
      SCRAM_ALL,
      MSK_ALL,
      { ...MSK_ALL, KafkaCreateTopics: 'false', ClusterName: 'x' },
    ]) {
      const statements = statementsIn(stack(given).resources);
      expect(statements.length).toBeGreaterThan(0);
      for (const statement of statements) {
        if (statement.Action === 'sts:AssumeRole') continue;
        const actions = list(statement.Action);
        expect(actions.every((action) => !action.includes('*'))).toBe(true);
        if (!list(statement.Resource).includes('*')) continue;
        const scoped = actions.filter((action) =>
          /^(kinesis|kafka-cluster|secretsmanager|logs):/.test(action),
        );
        expect(scoped).toEqual([]);
        if (actions.includes('kms:Decrypt')) {
          expect(actions).toEqual(['kms:Decrypt']);
          expect(statement.Condition).toEqual({
            StringEquals: { 'kms:ViaService': 'kinesis.eu-west-1.amazonaws.com' },
          });
        } else {
          // ECR authentication has no resource-level permission.
          expect(actions).toEqual(['ecr:GetAuthorizationToken']);
        }
      }
      const keyed = statements.filter((statement) => list(statement.Action).includes('kms:Decrypt'));
      for (const statement of keyed)
        expect(Object.keys(statement.Condition?.StringEquals ?? {})).toEqual(['kms:ViaService']);
    }
  });

  it('lets ECS tasks assume the roles; the task roles only for tasks of this account', () => {
    const { resources } = stack({ WebhookUrlSecretArn: WEBHOOK_SECRET });
    const roles = Object.entries(resources).filter(([, resource]) => resource.Type === 'AWS::IAM::Role');
    expect(roles.map(([name]) => name).sort()).toEqual([
      'EnricherExecutionRole',
      'EnricherTaskRole',
      'NotifierExecutionRole',
      'NotifierTaskRole',
    ]);
    for (const [name, role] of roles) {
      const [trust, ...others] = (role.Properties.AssumeRolePolicyDocument as Json).Statement as Json[];
      expect(others).toEqual([]);
      expect(trust).toMatchObject({
        Effect: 'Allow',
        Principal: { Service: 'ecs-tasks.amazonaws.com' },
        Action: 'sts:AssumeRole',
      });
      // ECS documents the confused-deputy conditions for task roles; the execution role keeps AWS's own trust policy.
      expect(trust?.Condition).toEqual(
        name.endsWith('TaskRole')
          ? {
              ArnLike: { 'aws:SourceArn': `arn:aws:ecs:eu-west-1:${ACCOUNT}:*` },
              StringEquals: { 'aws:SourceAccount': ACCOUNT },
            }
          : undefined,
      );
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('splits the MskAccessPolicy of sarwatch.template.json between the two task roles, nothing more', () => {
    const names = {
      ApplicationName: 'audit',
      TopicPrefix: 'prod.sarwatch.',
      NotifierGroupId: 'audit-notifier',
    };
    const ours = grants(
      stack({ ...MSK_ALL, ...names, StreamArn: `arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/sar-prod` })
        .resources,
    );
    const kafkaOnly = (byResource: Record<string, string[]> = {}) =>
      Object.fromEntries(
        Object.entries(byResource).filter(([resource]) => resource.startsWith('arn:aws:kafka:')),
      );
    const enricher = kafkaOnly(ours.EnricherTaskRole);
    const notifier = kafkaOnly(ours.NotifierTaskRole);
    const union: Record<string, string[]> = { ...enricher };
    for (const [resource, actions] of Object.entries(notifier)) {
      union[resource] = [...new Set([...(union[resource] ?? []), ...actions])].sort();
    }
    const reference = grants({
      Reference: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Policies: [
            deploy(first, { ...names, StreamName: 'sar-prod', MskClusterArn: CLUSTER }).resources
              .MskAccessPolicy?.Properties,
          ],
        },
      },
    }).Reference;
    expect(union).toEqual(reference);

    const connect = [
      'kafka-cluster:Connect',
      'kafka-cluster:DescribeCluster',
      'kafka-cluster:WriteDataIdempotently',
    ];
    expect(notifier).toEqual({
      [CLUSTER]: connect,
      [within('topic', 'prod.sarwatch.alerts.v1')]: ['kafka-cluster:DescribeTopic', 'kafka-cluster:ReadData'],
      [within('topic', 'prod.sarwatch.notifier.dlq.v1')]: [
        'kafka-cluster:CreateTopic',
        'kafka-cluster:DescribeTopic',
        'kafka-cluster:WriteData',
      ],
      [within('group', 'audit-notifier')]: ['kafka-cluster:AlterGroup', 'kafka-cluster:DescribeGroup'],
    });
    expect(Object.keys(enricher).sort()).toEqual(
      [
        CLUSTER,
        ...['events.v1', 'alerts.v1', 'dlq.v1', 'checkpoints.v1', 'leases.v1'].map((topic) =>
          within('topic', `prod.sarwatch.${topic}`),
        ),
        within('group', 'audit.sar-prod.owners'),
        within('group', 'audit.checkpoint-view.*'),
        within('transactional-id', 'audit|sar-prod|*'),
      ].sort(),
    );
  });

  it("names in the services' environment the topics, groups and stream their permissions name", () => {
    const { resources } = stack({
      ...MSK_ALL,
      ApplicationName: 'audit',
      TopicPrefix: 'prod.sarwatch.',
      NotifierGroupId: 'audit-notifier',
    });
    const enricher = environmentOf(containerOf(resources, 'EnricherTaskDefinition'));
    const notifier = environmentOf(containerOf(resources, 'NotifierTaskDefinition'));
    const byRole = grants(resources);
    const topicsOf = (role: string) =>
      Object.keys(byRole[role] ?? {})
        .filter((resource) => resource.includes(':topic/'))
        .map((resource) => resource.split('/').at(-1))
        .sort();
    expect(topicsOf('EnricherTaskRole')).toEqual(
      [
        enricher.KAFKA_EVENTS_TOPIC,
        enricher.KAFKA_ALERTS_TOPIC,
        enricher.KAFKA_DLQ_TOPIC,
        enricher.KAFKA_CHECKPOINT_TOPIC,
        enricher.KAFKA_LEASE_TOPIC,
      ].sort(),
    );
    expect(topicsOf('NotifierTaskRole')).toEqual(
      [notifier.KAFKA_ALERTS_TOPIC, notifier.KAFKA_NOTIFIER_DLQ_TOPIC].sort(),
    );
    expect(byRole.NotifierTaskRole).toHaveProperty([within('group', notifier.NOTIFIER_GROUP_ID as string)]);
    expect(byRole.EnricherTaskRole).toHaveProperty([
      within('group', `${enricher.SARWATCH_APPLICATION_NAME}.${enricher.KINESIS_STREAM_NAME}.owners`),
    ]);
  });

  it('grants no CreateTopic when the services do not create topics', () => {
    const { resources } = stack({ ...MSK_ALL, KafkaCreateTopics: 'false' });
    expect(environmentOf(containerOf(resources, 'EnricherTaskDefinition')).KAFKA_CREATE_TOPICS).toBe('false');
    const actions = statementsIn(resources).flatMap((statement) => list(statement.Action));
    expect(actions).toContain('kafka-cluster:WriteData');
    expect(actions).not.toContain('kafka-cluster:CreateTopic');
  });

  it('starts each service only once the policies attached to its roles exist', () => {
    const { resources } = stack({ ...SCRAM_ALL, ImageRepositoryArn: REPOSITORY });
    const { resources: msk } = stack(MSK_ALL);
    for (const [all, service, roles] of [
      [resources, 'EnricherService', ['EnricherTaskRole', 'EnricherExecutionRole']],
      [resources, 'NotifierService', ['NotifierTaskRole', 'NotifierExecutionRole']],
      [msk, 'EnricherService', ['EnricherTaskRole', 'EnricherExecutionRole']],
      [msk, 'NotifierService', ['NotifierTaskRole', 'NotifierExecutionRole']],
    ] as const) {
      const attached = Object.entries(all)
        .filter(([, resource]) => resource.Type === 'AWS::IAM::Policy')
        .filter(([, resource]) =>
          (resource.Properties.Roles as string[]).some((role) =>
            (roles as readonly string[]).includes(role.slice(1, -1)),
          ),
        )
        .map(([name]) => `<${name}>`);
      expect(attached.length).toBeGreaterThan(0);
      const waitsFor = ((all[service]?.Metadata?.WaitsForPolicies ?? []) as string[]).filter(
        (name) => name !== '',
      );
      // Every policy naming its roles; waiting for one more that exists (another role's) costs nothing.
      expect(waitsFor).toEqual(expect.arrayContaining(attached));
      for (const name of waitsFor) expect(all[name.slice(1, -1)]?.Type).toBe('AWS::IAM::Policy');
    }
  });
});
