import { readFileSync } from 'node:fs';
import {
  ALERTS_TOPIC_V1,
  SARWATCH_DEPLOYMENT_DEFAULTS as DEFAULTS,
  EVENTS_TOPIC_V1,
  RuleStateSchema,
} from '@sarwatch/core';
import { describe, expect, it } from 'vitest';

const read = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));

describe('the CloudFormation template', () => {
  const template = read('./sarwatch.template.json');
  const rule = template.Resources.SarCloudTrailRule.Properties;

  it('uses the one event pattern file, unchanged', () => {
    expect(rule.EventPattern).toEqual(read('../eventbridge/sar-cloudtrail-pattern.json'));
  });

  it('delivers read-only calls too unless told otherwise, and keeps each account in order', () => {
    expect(template.Parameters.RuleState.Default).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(template.Parameters.RuleState.AllowedValues).toEqual(RuleStateSchema.options);
    expect(rule.Targets[0].KinesisParameters.PartitionKeyPath).toBe(DEFAULTS.partitionKeyPath);
  });

  it('deploys with the same settings as `sarwatch infra`', () => {
    expect(template.Parameters.StreamName.Default).toBe(DEFAULTS.streamName);
    expect(template.Parameters.RetentionPeriodHours.Default).toBe(DEFAULTS.retentionHours);
    expect(template.Parameters.KmsKeyId.Default).toBe(DEFAULTS.kmsKeyId);
    expect(rule.Description).toBe(DEFAULTS.ruleDescription);
    expect(rule.Targets[0]).toMatchObject({
      Id: DEFAULTS.targetId,
      RetryPolicy: {
        MaximumRetryAttempts: DEFAULTS.maximumRetryAttempts,
        MaximumEventAgeInSeconds: DEFAULTS.maximumEventAgeSeconds,
      },
    });
  });
});

/**
 * Evaluates the intrinsic functions the MSK policy uses, as CloudFormation would for these parameter values. Refs to
 * resources and functions it does not know (Fn::GetAtt, Fn::If) are left as they are.
 */
function resolve(node: unknown, params: Record<string, string>): unknown {
  if (Array.isArray(node)) return node.map((item) => resolve(item, params));
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node);
  const [name, raw] = entries[0] ?? [''];
  if (entries.length !== 1 || !(name === 'Ref' || name.startsWith('Fn::'))) {
    return Object.fromEntries(entries.map(([key, value]) => [key, resolve(value, params)]));
  }
  const arg = resolve(raw, params);
  const args = Array.isArray(arg) ? arg : [];
  switch (name) {
    case 'Ref':
      return params[String(arg)] ?? { Ref: arg };
    case 'Fn::Sub': {
      const [text, vars] = typeof arg === 'string' ? [arg, {}] : (arg as [string, Record<string, string>]);
      return text.replace(/\$\{([\w:]+)\}/g, (_, ref: string) => {
        const value = vars[ref] ?? params[ref];
        if (value === undefined) throw new Error(`Fn::Sub: no value for \${${ref}}`);
        return value;
      });
    }
    case 'Fn::Split':
      return String(args[1]).split(String(args[0]));
    case 'Fn::Join':
      return (args[1] as string[]).join(String(args[0]));
    case 'Fn::Select':
      return (args[1] as unknown[])[Number(args[0])];
    case 'Fn::Equals':
      return args[0] === args[1];
    case 'Fn::Not':
      return !args[0];
    default:
      return { [name]: arg };
  }
}

describe('the optional Amazon MSK access policy', () => {
  const template = read('./sarwatch.template.json');
  const cluster =
    'arn:aws:kafka:eu-west-1:123456789012:cluster/audit-kafka/0f1e2d3c-aaaa-bbbb-cccc-0123456789ab-2';
  const within = (kind: string, name: string) =>
    `arn:aws:kafka:eu-west-1:123456789012:${kind}/audit-kafka/0f1e2d3c-aaaa-bbbb-cccc-0123456789ab-2/${name}`;
  const defaults = Object.fromEntries(
    Object.entries(template.Parameters as Record<string, { Default?: unknown }>).map(([name, p]) => [
      name,
      String(p.Default),
    ]),
  );
  const pseudo = { 'AWS::Partition': 'aws', 'AWS::Region': 'eu-west-1', 'AWS::AccountId': '123456789012' };
  const withCluster = { ...defaults, ...pseudo, MskClusterArn: cluster };
  const policy = template.Resources.MskAccessPolicy;
  const statements = (params: Record<string, string>) =>
    (resolve(policy.Properties.PolicyDocument, params) as { Statement: Statement[] }).Statement;
  type Statement = { Sid: string; Effect: string; Action: string | string[]; Resource: string | string[] };
  const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

  it('is created only when MskClusterArn is set, and the rest of the stack does not depend on it', () => {
    expect(template.Parameters.MskClusterArn.Default).toBe('');
    expect(policy.Type).toBe('AWS::IAM::ManagedPolicy');
    expect(policy.Condition).toBe('HasMskCluster');
    expect(template.Outputs.MskAccessPolicyArn.Condition).toBe('HasMskCluster');
    expect(resolve(template.Conditions.HasMskCluster, defaults)).toBe(false);
    expect(resolve(template.Conditions.HasMskCluster, withCluster)).toBe(true);
    const conditional = Object.entries(template.Resources as Record<string, { Condition?: string }>)
      .filter(([, resource]) => resource.Condition !== undefined)
      .map(([name]) => name);
    expect(conditional).toEqual(['MskAccessPolicy']);
  });

  it('accepts an empty value or a cluster ARN, nothing else', () => {
    const pattern = new RegExp(`^(?:${template.Parameters.MskClusterArn.AllowedPattern})$`);
    expect(pattern.test('')).toBe(true);
    expect(pattern.test(cluster)).toBe(true);
    expect(pattern.test('arn:aws-cn:kafka:cn-north-1:123456789012:cluster/c/uuid-1')).toBe(true);
    expect(pattern.test('*')).toBe(false);
    expect(pattern.test('arn:aws:kafka:eu-west-1:123456789012:cluster/*')).toBe(false);
    expect(pattern.test(within('topic', 'sarwatch.events.v1'))).toBe(false);
  });

  it('gives no kafka-cluster action on "*" anywhere in the template, nor a wildcard action', () => {
    const found: Statement[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        const statement = node as Partial<Statement>;
        if (statement.Effect && statement.Action && statement.Resource) found.push(statement as Statement);
        Object.values(node).forEach(walk);
      }
    };
    walk(resolve(template.Resources, withCluster));
    const kafka = found.filter((s) => list(s.Action).some((action) => action.startsWith('kafka-cluster:')));
    expect(kafka.length).toBeGreaterThan(0);
    for (const statement of kafka) {
      expect(list(statement.Action).every((action) => !action.includes('*'))).toBe(true);
      for (const resource of list(statement.Resource)) {
        expect(resource).not.toBe('*');
        expect(resource.startsWith('arn:aws:kafka:eu-west-1:123456789012:')).toBe(true);
      }
    }
  });

  it("grants exactly what the enricher and the notifier do, on the cluster's own ARNs", () => {
    const grants: Record<string, string[]> = {};
    for (const statement of statements(withCluster)) {
      expect(statement.Effect).toBe('Allow');
      for (const resource of list(statement.Resource)) {
        grants[resource] = [...(grants[resource] ?? []), ...list(statement.Action)];
      }
    }
    const sorted = Object.fromEntries(
      Object.entries(grants).map(([resource, actions]) => [
        resource,
        [...new Set(actions.map((action) => action.replace('kafka-cluster:', '')))].sort(),
      ]),
    );
    // The defaults of services/enricher/src/config.ts and services/notifier/src/config.ts, and the names the code
    // builds from them: <application>.<stream>.owners, <application>.checkpoint-view.<uuid>, <application>|<stream>|<shard>.
    const stream = DEFAULTS.streamName;
    expect(sorted).toEqual({
      [cluster]: ['Connect', 'DescribeCluster', 'WriteDataIdempotently'],
      [within('topic', EVENTS_TOPIC_V1)]: ['CreateTopic', 'DescribeTopic', 'WriteData'],
      [within('topic', ALERTS_TOPIC_V1)]: ['CreateTopic', 'DescribeTopic', 'ReadData', 'WriteData'],
      [within('topic', 'sarwatch.dlq.v1')]: ['CreateTopic', 'DescribeTopic', 'WriteData'],
      [within('topic', 'sarwatch.checkpoints.v1')]: ['CreateTopic', 'DescribeTopic', 'ReadData', 'WriteData'],
      [within('topic', 'sarwatch.leases.v1')]: ['CreateTopic', 'DescribeTopic', 'ReadData'],
      [within('topic', 'sarwatch.notifier.dlq.v1')]: ['CreateTopic', 'DescribeTopic', 'WriteData'],
      [within('group', `sarwatch.${stream}.owners`)]: ['AlterGroup', 'DescribeGroup'],
      [within('group', 'sarwatch.checkpoint-view.*')]: ['AlterGroup', 'DeleteGroup', 'DescribeGroup'],
      [within('group', 'sarwatch-notifier')]: ['AlterGroup', 'DescribeGroup'],
      [within('transactional-id', `sarwatch|${stream}|*`)]: [
        'AlterTransactionalId',
        'DescribeTransactionalId',
      ],
    });
  });

  it('follows the application name, the topic prefix, the stream and the notifier group it is given', () => {
    const resources = statements({
      ...withCluster,
      ApplicationName: 'audit',
      TopicPrefix: 'prod.sarwatch.',
      StreamName: 'sar-prod',
      NotifierGroupId: 'audit-notifier',
    }).flatMap((statement) => list(statement.Resource));
    expect(resources).toContain(within('topic', 'prod.sarwatch.events.v1'));
    expect(resources).toContain(within('group', 'audit.sar-prod.owners'));
    expect(resources).toContain(within('group', 'audit.checkpoint-view.*'));
    expect(resources).toContain(within('group', 'audit-notifier'));
    expect(resources).toContain(within('transactional-id', 'audit|sar-prod|*'));
    expect(resources.filter((resource) => resource.includes('/sarwatch'))).toEqual([]);
  });

  it('says why each statement exists', () => {
    const sids = statements(withCluster).map((statement) => statement.Sid);
    expect(new Set(sids).size).toBe(sids.length);
    expect(Object.keys(policy.Metadata.StatementPurposes)).toEqual(sids);
  });
});
