import { hostname } from 'node:os';
import {
  createKafka,
  describeSecurity,
  ensureTopics,
  KafkaAccessGuard,
  kafkaConnection,
  reportAccessRefusal,
} from '@sarwatch/kafka';
import {
  configOrReport,
  createKinesisClient,
  createLogger,
  type Logger,
  listenForStopWithDeadline,
  MetricsUnavailableError,
  startMetricsServer,
  untilDone,
} from '@sarwatch/runtime';
import { DEFAULT_ALERT_RULES_FILE } from './alerts/alert-rules-file.js';
import { LiveAlertRules } from './alerts/live-alert-rules.js';
import { type EnricherConfig, parseEnricherConfig } from './config.js';
import { isEnricherError } from './errors.js';
import { KafkaCheckpointLog } from './kafka/checkpoint-log.js';
import { KafkaLeaseGroup } from './kafka/kafka-lease-group.js';
import { KafkaShardLeases } from './kafka/kafka-shard-leases.js';

import { KinesisRecordSource } from './kinesis/kinesis-record-source.js';
import { PrometheusMetrics } from './metrics/prometheus-metrics.js';
import { InFlightBudget } from './pipeline/in-flight-budget.js';
import { RecordProcessor } from './pipeline/record-processor.js';
import { ShardCoordinator } from './pipeline/shard-coordinator.js';
import { ShardReader } from './pipeline/shard-reader.js';

export const EXIT_OK = 0;
export const EXIT_BAD_CONFIG = 2;

const PROGRESS_EVERY_MS = 30_000;

/**
 * The enricher's composition root: configuration, clients, wiring and shutdown. Resolves with the process exit
 * code; the caller exits with it.
 */
export async function runEnricher(env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const config = configOrReport(parseEnricherConfig, env, 'sarwatch run');
  if (config === null) return EXIT_BAD_CONFIG;
  const log = createLogger({ name: 'sarwatch-enricher', level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  // Readers finish the commit in hand and stop; what was not committed is read again by the next holder.
  const stop = listenForStopWithDeadline(log, config.SHUTDOWN_TIMEOUT_MS, 'finishing the commits in flight');
  const connection = kafkaConnection(config);
  const guard = new KafkaAccessGuard(connection);
  try {
    await runPipeline(config, log, AbortSignal.any([stop.signal, guard.signal]), guard);
    if (guard.failure) throw guard.failure;
    log.info('stopped cleanly');
    return EXIT_OK;
  } catch (error) {
    const refused = reportAccessRefusal(error, 'sarwatch run', log);
    if (refused !== null) return refused;
    if (!(error instanceof MetricsUnavailableError) && !isEnricherError(error, 'ALERT_RULES_INVALID'))
      throw error;
    process.stderr.write(`sarwatch run: ${error.message}\n`);
    return EXIT_BAD_CONFIG;
  } finally {
    stop.dispose();
  }
}

async function runPipeline(config: EnricherConfig, log: Logger, stop: AbortSignal, guard: KafkaAccessGuard) {
  const owner = config.SARWATCH_INSTANCE_ID ?? `${hostname()}-${process.pid}`;
  const kafka = createKafka({ connection: guard.connection, clientId: config.KAFKA_CLIENT_ID, log });
  const kinesis = createKinesisClient({ region: config.AWS_REGION, endpoint: config.KINESIS_ENDPOINT });
  const source = new KinesisRecordSource(kinesis, config.KINESIS_STREAM_NAME);
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
  const leases = new KafkaShardLeases(kafka, checkpointLog, {
    checkpointTopic: config.KAFKA_CHECKPOINT_TOPIC,
    application: config.SARWATCH_APPLICATION_NAME,
    streamName: config.KINESIS_STREAM_NAME,
    owner,
    transactionTimeoutMs: config.KAFKA_TRANSACTION_TIMEOUT_MS,
  });
  const ownership = new KafkaLeaseGroup(
    kafka,
    {
      groupId: `${config.SARWATCH_APPLICATION_NAME}.${config.KINESIS_STREAM_NAME}.owners`,
      topic: config.KAFKA_LEASE_TOPIC,
      sessionTimeoutMs: config.OWNERSHIP_SESSION_TIMEOUT_MS,
      heartbeatIntervalMs: config.OWNERSHIP_HEARTBEAT_MS,
      accessDenied: guard.check,
    },
    log.child({ component: 'ownership' }),
  );
  const metrics = new PrometheusMetrics();
  const alertRules = await LiveAlertRules.load(
    config.ALERT_RULES_FILE ?? DEFAULT_ALERT_RULES_FILE,
    log.child({ component: 'alert-rules' }),
    metrics,
  );
  const processor = new RecordProcessor(
    {
      streamName: config.KINESIS_STREAM_NAME,
      eventsTopic: config.KAFKA_EVENTS_TOPIC,
      alertsTopic: config.KAFKA_ALERTS_TOPIC,
      deadLetterTopic: config.KAFKA_DLQ_TOPIC,
      eventIndexTopic: config.KAFKA_EVENT_INDEX_TOPIC,
      origin: 'stream',
      maxRecordBytes: config.MAX_RECORD_BYTES,
      maxEventBytes: config.MAX_EVENT_BYTES,
      maxTextLength: config.MAX_TEXT_LENGTH,
      skipEnrichment: config.BENCH_SKIP_ENRICHMENT,
    },
    alertRules,
  );
  if (config.BENCH_SKIP_ENRICHMENT) {
    log.warn(
      'BENCH_SKIP_ENRICHMENT is set: records are published as read, not enriched; for benchmarks only',
    );
  }
  const budget = new InFlightBudget(config.MAX_IN_FLIGHT_RECORDS);

  log.info(
    {
      stream: config.KINESIS_STREAM_NAME,
      brokers: config.KAFKA_BROKERS,
      security: describeSecurity(guard.connection),
      eventsTopic: config.KAFKA_EVENTS_TOPIC,
      instance: owner,
    },
    'starting',
  );
  // Up before Kafka is reached, so /healthz answers and a busy port fails at once.
  let readiness = () => ({ ready: false, reason: 'starting' });
  const server = await startMetricsServer({
    host: config.METRICS_HOST,
    port: config.METRICS_PORT,
    registry: metrics.registry,
    readiness: () => readiness(),
    fatal: () => {
      const failure = checkpointLog.failure ?? ownership.failure;
      return failure ? `a Kafka consumer stopped for good: ${failure.message}` : null;
    },
  });
  log.info({ address: server.address }, `metrics on http://${server.address}/metrics, /healthz, /readyz`);
  alertRules.watch();
  const reloadRules = () => void alertRules.reload('SIGHUP');
  process.on('SIGHUP', reloadRules);
  try {
    const started = await untilDone(
      'connect to Kafka and join the group',
      log,
      stop,
      async () => {
        if (config.KAFKA_CREATE_TOPICS) await ensureTopics(kafka, topicSpecs(config), log);
        await checkpointLog.start();
        await ownership.start();
        return true;
      },
      guard.check,
    );
    if (started === undefined) return;

    const readerLog = log.child({ component: 'shard-reader' });
    const coordinator = new ShardCoordinator({
      source,
      ownership,
      checkpoints: checkpointLog,
      log: log.child({ component: 'coordinator' }),
      discoveryIntervalMs: config.SHARD_DISCOVERY_INTERVAL_MS,
      fencedPauseMs: config.OWNERSHIP_SESSION_TIMEOUT_MS,
      createReader: (shardId) =>
        new ShardReader(shardId, {
          source,
          leases,
          processor,
          budget,
          metrics,
          log: readerLog,
          accessDenied: guard.check,
          claimedByTrail: checkpointLog.claims,
          options: {
            startPosition: config.KINESIS_START_POSITION,
            maxRecordsPerCall: config.KINESIS_MAX_RECORDS_PER_CALL,
            idleMinMs: config.KINESIS_IDLE_MIN_MS,
            idleMaxMs: config.KINESIS_IDLE_MAX_MS,
            stallTimeoutMs: config.STALL_TIMEOUT_MS,
            dedupWindowMs: config.DEDUP_WINDOW_MS,
            dedupMaxIds: config.DEDUP_MAX_IDS_PER_SHARD,
          },
        }),
    });
    const report = setInterval(
      () => log.info({ ...metrics.snapshot(), inFlight: budget.inFlight }, 'progress'),
      PROGRESS_EVERY_MS,
    ).unref();
    readiness = () => coordinator.readiness();
    try {
      await coordinator.run(stop);
    } finally {
      clearInterval(report);
      log.info(metrics.snapshot(), 'readers stopped');
      // Leaving the group now hands this instance's shards to the others at once, not after a session timeout.
      await Promise.allSettled([ownership.stop(), checkpointLog.stop()]);
    }
  } finally {
    process.off('SIGHUP', reloadRules);
    alertRules.stop();
    await server.close();
    kinesis.destroy();
  }
}

function topicSpecs(config: EnricherConfig) {
  const common = {
    numPartitions: config.KAFKA_TOPIC_PARTITIONS,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
  };
  return [
    { topic: config.KAFKA_EVENTS_TOPIC, ...common },
    { topic: config.KAFKA_ALERTS_TOPIC, ...common },
    // Dead letters carry the raw record, which Kinesis allows up to 10 MiB.
    {
      topic: config.KAFKA_DLQ_TOPIC,
      ...common,
      configEntries: [{ name: 'max.message.bytes', value: '10485760' }],
    },
    // Kept for good: backfill and reconcile read it for windows older than the events topic's retention.
    {
      topic: config.KAFKA_EVENT_INDEX_TOPIC,
      ...common,
      configEntries: [{ name: 'retention.ms', value: '-1' }],
    },
    {
      topic: config.KAFKA_CHECKPOINT_TOPIC,
      numPartitions: 1,
      replicationFactor: config.KAFKA_REPLICATION_FACTOR,
      configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
    },
    // Never written to: its partition count is what matters, and must not change while instances run.
    {
      topic: config.KAFKA_LEASE_TOPIC,
      numPartitions: config.LEASE_PARTITIONS,
      replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    },
  ];
}
