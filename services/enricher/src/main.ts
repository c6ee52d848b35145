import {
  Backoff,
  ConfigError,
  createKinesisClient,
  createLogger,
  type Logger,
  listenForStop,
  sleep,
} from '@sarwatch/runtime';
import { type EnricherConfig, parseEnricherConfig } from './config.js';
import { KafkaCheckpointStore } from './kafka/kafka-checkpoint-store.js';
import { createKafka } from './kafka/kafka-client.js';
import { KafkaEventSink } from './kafka/kafka-event-sink.js';
import { ensureTopics } from './kafka/kafka-topics.js';
import { KinesisRecordSource } from './kinesis/kinesis-record-source.js';
import { RecordProcessor } from './pipeline/record-processor.js';
import { ShardCoordinator } from './pipeline/shard-coordinator.js';
import { ShardReader } from './pipeline/shard-reader.js';

export const EXIT_OK = 0;
export const EXIT_FORCED = 1;
export const EXIT_BAD_CONFIG = 2;

/**
 * The enricher's composition root: configuration, clients, wiring and shutdown. Resolves with the process exit
 * code; the caller exits with it.
 */
export async function runEnricher(env: Readonly<Record<string, string | undefined>>): Promise<number> {
  let config: EnricherConfig;
  try {
    config = parseEnricherConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`sarwatch run: ${error.message}\n`);
    return EXIT_BAD_CONFIG;
  }
  const log = createLogger({ name: 'sarwatch-enricher', level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const stop = new AbortController();
  const abandon = new AbortController();
  const removeSignalHandlers = handleSignals(log, config.SHUTDOWN_TIMEOUT_MS, stop, abandon);
  try {
    await runPipeline(config, log, stop.signal, abandon.signal);
    log.info('stopped cleanly');
    return EXIT_OK;
  } finally {
    removeSignalHandlers();
  }
}

async function runPipeline(config: EnricherConfig, log: Logger, stop: AbortSignal, abandon: AbortSignal) {
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID, log });
  const kinesis = createKinesisClient({ region: config.AWS_REGION, endpoint: config.KINESIS_ENDPOINT });
  const source = new KinesisRecordSource(kinesis, config.KINESIS_STREAM_NAME);
  const sink = new KafkaEventSink(kafka);
  const checkpointStore = new KafkaCheckpointStore(
    kafka,
    {
      topic: config.KAFKA_CHECKPOINT_TOPIC,
      application: config.SARWATCH_APPLICATION_NAME,
      streamName: config.KINESIS_STREAM_NAME,
    },
    log.child({ component: 'checkpoints' }),
  );
  const processor = new RecordProcessor({
    streamName: config.KINESIS_STREAM_NAME,
    eventsTopic: config.KAFKA_EVENTS_TOPIC,
    deadLetterTopic: config.KAFKA_DLQ_TOPIC,
    maxRecordBytes: config.MAX_RECORD_BYTES,
    maxEventBytes: config.MAX_EVENT_BYTES,
    maxTextLength: config.MAX_TEXT_LENGTH,
  });

  log.info(
    {
      stream: config.KINESIS_STREAM_NAME,
      brokers: config.KAFKA_BROKERS,
      eventsTopic: config.KAFKA_EVENTS_TOPIC,
    },
    'starting',
  );
  const checkpoints = await untilDone('connect to Kafka and load checkpoints', log, stop, async () => {
    if (config.KAFKA_CREATE_TOPICS) await ensureTopics(kafka, topicSpecs(config), log);
    await Promise.all([sink.connect(), checkpointStore.connect()]);
    return checkpointStore.loadAll(stop);
  });
  if (checkpoints === undefined) return;
  log.info({ checkpointedShards: checkpoints.size }, 'checkpoints loaded');

  const readerLog = log.child({ component: 'shard-reader' });
  const coordinator = new ShardCoordinator(
    {
      source,
      log: log.child({ component: 'coordinator' }),
      discoveryIntervalMs: config.SHARD_DISCOVERY_INTERVAL_MS,
      createReader: (shardId, checkpoint) =>
        new ShardReader(shardId, checkpoint, {
          source,
          sink,
          checkpoints: checkpointStore,
          processor,
          log: readerLog,
          options: {
            startPosition: config.KINESIS_START_POSITION,
            maxRecordsPerCall: config.KINESIS_MAX_RECORDS_PER_CALL,
            idleMinMs: config.KINESIS_IDLE_MIN_MS,
            idleMaxMs: config.KINESIS_IDLE_MAX_MS,
          },
          onCheckpoint: (saved) => checkpoints.set(saved.shardId, saved),
        }),
    },
    checkpoints,
  );
  try {
    await coordinator.run(stop, abandon);
  } finally {
    await Promise.allSettled([sink.disconnect(), checkpointStore.disconnect()]);
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
    // Dead letters carry the raw record, which Kinesis allows up to 10 MiB.
    {
      topic: config.KAFKA_DLQ_TOPIC,
      ...common,
      configEntries: [{ name: 'max.message.bytes', value: '10485760' }],
    },
    {
      topic: config.KAFKA_CHECKPOINT_TOPIC,
      numPartitions: 1,
      replicationFactor: config.KAFKA_REPLICATION_FACTOR,
      configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
    },
  ];
}

/** Start-up steps wait for Kafka to come up rather than crash; only a stop request ends the wait. */
async function untilDone<T>(what: string, log: Logger, stop: AbortSignal, step: () => Promise<T>) {
  const backoff = new Backoff({ initialMs: 500, maxMs: 15_000 });
  while (!stop.aborted) {
    try {
      return await step();
    } catch (error) {
      const wait = backoff.next();
      log.warn({ err: error, retryInMs: wait }, `could not ${what}, retrying`);
      await sleep(wait, stop);
    }
  }
  return undefined;
}

/** After the first signal, readers drain; if that takes longer than the deadline, exit without waiting. */
function handleSignals(log: Logger, timeoutMs: number, stop: AbortController, abandon: AbortController) {
  const signals = listenForStop((signal) => {
    log.info({ signal, timeoutMs }, 'stopping: finishing in-flight pages, then checkpointing');
    stop.abort();
    setTimeout(() => {
      abandon.abort();
      log.error({ timeoutMs }, 'shutdown deadline passed, exiting without a final flush');
      process.exit(EXIT_FORCED);
    }, timeoutMs).unref();
  });
  return signals.dispose;
}
