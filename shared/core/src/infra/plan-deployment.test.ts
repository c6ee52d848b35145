import { describe, expect, it } from 'vitest';
import type { DeployedRule, DeployedState, DeployedTarget, DesiredDeployment } from './deployment.js';
import { canonicalJson, NEW_STREAM_ARN, planDeployment } from './plan-deployment.js';

const STREAM_ARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/sarwatch-sar-events';
const PATTERN =
  '{\n  "source": ["aws.serverlessrepo"],\n  "detail": {"eventSource": ["serverlessrepo.amazonaws.com"]}\n}';

const desired: DesiredDeployment = {
  stream: {
    name: 'sarwatch-sar-events',
    mode: 'ON_DEMAND',
    shardCount: 1,
    retentionHours: 24,
    kmsKeyId: 'alias/aws/kinesis',
  },
  rule: {
    name: 'sarwatch-sar-cloudtrail',
    eventBusName: 'default',
    state: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
    pattern: PATTERN,
    description: 'SAR calls',
  },
  target: {
    id: 'sarwatch-kinesis',
    roleArn: 'arn:aws:iam::123456789012:role/to-kinesis',
    partitionKeyPath: '$.account',
    maximumRetryAttempts: 185,
    maximumEventAgeSeconds: 86_400,
  },
};

const rule: DeployedRule = {
  arn: 'arn:aws:events:us-east-1:123456789012:rule/sarwatch-sar-cloudtrail',
  state: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
  pattern: PATTERN,
  description: 'SAR calls',
};
const target: DeployedTarget = {
  id: 'sarwatch-kinesis',
  arn: STREAM_ARN,
  roleArn: 'arn:aws:iam::123456789012:role/to-kinesis',
  partitionKeyPath: '$.account',
  maximumRetryAttempts: 185,
  maximumEventAgeSeconds: 86_400,
  deadLetterArn: null,
};

/** What an account looks like right after a successful apply of `desired`. */
const upToDate: DeployedState = {
  stream: {
    arn: STREAM_ARN,
    status: 'ACTIVE',
    mode: 'ON_DEMAND',
    openShardCount: 4,
    retentionHours: 24,
    encryptionType: 'KMS',
    kmsKeyId: 'alias/aws/kinesis',
  },
  rule,
  targets: [target],
};

describe('planDeployment', () => {
  it('creates everything in an empty account, in the order the calls must run', () => {
    const steps = planDeployment(desired, { stream: null, rule: null, targets: [] });
    expect(steps).toEqual([
      { resource: 'stream', action: 'create', changes: [{ field: 'mode', from: null, to: 'ON_DEMAND' }] },
      {
        resource: 'stream',
        action: 'update',
        change: { field: 'encryption', from: 'NONE', to: 'KMS alias/aws/kinesis' },
      },
      {
        resource: 'rule',
        action: 'create',
        changes: [
          { field: 'state', from: null, to: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' },
          { field: 'pattern', from: null, to: PATTERN },
          { field: 'description', from: null, to: 'SAR calls' },
        ],
      },
      {
        resource: 'target',
        action: 'create',
        changes: [
          { field: 'arn', from: null, to: NEW_STREAM_ARN },
          { field: 'roleArn', from: null, to: 'arn:aws:iam::123456789012:role/to-kinesis' },
          { field: 'partitionKeyPath', from: null, to: '$.account' },
          { field: 'retryPolicy', from: null, to: '185 attempts within 86400 s' },
        ],
      },
    ]);
  });

  it('gives an empty plan for an up-to-date deployment, however EventBridge spells the pattern back', () => {
    expect(planDeployment(desired, upToDate)).toEqual([]);
    const respelled = {
      ...rule,
      pattern: JSON.stringify({
        detail: { eventSource: ['serverlessrepo.amazonaws.com'] },
        source: ['aws.serverlessrepo'],
      }),
    };
    expect(planDeployment(desired, { ...upToDate, rule: respelled })).toEqual([]);
  });

  it('sets a provisioned stream size at creation and leaves an on-demand one to size itself', () => {
    const provisioned = {
      ...desired,
      stream: { ...desired.stream, mode: 'PROVISIONED' as const, shardCount: 2 },
    };
    expect(planDeployment(provisioned, { stream: null, rule: null, targets: [] })[0]).toEqual({
      resource: 'stream',
      action: 'create',
      changes: [
        { field: 'mode', from: null, to: 'PROVISIONED' },
        { field: 'shardCount', from: null, to: '2' },
      ],
    });
    expect(planDeployment({ ...desired, stream: { ...desired.stream, shardCount: 9 } }, upToDate)).toEqual(
      [],
    );
  });

  it('updates one stream setting a step, mode before size, then retention and the key', () => {
    const wanted = {
      ...desired,
      stream: {
        ...desired.stream,
        mode: 'PROVISIONED' as const,
        shardCount: 2,
        retentionHours: 48,
        kmsKeyId: 'alias/other',
      },
    };
    expect(planDeployment(wanted, upToDate)).toEqual([
      {
        resource: 'stream',
        action: 'update',
        change: { field: 'mode', from: 'ON_DEMAND', to: 'PROVISIONED' },
      },
      { resource: 'stream', action: 'update', change: { field: 'shardCount', from: '4', to: '2' } },
      { resource: 'stream', action: 'update', change: { field: 'retentionHours', from: '24', to: '48' } },
      {
        resource: 'stream',
        action: 'update',
        change: { field: 'encryption', from: 'KMS alias/aws/kinesis', to: 'KMS alias/other' },
      },
    ]);
  });

  it('puts the rule again only for the fields that differ', () => {
    const drifted = {
      ...upToDate,
      rule: { ...rule, state: 'ENABLED', pattern: '{"source":["aws.s3"]}' },
    };
    expect(planDeployment(desired, drifted)).toEqual([
      {
        resource: 'rule',
        action: 'update',
        changes: [
          { field: 'state', from: 'ENABLED', to: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' },
          { field: 'pattern', from: '{"source":["aws.s3"]}', to: PATTERN },
        ],
      },
    ]);
  });

  it('manages its own target only, and a dead-letter queue only when asked to', () => {
    const theirs = {
      ...target,
      id: 'audit-copy',
      arn: 'arn:aws:sqs:us-east-1:1:q',
      partitionKeyPath: null,
    };
    const withDeadLetters = { ...target, deadLetterArn: 'arn:aws:sqs:us-east-1:1:dlq' };
    expect(planDeployment(desired, { ...upToDate, targets: [theirs, withDeadLetters] })).toEqual([]);

    const wanted = {
      ...desired,
      target: { ...desired.target, deadLetterArn: 'arn:aws:sqs:us-east-1:1:other' },
    };
    const moved = {
      ...target,
      arn: 'arn:aws:kinesis:us-east-1:1:stream/old',
      partitionKeyPath: null,
    };
    expect(planDeployment(wanted, { ...upToDate, targets: [moved] })).toEqual([
      {
        resource: 'target',
        action: 'update',
        changes: [
          { field: 'arn', from: 'arn:aws:kinesis:us-east-1:1:stream/old', to: STREAM_ARN },
          { field: 'partitionKeyPath', from: null, to: '$.account' },
          { field: 'deadLetterArn', from: null, to: 'arn:aws:sqs:us-east-1:1:other' },
        ],
      },
    ]);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson('{"b":[2,1],"a":{"d":1,"c":null}}')).toBe('{"a":{"c":null,"d":1},"b":[2,1]}');
  });

  it('leaves text that is not JSON as it is', () => {
    expect(canonicalJson('{not json')).toBe('{not json');
  });
});
