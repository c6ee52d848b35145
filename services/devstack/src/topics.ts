import { Kafka, logLevel } from 'kafkajs';
import type { DevstackLog } from './log.js';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  configEntries?: Array<{ name: string; value: string }>;
}

export interface EnsureTopicsOptions {
  brokers: string[];
  topics: TopicSpec[];
  log: DevstackLog;
}

/**
 * Creates the topics that do not exist yet and waits for their partition leaders. Existing topics are left as they
 * are (a different partition count is logged). Only missing topics are sent: kafkajs answers a batch with any
 * existing topic by returning early, skipping the wait for leaders of the topics it did create.
 */
export async function ensureTopics({ brokers, topics, log }: EnsureTopicsOptions): Promise<void> {
  const admin = new Kafka({ clientId: 'sarwatch-devstack', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter(({ topic }) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({ topics: missing, waitForLeaders: true, timeout: 10_000 });
      log.info({ topics: missing.map(({ topic }) => topic) }, 'created Kafka topics');
    }

    const kept = topics.filter(({ topic }) => existing.has(topic));
    if (kept.length === 0) return;
    const metadata = await admin.fetchTopicMetadata({ topics: kept.map(({ topic }) => topic) });
    for (const { name, partitions } of metadata.topics) {
      const wanted = kept.find(({ topic }) => topic === name)?.numPartitions;
      if (wanted !== undefined && partitions.length !== wanted) {
        log.warn(
          { topic: name, numPartitions: wanted, actual: partitions.length },
          'Kafka topic exists with a different partition count; kept',
        );
      }
    }
  } finally {
    await admin.disconnect();
  }
}
