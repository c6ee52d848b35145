import { KafkaConnectionEnvShape, kafkaConnectionProblems } from '@sarwatch/kafka';
import {
  AwsRegionSchema,
  LoggingConfigSchema,
  minNotAboveMax,
  parseEnvironment,
  positiveInt,
} from '@sarwatch/runtime';
import { z } from 'zod';

/** Every setting of the enricher, read from the environment once, in main. Names are the variable names. */
export const EnricherConfigSchema = LoggingConfigSchema.extend({
  ...KafkaConnectionEnvShape,
  KINESIS_STREAM_NAME: z.string().regex(/^[a-zA-Z0-9_.-]{1,128}$/, 'must be a Kinesis stream name'),
  KINESIS_ENDPOINT: z.url().optional(),
  AWS_REGION: AwsRegionSchema.default('us-east-1'),
  KINESIS_START_POSITION: z.enum(['TRIM_HORIZON', 'LATEST']).default('TRIM_HORIZON'),
  /** Also the largest page in one transaction; 500 keeps a draining instance near 300 MiB (npm run bench). */
  KINESIS_MAX_RECORDS_PER_CALL: positiveInt(500, 10_000),
  KINESIS_IDLE_MIN_MS: positiveInt(200, 60_000),
  KINESIS_IDLE_MAX_MS: positiveInt(1_000, 60_000),
  SHARD_DISCOVERY_INTERVAL_MS: positiveInt(30_000),
  KAFKA_CLIENT_ID: z.string().min(1).default('sarwatch-enricher'),
  KAFKA_EVENTS_TOPIC: z.string().min(1).default('sarwatch.events.v1'),
  KAFKA_ALERTS_TOPIC: z.string().min(1).default('sarwatch.alerts.v1'),
  KAFKA_DLQ_TOPIC: z.string().min(1).default('sarwatch.dlq.v1'),
  KAFKA_CHECKPOINT_TOPIC: z.string().min(1).default('sarwatch.checkpoints.v1'),
  /** Every event handled, by eventID and time, in the transaction that handled it: what backfill and reconcile read. */
  KAFKA_EVENT_INDEX_TOPIC: z.string().min(1).default('sarwatch.event-index.v1'),
  /** Holds no data: its partitions are what the instances of one application share out among themselves. */
  KAFKA_LEASE_TOPIC: z.string().min(1).default('sarwatch.leases.v1'),
  LEASE_PARTITIONS: positiveInt(64, 10_000),
  /** A dead instance's shards go to the others within about this long (Kafka group session timeout). */
  OWNERSHIP_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).max(300_000).default(10_000),
  OWNERSHIP_HEARTBEAT_MS: positiveInt(1_000, 60_000),
  /** The broker aborts a transaction left open longer than this (a hung or killed instance's). */
  KAFKA_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(900_000).default(15_000),
  /** Names this instance in checkpoints, takeover records and logs; defaults to host name and pid. */
  SARWATCH_INSTANCE_ID: z
    .string()
    .regex(/^[\w.-]{1,100}$/, 'letters, digits, . _ - only')
    .optional(),
  /** Records read from Kinesis and not yet committed to Kafka, across all shards: bounds memory when Kafka lags. */
  MAX_IN_FLIGHT_RECORDS: positiveInt(10_000, 10_000_000),
  /** A shard step (read, commit) that hangs this long without an answer is abandoned and the shard recovered. */
  STALL_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(90_000),
  /** Events with a CloudTrail eventID published this recently are dropped as upstream duplicates. */
  DEDUP_WINDOW_MS: z.coerce.number().int().min(1).max(86_400_000).default(600_000),
  DEDUP_MAX_IDS_PER_SHARD: positiveInt(100_000, 10_000_000),
  /** The alert rules (docs/alerts.md); sarwatch's SAR rule pack when unset. Reloaded on change and on SIGHUP. */
  ALERT_RULES_FILE: z.string().min(1).optional(),
  /**
   * For `npm run bench` only: publish each record as read, without decoding, enrichment, alerts or the event index,
   * to measure what reading Kinesis and Kafka transactions cost alone. Never in production: the events topic would
   * hold raw records.
   */
  BENCH_SKIP_ENRICHMENT: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  KAFKA_CREATE_TOPICS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  KAFKA_TOPIC_PARTITIONS: positiveInt(6, 10_000),
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(-1).max(32).default(-1),
  SARWATCH_APPLICATION_NAME: z
    .string()
    .regex(/^[\w.-]{1,100}$/, 'letters, digits, . _ - only')
    .default('sarwatch'),
  MAX_RECORD_BYTES: positiveInt(1_048_576 * 10),
  MAX_EVENT_BYTES: positiveInt(900_000),
  MAX_TEXT_LENGTH: positiveInt(16_384),
  SHUTDOWN_TIMEOUT_MS: positiveInt(9_000, 60_000),
  /** /metrics, /healthz and /readyz; 127.0.0.1 keeps them off the network unless asked. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** 0 picks a free port, logged at start. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(9_464),
});
export type EnricherConfig = z.infer<typeof EnricherConfigSchema>;

/** Parses the whole environment at once so the operator sees every problem in one message. */
export function parseEnricherConfig(env: Readonly<Record<string, string | undefined>>): EnricherConfig {
  return parseEnvironment(EnricherConfigSchema, env, (present) => [
    ...kafkaConnectionProblems(present),
    ...minNotAboveMax(EnricherConfigSchema.shape, present, 'KINESIS_IDLE_MIN_MS', 'KINESIS_IDLE_MAX_MS'),
  ]);
}
