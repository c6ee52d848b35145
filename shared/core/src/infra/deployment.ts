import { z } from 'zod';
import { RuleStateSchema } from '../eventbridge/rule-delivery.js';

/** The names sarwatch deploys under unless told otherwise; the CloudFormation template uses the same (a test checks). */
export const SARWATCH_DEPLOYMENT_DEFAULTS = {
  streamName: 'sarwatch-sar-events',
  ruleName: 'sarwatch-sar-cloudtrail',
  ruleDescription: 'CloudTrail records of Serverless Application Repository calls, to sarwatch.',
  targetId: 'sarwatch-kinesis',
  /** Every EventBridge event has `account`, so each account's calls, and each application's, stay on one shard. */
  partitionKeyPath: '$.account',
  /** EventBridge's own maxima: retry for a day before giving up on a delivery. */
  maximumRetryAttempts: 185,
  maximumEventAgeSeconds: 86_400,
  retentionHours: 24,
  kmsKeyId: 'alias/aws/kinesis',
} as const;

export const StreamModeSchema = z.enum(['ON_DEMAND', 'PROVISIONED']);

const ArnSchema = z.string().regex(/^arn:aws[a-z-]*:[a-z0-9-]+:/, 'must be an ARN');

/** What `sarwatch infra` makes true: one stream, one rule on a bus, one Kinesis target of that rule. */
export const DesiredDeploymentSchema = z.object({
  stream: z.object({
    name: z.string().regex(/^[a-zA-Z0-9_.-]{1,128}$/, 'must be 1-128 letters, digits, _ . or -'),
    mode: StreamModeSchema,
    /** Used when the mode is PROVISIONED, and to create a provisioned stream. */
    shardCount: z.int().min(1).max(10_000),
    retentionHours: z.int().min(24).max(8_760),
    kmsKeyId: z.string().min(1),
  }),
  rule: z.object({
    name: z.string().regex(/^[.\-_A-Za-z0-9]{1,64}$/, 'must be 1-64 letters, digits, . - or _'),
    eventBusName: z.string().min(1),
    state: RuleStateSchema,
    /** The pattern's JSON text, as the pattern file holds it. */
    pattern: z.string().min(2),
    description: z.string().max(512),
  }),
  target: z.object({
    id: z.string().regex(/^[.\-_A-Za-z0-9]{1,64}$/, 'must be 1-64 letters, digits, . - or _'),
    /** The role EventBridge assumes to put records (the template's EventBridgeToKinesisRole). */
    roleArn: ArnSchema,
    partitionKeyPath: z.string().min(1),
    maximumRetryAttempts: z.int().min(0).max(185),
    maximumEventAgeSeconds: z.int().min(60).max(86_400),
    deadLetterArn: ArnSchema.optional(),
  }),
});
export type DesiredDeployment = z.infer<typeof DesiredDeploymentSchema>;

/** What the account holds now, read back from the Kinesis and EventBridge APIs. */
export const DeployedStreamSchema = z.object({
  arn: z.string(),
  status: z.string(),
  mode: z.string(),
  openShardCount: z.int(),
  retentionHours: z.int(),
  encryptionType: z.string(),
  kmsKeyId: z.string().nullable(),
});
export const DeployedRuleSchema = z.object({
  arn: z.string(),
  state: z.string(),
  pattern: z.string().nullable(),
  description: z.string().nullable(),
});
export const DeployedTargetSchema = z.object({
  id: z.string(),
  arn: z.string(),
  roleArn: z.string().nullable(),
  partitionKeyPath: z.string().nullable(),
  maximumRetryAttempts: z.int().nullable(),
  maximumEventAgeSeconds: z.int().nullable(),
  deadLetterArn: z.string().nullable(),
});
export const DeployedStateSchema = z.object({
  stream: DeployedStreamSchema.nullable(),
  rule: DeployedRuleSchema.nullable(),
  /** Every target of the rule; sarwatch manages only the one with its id and leaves the others alone. */
  targets: z.array(DeployedTargetSchema),
});
export type DeployedStream = z.infer<typeof DeployedStreamSchema>;
export type DeployedRule = z.infer<typeof DeployedRuleSchema>;
export type DeployedTarget = z.infer<typeof DeployedTargetSchema>;
export type DeployedState = z.infer<typeof DeployedStateSchema>;
