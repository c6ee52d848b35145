import { hostname } from 'node:os';
import {
  AlertEngine,
  type AlertRule,
  createRuleDelivery,
  type RuleState,
  SARWATCH_DEPLOYMENT_DEFAULTS,
  type TimeWindow,
} from '@sarwatch/core';
import {
  DEFAULT_ALERT_RULES_FILE,
  KafkaCheckpointLog,
  KafkaShardLeases,
  RecordProcessor,
  readAlertRulesFile,
} from '@sarwatch/enricher';
import { createKafka, KafkaAccessGuard, kafkaConnection, reportAccessRefusal } from '@sarwatch/kafka';
import { configOrReport, createLogger, type Logger } from '@sarwatch/runtime';
import type { Kafka } from 'kafkajs';
import type { BackfillDeps } from './backfill.js';
import { parseReconcilerConfig, type ReconcilerConfig } from './config.js';
import { isReconcilerError, ReconcilerError } from './errors.js';
import { TrailPublisher } from './kafka/trail-publisher.js';
import type { ReconcileDeps } from './reconcile.js';
import { createS3Client } from './s3/s3-client.js';
import { TrailBucket } from './s3/trail-bucket.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Where a trail is and which of it to read: the options `backfill` and `reconcile` share. */
export interface TrailOptions {
  bucket: string;
  prefix: string;
  window: TimeWindow;
  accounts?: ReadonlySet<string>;
  regions?: ReadonlySet<string>;
  /** Overrides AWS_ENDPOINT_URL_S3 and AWS_ENDPOINT_URL. */
  endpoint?: string;
  /** The rule's pattern as JSON text, and its state: what the trail is filtered with. */
  pattern: string;
  ruleState: RuleState;
  /** How long after its events a trail file may be delivered. */
  lateDeliveryMs: number;
}

/** Everything a trail command works with, built once from the environment and the options. */
export interface TrailContext {
  config: ReconcilerConfig;
  log: Logger;
  kafka: Kafka;
  guard: KafkaAccessGuard;
  checkpointLog: KafkaCheckpointLog;
  reconcileDeps: ReconcileDeps;
  bucketForSlice: (slice: TimeWindow) => TrailBucket;
  location: string;
  /** The trail publisher and what publishing needs, made once (again after it was fenced); a dry run never asks. */
  publishing: (signal: AbortSignal) => Promise<{ deps: BackfillDeps; writer: TrailPublisher }>;
  dryRunDeps: () => BackfillDeps;
  /** The enricher's rules: the trail's events raise the same alerts, and reconcile raises the rules only it can. */
  alertRules: readonly AlertRule[];
  close(): Promise<void>;
}

/**
 * The composition root of `backfill` and `reconcile`: parses the environment (null after reporting its problems),
 * builds the clients, and hands the command a context; the command's `work` decides the exit code. Kafka refusing
 * access exits 3 with one line; a trail or topic problem exits 1 with one line.
 */
export async function withTrailContext(
  command: string,
  env: Readonly<Record<string, string | undefined>>,
  options: TrailOptions,
  work: (context: TrailContext) => Promise<number>,
): Promise<number> {
  const config = configOrReport(parseReconcilerConfig, env, command);
  if (config === null) return EXIT_USAGE;
  const alertRules = await loadAlertRules(config, command);
  if (alertRules === null) return EXIT_USAGE;
  const log = createLogger({
    name: 'sarwatch-reconciler',
    level: config.LOG_LEVEL,
    format: config.LOG_FORMAT,
  });
  const guard = new KafkaAccessGuard(kafkaConnection(config));
  const kafka = createKafka({ connection: guard.connection, clientId: config.KAFKA_CLIENT_ID, log });
  const s3 = createS3Client({
    region: config.AWS_REGION,
    endpoint: options.endpoint ?? config.AWS_ENDPOINT_URL_S3 ?? config.AWS_ENDPOINT_URL,
  });
  const checkpointLog = new KafkaCheckpointLog(
    kafka,
    {
      topic: config.KAFKA_CHECKPOINT_TOPIC,
      application: config.SARWATCH_APPLICATION_NAME,
      streamName: config.KINESIS_STREAM_NAME,
      accessDenied: guard.check,
    },
    log.child({ component: 'checkpoints' }),
  );
  const deliver = createRuleDelivery({
    pattern: options.pattern,
    state: options.ruleState,
    partitionKeyPath: SARWATCH_DEPLOYMENT_DEFAULTS.partitionKeyPath,
  });
  const owner = `trail-${config.SARWATCH_INSTANCE_ID ?? `${hostname()}-${process.pid}`}`;
  const bucketForSlice = (slice: TimeWindow) =>
    new TrailBucket(s3, {
      bucket: options.bucket,
      prefix: options.prefix,
      from: slice.from,
      to: slice.to,
      accounts: options.accounts,
      regions: options.regions,
      lateDeliveryMs: options.lateDeliveryMs,
    });
  const backfillDeps = (writer: TrailPublisher | null): BackfillDeps => ({
    kafka,
    indexTopic: config.KAFKA_EVENT_INDEX_TOPIC,
    processor: trailProcessor(config, alertRules),
    deliver,
    writer,
    streamRetentionMs: config.KINESIS_RETENTION_HOURS * 3_600_000,
    lateDeliveryMs: options.lateDeliveryMs,
    log,
  });
  let publisher: { deps: BackfillDeps; writer: TrailPublisher } | null = null;
  const context: TrailContext = {
    config,
    log,
    kafka,
    guard,
    checkpointLog,
    reconcileDeps: {
      kafka,
      indexTopic: config.KAFKA_EVENT_INDEX_TOPIC,
      deliver,
      lateDeliveryMs: options.lateDeliveryMs,
      log,
    },
    bucketForSlice,
    location: `s3://${options.bucket}/${options.prefix}`,
    publishing: async () => {
      // One publisher for the run; a fenced one (another backfill took over) is replaced by a new one, which takes
      // the transactional id back, when the next window or run asks for it.
      if (publisher !== null && !publisher.writer.fenced) return publisher;
      await publisher?.writer.stop().catch(() => undefined);
      publisher = null;
      const writer = new TrailPublisher(
        kafka,
        checkpointLog,
        new KafkaShardLeases(kafka, checkpointLog, {
          checkpointTopic: config.KAFKA_CHECKPOINT_TOPIC,
          application: config.SARWATCH_APPLICATION_NAME,
          streamName: config.KINESIS_STREAM_NAME,
          owner,
          transactionTimeoutMs: config.KAFKA_TRANSACTION_TIMEOUT_MS,
        }),
        {
          application: config.SARWATCH_APPLICATION_NAME,
          streamName: config.KINESIS_STREAM_NAME,
          checkpointTopic: config.KAFKA_CHECKPOINT_TOPIC,
          owner,
          transactionTimeoutMs: config.KAFKA_TRANSACTION_TIMEOUT_MS,
        },
        log.child({ component: 'trail-publisher' }),
      );
      await writer.start();
      publisher = { deps: backfillDeps(writer), writer };
      return publisher;
    },
    dryRunDeps: () => backfillDeps(null),
    alertRules,
    close: async () => {
      await publisher?.writer.stop().catch(() => undefined);
      await checkpointLog.stop().catch(() => undefined);
      s3.destroy();
    },
  };
  try {
    await requireTopics(kafka, config);
    await checkpointLog.start();
    return await work(context);
  } catch (error) {
    const refused = reportAccessRefusal(guard.failure ?? error, command, log);
    if (refused !== null) return refused;
    if (!isReconcilerError(error)) throw error;
    process.stderr.write(`${command}: ${error.message}\n`);
    return EXIT_FAILED;
  } finally {
    await context.close();
  }
}

async function requireTopics(kafka: Kafka, config: ReconcilerConfig): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const needed = [
      config.KAFKA_EVENT_INDEX_TOPIC,
      config.KAFKA_EVENTS_TOPIC,
      config.KAFKA_ALERTS_TOPIC,
      config.KAFKA_DLQ_TOPIC,
      config.KAFKA_CHECKPOINT_TOPIC,
    ];
    const missing = needed.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      throw new ReconcilerError(
        'TOPIC_MISSING',
        `no topic ${missing.join(', ')} on this cluster: start \`sarwatch run\` once (it creates them), or create them as docs/kafka-connection.md lists`,
      );
    }
  } finally {
    await admin.disconnect();
  }
}

/** The enricher's alert rules, or null after saying what is wrong with them. */
async function loadAlertRules(config: ReconcilerConfig, command: string): Promise<AlertRule[] | null> {
  const path = config.ALERT_RULES_FILE ?? DEFAULT_ALERT_RULES_FILE;
  const rules = await readAlertRulesFile(path);
  if (rules.ok) return rules.rules;
  process.stderr.write(`${command}: ALERT_RULES_FILE: ${path} is not a valid rules file:\n`);
  for (const error of rules.errors) process.stderr.write(`  - ${error}\n`);
  return null;
}

/** The live path's record processing, with the same alert rules, marking each event as read from the trail. */
function trailProcessor(config: ReconcilerConfig, rules: readonly AlertRule[]): RecordProcessor {
  const engine = new AlertEngine(rules);
  return new RecordProcessor(
    {
      streamName: config.KINESIS_STREAM_NAME,
      eventsTopic: config.KAFKA_EVENTS_TOPIC,
      alertsTopic: config.KAFKA_ALERTS_TOPIC,
      deadLetterTopic: config.KAFKA_DLQ_TOPIC,
      eventIndexTopic: config.KAFKA_EVENT_INDEX_TOPIC,
      origin: 'trail',
      maxRecordBytes: config.MAX_RECORD_BYTES,
      maxEventBytes: config.MAX_EVENT_BYTES,
      maxTextLength: config.MAX_TEXT_LENGTH,
    },
    {
      // Thresholds run on CloudTrail's clock, as the live path's do.
      evaluate: (event) => {
        const at = Date.parse(event.eventTime);
        return engine.evaluate(event, Number.isNaN(at) ? Date.now() : at);
      },
    },
  );
}
