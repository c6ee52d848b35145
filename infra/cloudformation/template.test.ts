import { readFileSync } from 'node:fs';
import {
  ALERTS_TOPIC_V1,
  SARWATCH_DEPLOYMENT_DEFAULTS as DEFAULTS,
  EVENT_INDEX_TOPIC_V1,
  EVENTS_TOPIC_V1,
  RuleStateSchema,
} from '@sarwatch/core';
import { describe, expect, it } from 'vitest';
import { deploy } from './test-support/evaluate-template.js';

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

describe('the optional Amazon MSK access policy', () => {
  const template = read('./sarwatch.template.json');
  const cluster =
    'arn:aws:kafka:eu-west-1:123456789012:cluster/audit-kafka/0f1e2d3c-aaaa-bbbb-cccc-0123456789ab-2';
  const within = (kind: string, name: string) =>
    `arn:aws:kafka:eu-west-1:123456789012:${kind}/audit-kafka/0f1e2d3c-aaaa-bbbb-cccc-0123456789ab-2/${name}`;
  const pseudo = { 'AWS::Partition': 'aws', 'AWS::Region': 'eu-west-1', 'AWS::AccountId': '123456789012' };
  // The template as it deploys with these parameters (the others at their defaults).
  const deployed = (params: Record<string, string>) => deploy(template, params, pseudo);
  const withCluster = { MskClusterArn: cluster };
  const policy = template.Resources.MskAccessPolicy;
  const statements = (params: Record<string, string>) => {
    const deployedPolicy = deployed(params).resources.MskAccessPolicy;
    if (!deployedPolicy) throw new Error('MskAccessPolicy is not deployed with these parameters');
    return (deployedPolicy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
  };
  type Statement = { Sid: string; Effect: string; Action: string | string[]; Resource: string | string[] };
  const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

  it('is created only when MskClusterArn is set, and the rest of the stack does not depend on it', () => {
    expect(template.Parameters.MskClusterArn.Default).toBe('');
    expect(policy.Type).toBe('AWS::IAM::ManagedPolicy');
    expect(policy.Condition).toBe('HasMskCluster');
    expect(template.Outputs.MskAccessPolicyArn.Condition).toBe('HasMskCluster');
    expect(deployed({}).conditions.HasMskCluster).toBe(false);
    expect(deployed(withCluster).conditions.HasMskCluster).toBe(true);
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
    walk(deployed(withCluster).resources);
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

  it("grants exactly what the enricher, the notifier and the reconciler do, on the cluster's own ARNs", () => {
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
    // The defaults of services/enricher/src/config.ts and services/notifier/src/config.ts (which the reconciler
    // shares), and the names the code builds from them: <application>.<stream>.owners,
    // <application>.checkpoint-view.<uuid>, <application>|<stream>|<shard> and |trail, sarwatch-range-<uuid>.
    const stream = DEFAULTS.streamName;
    expect(sorted).toEqual({
      [cluster]: ['Connect', 'DescribeCluster', 'WriteDataIdempotently'],
      [within('topic', EVENTS_TOPIC_V1)]: ['CreateTopic', 'DescribeTopic', 'ReadData', 'WriteData'],
      [within('topic', ALERTS_TOPIC_V1)]: ['CreateTopic', 'DescribeTopic', 'ReadData', 'WriteData'],
      [within('topic', 'sarwatch.dlq.v1')]: ['CreateTopic', 'DescribeTopic', 'WriteData'],
      [within('topic', EVENT_INDEX_TOPIC_V1)]: ['CreateTopic', 'DescribeTopic', 'ReadData', 'WriteData'],
      [within('topic', 'sarwatch.checkpoints.v1')]: ['CreateTopic', 'DescribeTopic', 'ReadData', 'WriteData'],
      [within('topic', 'sarwatch.leases.v1')]: ['CreateTopic', 'DescribeTopic', 'ReadData'],
      [within('topic', 'sarwatch.notifier.dlq.v1')]: ['CreateTopic', 'DescribeTopic', 'WriteData'],
      [within('group', `sarwatch.${stream}.owners`)]: ['AlterGroup', 'DescribeGroup'],
      [within('group', 'sarwatch.checkpoint-view.*')]: ['AlterGroup', 'DeleteGroup', 'DescribeGroup'],
      [within('group', 'sarwatch-notifier')]: ['AlterGroup', 'DescribeGroup'],
      [within('group', 'sarwatch-range-*')]: ['AlterGroup', 'DeleteGroup', 'DescribeGroup'],
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
    expect(resources).toContain(within('topic', 'prod.sarwatch.event-index.v1'));
    expect(resources).toContain(within('group', 'audit.sar-prod.owners'));
    expect(resources).toContain(within('group', 'audit.checkpoint-view.*'));
    expect(resources).toContain(within('group', 'audit-notifier'));
    expect(resources).toContain(within('transactional-id', 'audit|sar-prod|*'));
    // The one fixed name: the reconciler's throwaway groups, sarwatch-range-<uuid>, whatever the application.
    expect(resources.filter((resource) => resource.includes('/sarwatch'))).toEqual([
      within('group', 'sarwatch-range-*'),
    ]);
  });

  it('says why each statement exists', () => {
    const sids = statements(withCluster).map((statement) => statement.Sid);
    expect(new Set(sids).size).toBe(sids.length);
    expect(Object.keys(policy.Metadata.StatementPurposes)).toEqual(sids);
  });

  it('is the policy docs/kafka-connection.md shows, for its example cluster', () => {
    const text = readFileSync(new URL('../../docs/kafka-connection.md', import.meta.url), 'utf8');
    const block = text.split('```json\n').find((part) => part.includes('"Sid": "ConnectToTheCluster"'));
    const shown = JSON.parse(block?.split('```')[0] ?? '{}').Statement as Statement[];
    const example = 'arn:aws:kafka:eu-west-1:111122223333:cluster/audit/abcd1234-0123-abcd-5678-1234abcd-1';
    const deployedThere = deploy(
      template,
      { MskClusterArn: example },
      { ...pseudo, 'AWS::AccountId': '111122223333' },
    ).resources.MskAccessPolicy?.Properties.PolicyDocument as { Statement: Statement[] };
    const comparable = (all: Statement[]) =>
      all.map(({ Sid, Effect, Action, Resource }) => ({
        Sid,
        Effect,
        Action: list(Action).sort(),
        Resource: list(Resource).sort(),
      }));
    expect(comparable(shown)).toEqual(comparable(deployedThere.Statement));
  });
});
