import { createKafka, ensureTopics, parseKafkaConnection, type TopicSpec } from '@sarwatch/kafka';
import { createLogger } from '@sarwatch/runtime';
import type { EnricherTopics } from '../pipeline/enricher-process.js';

const PARTITIONS = 4;

/**
 * The topics `sarwatch backfill` and `reconcile` require (they create none): what `sarwatch run` would have created
 * before them, on a broker with one replica.
 */
export async function createTrailTopics(brokers: string, topics: EnricherTopics): Promise<void> {
  const log = createLogger({ name: 'sarwatch-bench', level: 'silent', format: 'json' });
  const kafka = createKafka({
    connection: parseKafkaConnection({ KAFKA_BROKERS: brokers }),
    clientId: 'sarwatch-bench',
    log,
  });
  const common = { numPartitions: PARTITIONS, replicationFactor: 1 };
  const specs: TopicSpec[] = [
    { topic: topics.events, ...common },
    { topic: topics.alerts, ...common },
    { topic: topics.deadLetters, ...common },
    { topic: topics.eventIndex, ...common },
    {
      topic: topics.checkpoints,
      numPartitions: 1,
      replicationFactor: 1,
      configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
    },
  ];
  await ensureTopics(kafka, specs, log);
}
