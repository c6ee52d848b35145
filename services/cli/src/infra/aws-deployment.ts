import {
  DescribeRuleCommand,
  type EventBridgeClient,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import {
  CreateStreamCommand,
  DecreaseStreamRetentionPeriodCommand,
  DescribeStreamSummaryCommand,
  IncreaseStreamRetentionPeriodCommand,
  type KinesisClient,
  StartStreamEncryptionCommand,
  UpdateShardCountCommand,
  UpdateStreamModeCommand,
} from '@aws-sdk/client-kinesis';
import type {
  Change,
  DeployedRule,
  DeployedState,
  DeployedStream,
  DeployedTarget,
  DeploymentStep,
  DesiredDeployment,
  StreamField,
} from '@sarwatch/core';
import { sleep } from '@sarwatch/runtime';

export interface AwsClients {
  kinesis: KinesisClient;
  eventBridge: EventBridgeClient;
}

/** How long a stream may stay CREATING or UPDATING: resharding a large provisioned stream takes minutes. */
const STREAM_ACTIVE_TIMEOUT_MS = 15 * 60_000;

/** What `request` answers, or null when the resource does not exist (ResourceNotFoundException). */
async function unlessMissing<T>(request: () => Promise<T>): Promise<T | null> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return null;
    throw error;
  }
}

/** The stream, the rule and the rule's targets as the account holds them now; absent ones are null. */
export async function readDeployment(
  clients: AwsClients,
  desired: DesiredDeployment,
): Promise<DeployedState> {
  const [stream, rule] = await Promise.all([
    readStream(clients.kinesis, desired.stream.name),
    readRule(clients.eventBridge, desired.rule),
  ]);
  const targets = rule === null ? [] : await readTargets(clients.eventBridge, desired.rule);
  return { stream, rule, targets };
}

export async function readStream(kinesis: KinesisClient, name: string): Promise<DeployedStream | null> {
  const found = await unlessMissing(() =>
    kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name })),
  );
  if (found === null) return null;
  const summary = found.StreamDescriptionSummary;
  if (!summary) throw new Error(`DescribeStreamSummary for ${name} answered without a summary`);
  return {
    arn: summary.StreamARN ?? '',
    status: summary.StreamStatus ?? 'UNKNOWN',
    mode: summary.StreamModeDetails?.StreamMode ?? 'PROVISIONED',
    openShardCount: summary.OpenShardCount ?? 0,
    retentionHours: summary.RetentionPeriodHours ?? 24,
    encryptionType: summary.EncryptionType ?? 'NONE',
    kmsKeyId: summary.KeyId ?? null,
  };
}

async function readRule(
  eventBridge: EventBridgeClient,
  rule: DesiredDeployment['rule'],
): Promise<DeployedRule | null> {
  const found = await unlessMissing(() =>
    eventBridge.send(new DescribeRuleCommand({ Name: rule.name, EventBusName: rule.eventBusName })),
  );
  if (found === null) return null;
  return {
    arn: found.Arn ?? '',
    state: found.State ?? 'UNKNOWN',
    pattern: found.EventPattern ?? null,
    description: found.Description ?? null,
  };
}

async function readTargets(
  eventBridge: EventBridgeClient,
  rule: DesiredDeployment['rule'],
): Promise<DeployedTarget[]> {
  const targets: DeployedTarget[] = [];
  let nextToken: string | undefined;
  do {
    const page = await eventBridge.send(
      new ListTargetsByRuleCommand({
        Rule: rule.name,
        EventBusName: rule.eventBusName,
        NextToken: nextToken,
      }),
    );
    for (const target of page.Targets ?? []) {
      targets.push({
        id: target.Id ?? '',
        arn: target.Arn ?? '',
        roleArn: target.RoleArn ?? null,
        partitionKeyPath: target.KinesisParameters?.PartitionKeyPath ?? null,
        maximumRetryAttempts: target.RetryPolicy?.MaximumRetryAttempts ?? null,
        maximumEventAgeSeconds: target.RetryPolicy?.MaximumEventAgeInSeconds ?? null,
        deadLetterArn: target.DeadLetterConfig?.Arn ?? null,
      });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return targets;
}

/**
 * Carries out one planned step. Stream steps wait until the stream is ACTIVE again, since Kinesis refuses a second
 * update while one is running; the stream's ARN, known only after creation, is read back for the target.
 */
export async function applyStep(
  clients: AwsClients,
  desired: DesiredDeployment,
  step: DeploymentStep,
  signal: AbortSignal,
): Promise<void> {
  const { kinesis, eventBridge } = clients;
  const name = desired.stream.name;
  switch (step.resource) {
    case 'stream':
      if (step.action === 'create') {
        await kinesis.send(
          new CreateStreamCommand({
            StreamName: name,
            StreamModeDetails: { StreamMode: desired.stream.mode },
            ...(desired.stream.mode === 'PROVISIONED' ? { ShardCount: desired.stream.shardCount } : {}),
          }),
        );
      } else {
        await updateStream(kinesis, desired, step.change, await activeStreamArn(kinesis, name, signal));
      }
      await activeStreamArn(kinesis, name, signal);
      return;
    case 'rule':
      await eventBridge.send(
        new PutRuleCommand({
          Name: desired.rule.name,
          EventBusName: desired.rule.eventBusName,
          EventPattern: desired.rule.pattern,
          State: desired.rule.state,
          Description: desired.rule.description,
        }),
      );
      return;
    case 'target': {
      const result = await eventBridge.send(
        new PutTargetsCommand({
          Rule: desired.rule.name,
          EventBusName: desired.rule.eventBusName,
          Targets: [kinesisTarget(desired, await activeStreamArn(kinesis, name, signal))],
        }),
      );
      const failed = result.FailedEntries ?? [];
      if ((result.FailedEntryCount ?? failed.length) > 0) {
        const reasons = failed.map((entry) => `${entry.ErrorCode}: ${entry.ErrorMessage}`).join('; ');
        throw new Error(`PutTargets refused target ${desired.target.id}: ${reasons || 'no reason given'}`);
      }
      return;
    }
  }
}

async function updateStream(
  kinesis: KinesisClient,
  desired: DesiredDeployment,
  change: Change<StreamField>,
  streamArn: string,
): Promise<void> {
  const stream = { StreamARN: streamArn };
  switch (change.field) {
    case 'mode':
      await kinesis.send(
        new UpdateStreamModeCommand({ ...stream, StreamModeDetails: { StreamMode: desired.stream.mode } }),
      );
      return;
    case 'shardCount':
      await kinesis.send(
        new UpdateShardCountCommand({
          ...stream,
          TargetShardCount: desired.stream.shardCount,
          ScalingType: 'UNIFORM_SCALING',
        }),
      );
      return;
    case 'retentionHours': {
      const hours = { ...stream, RetentionPeriodHours: desired.stream.retentionHours };
      await kinesis.send(
        Number(change.from) < desired.stream.retentionHours
          ? new IncreaseStreamRetentionPeriodCommand(hours)
          : new DecreaseStreamRetentionPeriodCommand(hours),
      );
      return;
    }
    case 'encryption':
      // Also the way to move an encrypted stream to another key.
      await kinesis.send(
        new StartStreamEncryptionCommand({
          ...stream,
          EncryptionType: 'KMS',
          KeyId: desired.stream.kmsKeyId,
        }),
      );
      return;
  }
}

function kinesisTarget(desired: DesiredDeployment, streamArn: string): Target {
  const wanted = desired.target;
  return {
    Id: wanted.id,
    Arn: streamArn,
    RoleArn: wanted.roleArn,
    KinesisParameters: { PartitionKeyPath: wanted.partitionKeyPath },
    RetryPolicy: {
      MaximumRetryAttempts: wanted.maximumRetryAttempts,
      MaximumEventAgeInSeconds: wanted.maximumEventAgeSeconds,
    },
    ...(wanted.deadLetterArn ? { DeadLetterConfig: { Arn: wanted.deadLetterArn } } : {}),
  };
}

async function activeStreamArn(kinesis: KinesisClient, name: string, signal: AbortSignal): Promise<string> {
  const deadline = Date.now() + STREAM_ACTIVE_TIMEOUT_MS;
  for (;;) {
    const stream = await readStream(kinesis, name);
    if (stream?.status === 'ACTIVE') return stream.arn;
    if (Date.now() > deadline) {
      throw new Error(`stream ${name} is ${stream?.status ?? 'missing'}, not ACTIVE, after 15 minutes`);
    }
    signal.throwIfAborted();
    await sleep(1_000, signal);
  }
}
