import { randomUUID } from 'node:crypto';
import { Kafka, type KafkaMessage, logLevel } from 'kafkajs';

export interface FollowOptions {
  brokers: string[];
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
  brokers,
  topics,
  fromBeginning,
  onMessage,
}: FollowOptions): Promise<Follower> {
  const kafka = new Kafka({ clientId: 'sarwatch-cli', brokers, logLevel: logLevel.NOTHING });
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
