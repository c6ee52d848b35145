import { describe, expect, it } from 'vitest';
import {
  ACCOUNT,
  CLUSTER,
  grants,
  type Json,
  list,
  MSK_IAM,
  PASSWORD_SECRET,
  RECONCILER_REQUIRED,
  REPOSITORY,
  reconcilerStack,
  SECRETS_KEY,
  type Statement,
  stack,
  statementsIn,
  TRAIL_KEY,
  within,
} from './test-support/ecs-fixtures.js';

// The reconciler template's IAM: its task role reads the trail and, with MSK IAM, uses its part of Kafka; its
// execution role starts the container. Nothing more.

const BUCKET = `arn:aws:s3:::${RECONCILER_REQUIRED.TrailBucket}`;
const LOGS = `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:<ReconcilerLogGroup>:*`;
const SCRAM = {
  KafkaSaslMechanism: 'scram-sha-512',
  KafkaSaslUsername: 'sarwatch',
  KafkaSaslPasswordSecretArn: PASSWORD_SECRET,
};

describe('IAM of the reconciler, least privilege', () => {
  it('lists the trail under its prefix and reads its log files, nothing else on AWS', () => {
    const plain = reconcilerStack();
    expect(grants(plain.resources)).toEqual({
      ReconcilerTaskRole: {
        [BUCKET]: ['s3:ListBucket'],
        [`${BUCKET}/AWSLogs/*`]: ['s3:GetObject'],
      },
      ReconcilerExecutionRole: { [LOGS]: ['logs:CreateLogStream', 'logs:PutLogEvents'] },
    });
    const listing = statementsIn(plain.resources).find((statement) => statement.Sid === 'ListTheTrail');
    expect(listing?.Condition).toEqual({ StringLike: { 's3:prefix': 'AWSLogs/*' } });

    const prefixed = reconcilerStack({ TrailPrefix: 'audit/org', TrailKmsKeyArn: TRAIL_KEY });
    expect(grants(prefixed.resources).ReconcilerTaskRole).toEqual({
      [BUCKET]: ['s3:ListBucket'],
      [`${BUCKET}/audit/org/AWSLogs/*`]: ['s3:GetObject'],
      [TRAIL_KEY]: ['kms:Decrypt'],
    });
    const byId = Object.fromEntries(
      statementsIn(prefixed.resources).map((statement) => [statement.Sid, statement]),
    );
    expect(byId.ListTheTrail?.Condition).toEqual({ StringLike: { 's3:prefix': 'audit/org/AWSLogs/*' } });
    // SSE-KMS: S3 decrypts on the role's behalf; the key may be used through S3 only.
    expect(byId.DecryptThroughS3Only?.Condition).toEqual({
      StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' },
    });
  });

  it('lets its execution role read only the Kafka password, its key and the image it is given', () => {
    const all = reconcilerStack({ ...SCRAM, SecretsKmsKeyArn: SECRETS_KEY, ImageRepositoryArn: REPOSITORY });
    expect(grants(all.resources).ReconcilerExecutionRole).toEqual({
      [LOGS]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      [PASSWORD_SECRET]: ['secretsmanager:GetSecretValue'],
      [SECRETS_KEY]: ['kms:Decrypt'],
      '*': ['ecr:GetAuthorizationToken'],
      [REPOSITORY]: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
    });
    // With MSK IAM there is no password, so the secrets key is not needed.
    const msk = reconcilerStack({ ...MSK_IAM, SecretsKmsKeyArn: SECRETS_KEY });
    expect(grants(msk.resources).ReconcilerExecutionRole).toEqual({
      [LOGS]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    });
  });

  it('uses on MSK exactly its topics, throwaway groups and transactional ids, and creates no topic', () => {
    const { resources } = reconcilerStack({
      ...MSK_IAM,
      ApplicationName: 'audit',
      TopicPrefix: 'prod.sarwatch.',
      StreamArn: `arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/sar-prod`,
    });
    const kafka = Object.fromEntries(
      Object.entries(grants(resources).ReconcilerTaskRole ?? {})
        .filter(([resource]) => resource.startsWith('arn:aws:kafka:'))
        .map(([resource, actions]) => [
          resource,
          actions.map((action) => action.replace('kafka-cluster:', '')),
        ]),
    );
    const topic = (name: string) => within('topic', `prod.sarwatch.${name}`);
    expect(kafka).toEqual({
      [CLUSTER]: ['Connect', 'DescribeCluster', 'WriteDataIdempotently'],
      // The events the trail lacks are read back from the events topic, to raise event-not-in-trail on them.
      [topic('events.v1')]: ['DescribeTopic', 'ReadData', 'WriteData'],
      [topic('alerts.v1')]: ['DescribeTopic', 'WriteData'],
      [topic('dlq.v1')]: ['DescribeTopic', 'WriteData'],
      [topic('event-index.v1')]: ['DescribeTopic', 'ReadData', 'WriteData'],
      [topic('checkpoints.v1')]: ['DescribeTopic', 'ReadData', 'WriteData'],
      [within('group', 'sarwatch-range-*')]: ['AlterGroup', 'DeleteGroup', 'DescribeGroup'],
      [within('group', 'audit.checkpoint-view.*')]: ['AlterGroup', 'DeleteGroup', 'DescribeGroup'],
      // <application>|<stream>|trail, and each shard's id, taken once to fence the live writer.
      [within('transactional-id', 'audit|sar-prod|*')]: ['AlterTransactionalId', 'DescribeTransactionalId'],
    });
    expect(reconcilerStack().resources.ReconcilerMskAccess).toBeUndefined();
  });

  it('grants no wildcard action, nothing on "*" but ECR authentication, and KMS only through its service', () => {
    for (const given of [
      {},
      { TrailPrefix: 'audit', TrailKmsKeyArn: TRAIL_KEY },
      { ...SCRAM, SecretsKmsKeyArn: SECRETS_KEY, ImageRepositoryArn: REPOSITORY },
      { ...MSK_IAM, TrailKmsKeyArn: TRAIL_KEY, ImageRepositoryArn: REPOSITORY },
    ]) {
      const statements = statementsIn(reconcilerStack(given).resources).filter(
        (statement) => statement.Action !== 'sts:AssumeRole',
      );
      for (const statement of statements) {
        const actions = list(statement.Action);
        expect(actions.every((action) => !action.includes('*'))).toBe(true);
        if (list(statement.Resource).includes('*')) expect(actions).toEqual(['ecr:GetAuthorizationToken']);
        // Kafka resources are the given cluster's own, never another's.
        for (const resource of list(statement.Resource).filter((arn) => arn.startsWith('arn:aws:kafka:'))) {
          expect(resource.replace(/:(topic|group|transactional-id)\//, ':cluster/')).toMatch(
            new RegExp(`^${CLUSTER.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/|$)`),
          );
        }
      }
      const keyed = statements.filter((statement: Statement) =>
        list(statement.Action).includes('kms:Decrypt'),
      );
      for (const statement of keyed) {
        expect(Object.keys(statement.Condition?.StringEquals ?? {})).toEqual(['kms:ViaService']);
      }
    }
  });

  it("trusts ECS tasks as the services' roles do", () => {
    const services = stack().resources;
    const { resources } = reconcilerStack();
    const trust = (role: string, all: typeof resources) =>
      (all[role]?.Properties.AssumeRolePolicyDocument as Json) ?? {};
    expect(trust('ReconcilerTaskRole', resources)).toEqual(trust('EnricherTaskRole', services));
    expect(trust('ReconcilerExecutionRole', resources)).toEqual(trust('EnricherExecutionRole', services));
    for (const role of ['ReconcilerTaskRole', 'ReconcilerExecutionRole']) {
      expect(resources[role]?.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('starts the task only once the policies attached to its roles exist', () => {
    for (const given of [
      { ...SCRAM, SecretsKmsKeyArn: SECRETS_KEY, ImageRepositoryArn: REPOSITORY },
      { ...MSK_IAM, ImageRepositoryArn: REPOSITORY },
    ]) {
      const { resources } = reconcilerStack(given);
      const attached = Object.entries(resources)
        .filter(([, resource]) => resource.Type === 'AWS::IAM::Policy')
        .map(([name]) => `<${name}>`);
      expect(attached.length).toBeGreaterThan(1);
      const waitsFor = ((resources.ReconcilerService?.Metadata?.WaitsForPolicies ?? []) as string[]).filter(
        (name) => name !== '',
      );
      expect([...waitsFor].sort()).toEqual([...attached].sort());
    }
  });
});
