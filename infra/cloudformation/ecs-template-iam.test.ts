import { describe, expect, it } from 'vitest';
import {
  ACCOUNT,
  CLUSTER,
  containerOf,
  environmentOf,
  first,
  forReconciler,
  grants,
  type Json,
  list,
  MSK_ALL,
  MSK_IAM,
  PASSWORD_SECRET,
  PSEUDO,
  REPOSITORY,
  reconcilerStack,
  SCRAM_ALL,
  SECRETS_KEY,
  STREAM_ARN,
  STREAM_KEY,
  type Statement,
  stack,
  statementsIn,
  WEBHOOK_SECRET,
  within,
} from './test-support/ecs-fixtures.js';
import { deploy } from './test-support/evaluate-template.js';

// The ECS template's IAM: each role gets what its service does and nothing more.

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

  it('splits the MskAccessPolicy of sarwatch.template.json between the task roles of both ECS templates, nothing more', () => {
    const names = {
      ApplicationName: 'audit',
      TopicPrefix: 'prod.sarwatch.',
      NotifierGroupId: 'audit-notifier',
    };
    const given = { ...MSK_ALL, ...names, StreamArn: `arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/sar-prod` };
    const ours = grants(stack(given).resources);
    const reconciler = grants(reconcilerStack(forReconciler(given)).resources).ReconcilerTaskRole;
    const kafkaOnly = (byResource: Record<string, string[]> = {}) =>
      Object.fromEntries(
        Object.entries(byResource).filter(([resource]) => resource.startsWith('arn:aws:kafka:')),
      );
    const enricher = kafkaOnly(ours.EnricherTaskRole);
    const notifier = kafkaOnly(ours.NotifierTaskRole);
    const union: Record<string, string[]> = { ...enricher };
    for (const [resource, actions] of [
      ...Object.entries(notifier),
      ...Object.entries(kafkaOnly(reconciler)),
    ]) {
      union[resource] = [...new Set([...(union[resource] ?? []), ...actions])].sort();
    }
    const reference = grants({
      Reference: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Policies: [
            deploy(first, { ...names, StreamName: 'sar-prod', MskClusterArn: CLUSTER }, PSEUDO).resources
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
        ...['events.v1', 'alerts.v1', 'dlq.v1', 'event-index.v1', 'checkpoints.v1', 'leases.v1'].map(
          (topic) => within('topic', `prod.sarwatch.${topic}`),
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
        enricher.KAFKA_EVENT_INDEX_TOPIC,
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
