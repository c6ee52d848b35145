import { KafkaConnectionEnvShape, kafkaConnectionProblems } from '@sarwatch/kafka';
import {
  LoggingConfigSchema,
  minNotAboveMax,
  parseEnvironment,
  positiveInt,
  secretFile,
} from '@sarwatch/runtime';
import { z } from 'zod';

/** Every setting of the notifier, from the environment. Names are the variable names. */
const WebhookUrlSchema = z.url({ protocol: /^https?$/, error: 'must be an http or https URL' });

export const NotifierConfigSchema = LoggingConfigSchema.extend({
  ...KafkaConnectionEnvShape,
  KAFKA_CLIENT_ID: z.string().min(1).default('sarwatch-notifier'),
  KAFKA_ALERTS_TOPIC: z.string().min(1).default('sarwatch.alerts.v1'),
  /** Alerts the webhook refused for good, or kept failing past NOTIFIER_GIVE_UP_AFTER_MS. */
  KAFKA_NOTIFIER_DLQ_TOPIC: z.string().min(1).default('sarwatch.notifier.dlq.v1'),
  /** Its committed offsets are where a restarted notifier resumes. */
  NOTIFIER_GROUP_ID: z.string().min(1).default('sarwatch-notifier'),
  /** A new group starts with alerts raised from now on (`latest`) or with every alert kept (`earliest`). */
  NOTIFIER_START_FROM: z.enum(['latest', 'earliest']).default('latest'),
  /** Where alerts are POSTed: a Slack incoming webhook, or any endpoint that takes the same JSON. */
  WEBHOOK_URL: WebhookUrlSchema.optional(),
  /** The same, from a file: a secret mounted by Kubernetes or ECS, kept out of the process environment. */
  WEBHOOK_URL_FILE: secretFile('the webhook URL file').pipe(WebhookUrlSchema).optional(),
  WEBHOOK_TIMEOUT_MS: positiveInt(10_000, 120_000),
  /** Retries back off from WEBHOOK_RETRY_MIN_MS, doubling up to WEBHOOK_RETRY_MAX_MS. */
  WEBHOOK_RETRY_MIN_MS: positiveInt(1_000, 600_000),
  WEBHOOK_RETRY_MAX_MS: positiveInt(60_000, 3_600_000),
  /** An alert still undelivered this long after its first attempt goes to the dead-letter topic. */
  NOTIFIER_GIVE_UP_AFTER_MS: positiveInt(900_000, 86_400_000),
  /** Creates the dead-letter topic at start when it does not exist. */
  KAFKA_CREATE_TOPICS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(-1).max(32).default(-1),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** 9464 is the enricher's; 0 picks a free port, logged at start. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(9_465),
  SHUTDOWN_TIMEOUT_MS: positiveInt(9_000, 60_000),
});
type NotifierSettings = z.infer<typeof NotifierConfigSchema>;
/** The settings, with the webhook URL wherever it came from. */
export type NotifierConfig = Omit<NotifierSettings, 'WEBHOOK_URL' | 'WEBHOOK_URL_FILE'> & {
  WEBHOOK_URL: string;
};

export function parseNotifierConfig(env: Readonly<Record<string, string | undefined>>): NotifierConfig {
  const { WEBHOOK_URL, WEBHOOK_URL_FILE, ...settings } = parseEnvironment(
    NotifierConfigSchema,
    env,
    (present) => [
      ...kafkaConnectionProblems(present),
      ...minNotAboveMax(NotifierConfigSchema.shape, present, 'WEBHOOK_RETRY_MIN_MS', 'WEBHOOK_RETRY_MAX_MS'),
      ...('WEBHOOK_URL' in present === 'WEBHOOK_URL_FILE' in present
        ? ['WEBHOOK_URL or WEBHOOK_URL_FILE: exactly one is required']
        : []),
    ],
  );
  return { ...settings, WEBHOOK_URL: WEBHOOK_URL ?? WEBHOOK_URL_FILE ?? '' };
}
