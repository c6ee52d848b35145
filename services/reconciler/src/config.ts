import { EnricherConfigSchema } from '@sarwatch/enricher';
import { KafkaConnectionEnvShape, kafkaConnectionProblems } from '@sarwatch/kafka';
import { LoggingConfigSchema, parseEnvironment, positiveInt } from '@sarwatch/runtime';
import { z } from 'zod';

/**
 * The enricher's own settings for Kafka, topics, stream and sizes, so that backfill and reconcile write exactly
 * where the live path does and take the same records; and their own for S3 and the trail.
 */
export const ReconcilerConfigSchema = LoggingConfigSchema.extend({
  ...KafkaConnectionEnvShape,
  ...EnricherConfigSchema.pick({
    KINESIS_STREAM_NAME: true,
    AWS_REGION: true,
    KAFKA_EVENTS_TOPIC: true,
    KAFKA_ALERTS_TOPIC: true,
    KAFKA_DLQ_TOPIC: true,
    KAFKA_CHECKPOINT_TOPIC: true,
    KAFKA_EVENT_INDEX_TOPIC: true,
    KAFKA_TRANSACTION_TIMEOUT_MS: true,
    SARWATCH_APPLICATION_NAME: true,
    SARWATCH_INSTANCE_ID: true,
    ALERT_RULES_FILE: true,
    MAX_RECORD_BYTES: true,
    MAX_EVENT_BYTES: true,
    MAX_TEXT_LENGTH: true,
    METRICS_HOST: true,
  }).shape,
  KAFKA_CLIENT_ID: z.string().min(1).default('sarwatch-reconciler'),
  /** The AWS SDK's own variables for a local or private S3 endpoint; `--endpoint` overrides both. */
  AWS_ENDPOINT_URL_S3: z.url().optional(),
  AWS_ENDPOINT_URL: z.url().optional(),
  /**
   * The stream's retention. With EventBridge's day of retries it bounds how late a stream copy of an event can
   * still arrive, and so how long a trail claim must be honoured (docs/delivery.md).
   */
  KINESIS_RETENTION_HOURS: positiveInt(24, 8_760),
  /** `reconcile --every` serves /metrics and /healthz here; the enricher's default port plus one. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(9_465),
});
export type ReconcilerConfig = z.infer<typeof ReconcilerConfigSchema>;

export function parseReconcilerConfig(env: Readonly<Record<string, string | undefined>>): ReconcilerConfig {
  return parseEnvironment(ReconcilerConfigSchema, env, (present) => kafkaConnectionProblems(present));
}
