/**
 * What the tests of sarwatch-ecs.template.json and sarwatch-ecs-reconciler.template.json share: the templates, the
 * parameter sets they deploy them with, and the helpers that read containers and IAM grants out of a deployment.
 * Test support only, not shipped.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { deploy, type Json, type Resource } from './evaluate-template.js';

export type { Json, Resource } from './evaluate-template.js';

export const TEMPLATE_TEXT = readFileSync(new URL('../sarwatch-ecs.template.json', import.meta.url), 'utf8');
export const template = JSON.parse(TEMPLATE_TEXT);
/** The reconciler's template, deployed beside the ECS services with many of the same parameters. */
export const RECONCILER_TEMPLATE_TEXT = readFileSync(
  new URL('../sarwatch-ecs-reconciler.template.json', import.meta.url),
  'utf8',
);
export const reconcilerTemplate = JSON.parse(RECONCILER_TEMPLATE_TEXT);
/** The first template, sarwatch.template.json, whose IAM policies the ECS task roles follow. */
export const first = JSON.parse(readFileSync(new URL('../sarwatch.template.json', import.meta.url), 'utf8'));

export interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
}
export interface Container {
  Name: string;
  Image: string;
  Command: string[];
  Environment: { Name: string; Value: string }[];
  Secrets?: { Name: string; ValueFrom: string }[];
  HealthCheck: { Command: string[]; Interval: number; Timeout: number; Retries: number; StartPeriod: number };
  StopTimeout: number;
  LinuxParameters?: Json;
  Memory: string;
  PortMappings?: { ContainerPort: number }[];
  LogConfiguration: { LogDriver: string; Options: Record<string, string> };
}

export const ACCOUNT = '123456789012';
export const PSEUDO = {
  'AWS::Region': 'eu-west-1',
  'AWS::AccountId': ACCOUNT,
  'AWS::Partition': 'aws',
  'AWS::StackName': 'audit',
};
export const STREAM_ARN = `arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/sarwatch-sar-events`;
export const PASSWORD_SECRET = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:AmazonMSK_sarwatch-AbCdEf`;
export const WEBHOOK_SECRET = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:sarwatch/webhook-GhIjKl`;
export const SECRETS_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const STREAM_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/5678abcd-12ab-34cd-56ef-1234567890ab`;
export const TRAIL_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/9abcabcd-12ab-34cd-56ef-1234567890ab`;
export const REPOSITORY = `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/sarwatch`;
export const CLUSTER = `arn:aws:kafka:eu-west-1:${ACCOUNT}:cluster/audit-kafka/0f1e2d3c-aaaa-bbbb-cccc-0123456789ab-2`;
export const within = (kind: string, name: string) =>
  `arn:aws:kafka:eu-west-1:${ACCOUNT}:${kind}/audit-kafka/0f1e2d3c-aaaa-bbbb-cccc-0123456789ab-2/${name}`;

/** What an operator must give; everything else has a default. */
export const REQUIRED = {
  ImageUri: `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/sarwatch:0.1.0`,
  Subnets: 'subnet-0a1b2c3d,subnet-0e1f2a3b',
  SecurityGroups: 'sg-0123abcd',
  StreamArn: STREAM_ARN,
  KafkaBrokers: 'b-1.audit.abc123.c2.kafka.eu-west-1.amazonaws.com:9096',
};
/** What the reconciler's template needs beyond the ECS template's required parameters. */
export const RECONCILER_REQUIRED = {
  ...REQUIRED,
  ClusterName: 'audit-sarwatch',
  TrailBucket: 'audit-trail-123456789012',
  ReconcileFrom: '2026-12-01',
};
const SCRAM = {
  KafkaSaslMechanism: 'scram-sha-512',
  KafkaSaslUsername: 'sarwatch',
  KafkaSaslPasswordSecretArn: PASSWORD_SECRET,
};
export const MSK_IAM = { KafkaSaslMechanism: 'aws-msk-iam', MskClusterArn: CLUSTER };
/** Every optional grant on at once (an MSK IAM stack has no password, so the password comes from SCRAM_ALL). */
export const MSK_ALL = {
  ...MSK_IAM,
  WebhookUrlSecretArn: WEBHOOK_SECRET,
  SecretsKmsKeyArn: SECRETS_KEY,
  StreamKmsKeyArn: STREAM_KEY,
  ImageRepositoryArn: REPOSITORY,
};
export const SCRAM_ALL = { ...SCRAM, WebhookUrlSecretArn: WEBHOOK_SECRET, SecretsKmsKeyArn: SECRETS_KEY };

export const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** The ECS template deployed with the required parameters and `given`. */
export const stack = (given: Record<string, string> = {}) =>
  deploy(template, { ...REQUIRED, ...given }, PSEUDO);
/**
 * The parameters of `given` that the reconciler's template takes too: it leaves out the ECS template's parameters
 * for the enricher and the notifier alone (a name neither template declares still fails the deployment).
 */
export function forReconciler(given: Record<string, string>): Record<string, string> {
  const ecsOnly = (name: string) => name in template.Parameters && !(name in reconcilerTemplate.Parameters);
  return Object.fromEntries(Object.entries(given).filter(([name]) => !ecsOnly(name)));
}
/** The reconciler's template deployed with its required parameters and `given`. */
export const reconcilerStack = (given: Record<string, string> = {}) =>
  deploy(reconcilerTemplate, { ...RECONCILER_REQUIRED, ...given }, PSEUDO);
export function containerOf(resources: Record<string, Resource>, taskDefinition: string): Container {
  const definition = resources[taskDefinition];
  if (!definition) throw new Error(`${taskDefinition} is not deployed with these parameters`);
  return (definition.Properties.ContainerDefinitions as Container[])[0] as Container;
}
export const environmentOf = (container: Container) =>
  Object.fromEntries(container.Environment.map(({ Name, Value }) => [Name, Value]));

/** What each role may do: role -> resource -> sorted actions, from its own policies and the policies naming it. */
export function grants(resources: Record<string, Resource>) {
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

/** Every IAM statement anywhere below `node`. */
export function statementsIn(node: unknown): Statement[] {
  if (Array.isArray(node)) return node.flatMap(statementsIn);
  if (node === null || typeof node !== 'object') return [];
  const statement = node as Partial<Statement>;
  const own = statement.Effect && statement.Action && statement.Resource ? [statement as Statement] : [];
  return [...own, ...Object.values(node).flatMap(statementsIn)];
}

/** Every combination of the Kafka parameters a stack can be given, for tests that try them all. */
export function* kafkaParameterCombinations(mechanisms: readonly string[]) {
  for (const KafkaSaslMechanism of mechanisms) {
    for (const KafkaSsl of ['true', 'false']) {
      for (const KafkaSaslUsername of ['', 'sarwatch']) {
        for (const KafkaSaslPasswordSecretArn of ['', PASSWORD_SECRET]) {
          for (const MskClusterArn of ['', CLUSTER]) {
            yield {
              KafkaSaslMechanism,
              KafkaSsl,
              KafkaSaslUsername,
              KafkaSaslPasswordSecretArn,
              MskClusterArn,
            };
          }
        }
      }
    }
  }
}
