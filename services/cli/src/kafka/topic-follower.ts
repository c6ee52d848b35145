import { randomUUID } from 'node:crypto';
import { createKafka, type KafkaConnection } from '@sarwatch/kafka';
import { createLogger } from '@sarwatch/runtime';
import type { KafkaMessage } from 'kafkajs';

export interface FollowOptions {
  connection: KafkaConnection;
  topics: string[];
  fromBeginning: boolean;
  onMessage: (topic: string, message: KafkaMessage) => void;
}

export interface Follower {
  stop(): Promise<void>;
}

/**
 * Reads topics as an anonymous observer: a throwaway consumer group that never commits, so watching never moves
 * the offsets of a real subscriber.
 */
export async function followTopics({
  connection,
  topics,
  fromBeginning,
  onMessage,
}: FollowOptions): Promise<Follower> {
  // Messages are what a follower prints; kafkajs' own lines would mix with them. Failures reach the caller as errors.
  const log = createLogger({ name: 'sarwatch-cli', level: 'silent', format: 'json' });
  const kafka = createKafka({ connection, clientId: 'sarwatch-cli', log });
  const groupId = `sarwatch-cli-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic, message }) => onMessage(topic, message),
  });
  return {
    stop: async () => {
      await consumer.disconnect();
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
    },
  };
}
